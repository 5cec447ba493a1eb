#!/usr/bin/env bash
# A compromised multi-drop relay against the real listener: a stand-in
# for dnp3d-relay (DNP3D_RELAY) that, in its successive incarnations (one
# per connection), reports news of a link it was not given, calls one of
# its own links' addresses unknown, writes a record that is no record,
# and says "ready" twice; the fifth never says "ready"; the sixth is the
# real one. The listener kills each at its lie ("killing it" in the log),
# the fifth after 10 s, the liar's connection closes,
# its outstation reports the disconnection, and the next connection is
# served once a real relay runs. A master of another server, connected
# all along, is undisturbed; no worker is restarted.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
lw_need_built "$BUILD/listener/dnp3d-relay"
MD=$(cd "$(dirname "$0")" && pwd)/multidrop_client.py

cat >"$LW_TMP/fake-relay" <<'PY'
#!/usr/bin/env python3
"""The relay's stand-in (lib_fakehelper.py)."""
import os, struct, sys
sys.path.insert(0, os.environ['FAKE_LIB'])
from lib_fakehelper import READY, Chan, incarnation, send

NEWS, MASTER = 21, 20   # CHAN_RELAY_NEWS, CHAN_RELAY_MASTER (ipc/channel.h)
n = incarnation(5, os.environ['REAL_RELAY'], 'dnp3d-relay')
chan = Chan()
chan.recv()                                     # the configuration
while struct.unpack('<H', chan.recv()[6:8])[0] != MASTER:
    pass                                        # links, then the master
if n == 4:      # never ready
    chan.s.recv(1)
send(READY)
if n == 0:      # a link it was not given (LINK_GONE, address 99)
    send(NEWS, struct.pack('<BBH', 2, 0, 99))
elif n == 1:    # its own link's address "unknown"
    send(NEWS, struct.pack('<BBH', 0, 0, 10))
elif n == 2:    # no record at all
    os.write(4, b'\x00' * 16)
else:           # ready twice
    send(READY)
chan.s.recv(1)                                  # until killed
PY
chmod 755 "$LW_TMP/fake-relay"
export DNP3D_RELAY=$LW_TMP/fake-relay FAKE_DIR=$LW_TMP
FAKE_LIB=$(cd "$(dirname "$0")" && pwd)
export FAKE_LIB
export REAL_RELAY=$BUILD/listener/dnp3d-relay

port=$(lw_port)
port2=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  route = "link_address";
  multidrop = true;
  outstations = (
    { name = "alpha"; filter = "127.0.0.2"; address = 10; master = 1; }
  );
}, {
  listen = "127.0.0.1:$port2";
  outstations = (
    { name = "beta"; filter = "any"; address = 20; master = 1; }
  );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"
wpids=$(sed -n 's/.*worker \(alpha\|beta\) ready (pid \([0-9]*\)).*/\2/p' "$LW_LOG" | sort | tr '\n' ' ')

stop=$LW_TMP/stop
python3 "$MD" stay 127.0.0.1 "$port2" 60 "$stop" 20 >"$LW_TMP/beta.out" &
pb=$!
lw_wait_log "beta: info: connected 127\.0\.0\.1:[0-9]+ on 127\.0\.0\.1:$port2"

# Each connection of alpha's starts a relay: with the ASan build on a busy
# machine its answer took 3 to 4.5 s. A master that waits for the answer
# (or the end) gives it 60 s; only the one that must see no answer while
# the relay that never gets ready lives waits the default 5 s.
SLOW=60
# lie N WHY: the relay of connection N is killed for WHY; the master's
# connection closes and alpha reports it.
lie() {
	local pid out n
	n=$(disconnects)
	out=$(D3_WAIT=$SLOW lw_client status "$port" 127.0.0.2 10)
	[ "$out" = closed ] || fail "incarnation $1: the master got '$out'"
	pid=$(sed -n "$1p" "$LW_TMP/incarnations")
	lw_wait_log "multi-drop relay \(pid $pid\) for 127\.0\.0\.2:[0-9]+: $2, killing it"
	lw_wait_log "multi-drop relay \(pid $pid\) for 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$port killed by signal SIGKILL \($2\); its connection is closed"
	alpha_left "$n" "$1"
	echo "ok: relay $pid killed: $2; the connection closed, alpha disconnected"
}
# alpha_left N WHICH: alpha reports more than N disconnections.
alpha_left() {
	wait_count "$LW_LOG" "$DISCONNECTED" $(($1 + 1)) "$WAIT" ||
		fail "alpha did not report the disconnection of connection $2"
}
DISCONNECTED='alpha: info: disconnected \(closed by peer\)'
disconnects() { grep -cE "$DISCONNECTED" "$LW_LOG"; }
lie 1 "news that does not fit its links"
lie 2 "news that does not fit its links"
lie 3 "bad magic"
lie 4 "unexpected record"

# A relay that never says it is ready is killed after 10 s; the master's
# wait for an answer (5 s, lw_client) ends before that.
n=$(disconnects)
out=$(lw_client status "$port" 127.0.0.2 10)
[ "$out" = timeout ] || fail "incarnation 5: the master got '$out'"
pid=$(sed -n 5p "$LW_TMP/incarnations")
lw_wait_log "multi-drop relay \(pid $pid\) for 127\.0\.0\.2:[0-9]+: not ready in time, killing it"
lw_wait_log "multi-drop relay \(pid $pid\) for 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$port killed by signal SIGKILL \(not ready in time\)"
alpha_left "$n" 5
echo "ok: relay $pid never ready: killed, its connection closed, alpha disconnected"

out=$(D3_WAIT=$SLOW lw_client status "$port" 127.0.0.2 10)
[ "$out" = "status 10" ] || fail "the real relay: the master got '$out'"
pid=$(sed -n 6p "$LW_TMP/incarnations")
lw_wait_log "multi-drop relay \(pid $pid\) for 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$port ended"
echo "ok: the real relay $pid serves the master"
touch "$stop"
wait_pid "$pb" "$WAIT" "beta's master"
grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 end=done$' "$LW_TMP/beta.out" ||
	fail "beta's master was disturbed: $(cat "$LW_TMP/beta.out")"
echo "ok: beta's master undisturbed: $(head -1 "$LW_TMP/beta.out")"
[ "$(sed -n 's/.*worker \(alpha\|beta\) ready (pid \([0-9]*\)).*/\2/p' "$LW_LOG" | sort | tr '\n' ' ')" = "$wpids" ] ||
	fail "a worker was restarted"
lw_stop
echo PASS
