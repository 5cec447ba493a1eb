#!/usr/bin/env bash
# A compromised link address classifier against the real listener: a
# stand-in for dnp3d-classify (DNP3D_CLASSIFY) that, in its successive
# incarnations, answers for a connection it was not given, routes to a
# broadcast address, and answers nothing; the fourth is the real one.
# The listener kills the first two at their lie ("killing it" in the log,
# the waiting connection closed and reported), closes the connection the
# third never answers after route_timeout_ms + 1 s, and the master is
# served once a real classifier runs. No worker is disturbed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
lw_need_built "$BUILD/listener/dnp3d-classify"

cat >"$LW_TMP/fake-classify" <<'PY'
#!/usr/bin/env python3
"""The classifier's stand-in (lib_fakehelper.py)."""
import os, struct, sys
sys.path.insert(0, os.environ['FAKE_LIB'])
from lib_fakehelper import READY, Chan, incarnation, send

ANSWER = 17     # CHAN_CLASSIFY_ANSWER (ipc/channel.h)
n = incarnation(3, os.environ['REAL_CLASSIFY'], 'dnp3d-classify')
chan = Chan()
chan.recv()                                     # the configuration
send(READY)
while True:
    m = chan.recv()
    if not m:
        sys.exit(0)
    cid = struct.unpack('<I', m[12:16])[0]
    if n == 0:      # an id it was not given
        send(ANSWER, struct.pack('<IBBH', cid + 1000, 0, 0, 10))
    elif n == 1:    # "routed" to a broadcast address
        send(ANSWER, struct.pack('<IBBH', cid, 0, 0, 0xFFFF))
PY
chmod 755 "$LW_TMP/fake-classify"
export DNP3D_CLASSIFY=$LW_TMP/fake-classify FAKE_DIR=$LW_TMP
FAKE_LIB=$(cd "$(dirname "$0")" && pwd)
export FAKE_LIB
export REAL_CLASSIFY=$BUILD/listener/dnp3d-classify

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  route = "link_address";
  # a real master's first frame must come within it, also on a busy
  # machine; the mute classifier's connection is closed 1 s after it
  route_timeout_ms = 1000;
  outstations = (
    { name = "alpha"; filter = "127.0.0.2"; address = 10; master = 1; }
  );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"
wpid=$(sed -n 's/.*worker alpha ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG")

# incarnation N (1-based): its pid, once the listener says it is ready.
ready_pid() {
	local i pid=
	for i in $(seq 1 "$WAIT"); do
		pid=$(sed -n "$1p" "$LW_TMP/incarnations" 2>/dev/null)
		[ -n "$pid" ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || fail "no incarnation $1 of the classifier"
	lw_wait_log "link address classifier ready \(pid $pid\)"
	echo "$pid"
}

# lie N WHY: incarnation N is killed for WHY at the first connection,
# which is closed and reported.
lie() {
	local pid out
	pid=$(ready_pid "$1")
	out=$(lw_client status "$port" 127.0.0.2 10)
	[ "$out" = closed ] || fail "incarnation $1: the master got '$out'"
	lw_wait_log "link address classifier \(pid $pid\): $2, killing it"
	lw_wait_log "link address classifier \(pid $pid\) killed by signal SIGKILL \($2\); restarting"
	lw_wait_log "rejected 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$port: link address classifier exited"
	echo "ok: classifier $pid killed: $2; the connection closed and reported"
}
lie 1 "answer for a connection it was not given"
lie 2 "address does not fit the verdict"

pid=$(ready_pid 3)
t0=$(date +%s%N)
out=$(lw_client status "$port" 127.0.0.2 10)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$out" = closed ] || fail "mute classifier: the master got '$out'"
[ "$ms" -ge 1900 ] || fail "closed after $ms ms, before route_timeout_ms + 1 s"
lw_wait_log "rejected 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$port: no answer from the link address classifier"
echo "ok: classifier $pid answers nothing: closed after $ms ms, reported"
kill -9 "$pid"

pid=$(ready_pid 4)
out=$(lw_client status "$port" 127.0.0.2 10)
[ "$out" = "status 10" ] || fail "real classifier $pid: the master got '$out'"
echo "ok: the real classifier $pid routes the master to alpha"
[ "$(sed -n 's/.*worker alpha ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG")" = "$wpid" ] ||
	fail "alpha's worker was restarted"
lw_stop
echo PASS
