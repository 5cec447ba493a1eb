#!/usr/bin/env bash
# DNP3 over TLS through the real processes, with certificates made here:
#  - a good master (dnp3-master --tls-*) polls and operates; its
#    "connected" carries the master certificate's subject;
#  - refused, each with its tls_failed reason on the bus: no client
#    certificate, a certificate of another CA, expired, not yet valid,
#    a name that is not master_name, TLS 1.1, plain DNP3 (not TLS);
#  - a master whose handshake stalls is cut after tls.handshake_timeout_ms
#    ("handshake timeout": on a server of its own, whose 1.5 s no other
#    client meets; the others' servers have 600 s, which no handshake on
#    a busy machine reaches), and while it stalls the next master is
#    served at once (it replaces the stalled one: on the second server,
#    where only the replacement can end the stalled one);
#  - replacement over TLS: a second good master replaces the first
#    (disconnected "replaced"), and the first sees its connection end;
#  - after tls.key_renewal_bytes the session keys are renewed (TLS 1.3
#    KeyUpdate) and polling goes on without a failure;
#  - over TLS 1.2 (dnp3-master --tls-max 1.2) the renewal is a
#    renegotiation the server starts, which completes (secure
#    renegotiation) while polling goes on; a renegotiation the master
#    starts (openssl s_client's R command) is refused with a
#    no_renegotiation alert and the connection ends;
#  - the TLS worker is as locked down as any: uid != 0, capabilities 0,
#    Seccomp 2, and it never died of SIGSYS;
#  - dnp3-master with a key file it cannot read says so and does not
#    connect (its TLS context is made before the connection).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_tls.sh"

lw_need_built "$EVENTS" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"

C=$LW_TMP/certs
mkdir -p "$C"
tls_certs "$C"
port=$(lw_port)
port2=$(lw_port)
port3=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  $(tls_server_group "$C" 'handshake_timeout_ms = 600000; key_renewal_bytes = 65536;')
  outstations = ( { name = "secure"; filter = "any"; address = 10;
    master = 1; master_name = "scada-a.example.net";
    database = { binary_output = { count = 4; }; analog_input = { count = 3; }; }; } );
}, {
  listen = "127.0.0.1:$port2";
  $(tls_server_group "$C" 'handshake_timeout_ms = 600000;')
  outstations = ( { name = "patient"; filter = "any"; address = 10;
    master = 1; master_name = "scada-a.example.net"; } );
}, {
  listen = "127.0.0.1:$port3";
  $(tls_server_group "$C" 'handshake_timeout_ms = 1500;')
  outstations = ( { name = "hasty"; filter = "any"; address = 10;
    master = 1; master_name = "scada-a.example.net"; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"
wpids=$(lw_worker_pids)
wpid=$(sed -n 's/.*worker secure started (pid \([0-9]*\)).*/\1/p' "$LW_LOG")

# ev_start N FILTER...: dnp3-events --json until N events that pass its
# FILTER options (-o OUTSTATION, -e EVENT). The files are emptied first:
# "joined the bus" left by the one before would end the wait for this
# one's join at once, and an event could go out before it has joined (a
# "first master not connected" failure of the soak). The filters keep out
# a late event of a step before (a master's "disconnected" comes after its
# exit), which the one before, done at its N, did not wait for. The bound
# (-t) only ends a test that hangs.
ev_start() {
	: >"$LW_TMP/ev.out"
	: >"$LW_TMP/ev.err"
	timeout -k 2 310 "$EVENTS" -v --json -u "$URL" -n "$1" -t 300 "${@:2}" \
	    >"$LW_TMP/ev.out" 2>"$LW_TMP/ev.err" &
	EVPID=$!
	LW_BG+=($EVPID)
	wait_for "$LW_TMP/ev.err" "joined the bus" "$WAIT" ||
	    fail "dnp3-events did not join: $(cat "$LW_TMP/ev.err")"
}
ev_end() {
	wait_pid "$EVPID" 3050 "dnp3-events" ||
	    fail "dnp3-events exited $?: $(cat "$LW_TMP/ev.out" "$LW_TMP/ev.err")"
}

# tlsm CERT ARGS...: dnp3-master over TLS; it waits 30 s (lib.sh's WAIT)
# for each answer; the 1000 polls of step 5 are all under timeout's bound.
tlsm() {
	timeout 300 "$MASTER" -t "$WAIT_MS" --tls-ca "$C/ca.pem" \
	    --tls-cert "$C/$1.pem" --tls-key "$C/$1.key" --tls-name dnp3d-test \
	    "127.0.0.1:$port" "${@:2}"
}

# A TLS client in Python for what dnp3-master will not do.
cat >"$LW_TMP/tlsc.py" <<'PY'
"""tlsc.py PORT CERT|none [tls11|plain|stall SECONDS]: a handshake (then a
link status request) -> "ok status N" or "refused: ..."; stall: nothing
sent, until the server closes -> "stall closed MS" (MS since connected)."""
import socket, ssl, sys, time
from lib_dnp3link import status
port, cert = int(sys.argv[1]), sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else ''
d = sys.argv[0].rsplit('/', 1)[0] + '/certs/'
s = socket.create_connection(('127.0.0.1', port), timeout=30)
if mode == 'stall':
    t0 = time.monotonic()
    s.settimeout(float(sys.argv[4]))
    end = 'closed' if s.recv(1) == b'' else 'data'
    print('stall', end, int((time.monotonic() - t0) * 1000))
    sys.exit(0)
if mode == 'plain':
    print('plain', status(s, 10))
    sys.exit(0)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.load_verify_locations(d + 'ca.pem')
if mode == 'tls11':
    ctx.set_ciphers('DEFAULT:@SECLEVEL=0')
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
if cert != 'none':
    ctx.load_cert_chain(d + cert + '.pem', d + cert + '.key')
try:
    t = ctx.wrap_socket(s)
    print('ok', status(t, 10))
except (ssl.SSLError, OSError) as e:
    print('refused:', e)
PY
cp "$(dirname "$0")/lib_dnp3link.py" "$LW_TMP/"
tlsc() { timeout 60 python3 "$LW_TMP/tlsc.py" "$port" "$@"; }

# 1. a good master: integrity, a control; connected names its subject.
# Its 5 events: connected, disconnected; connected, control, disconnected.
ev_start 5 -o secure
out=$(tlsm master integrity) || fail "integrity over TLS: $out"
echo "$out" | grep -q '^g30v' || fail "integrity: no analog input in: $out"
out=$(tlsm master operate 1 latch_on) || fail "operate over TLS: $out"
echo "$out" | grep -q 'status=SUCCESS' || fail "operate: $out"
ev_end
n=$(jq -r 'select(.event == "connected") | .subject' "$LW_TMP/ev.out" |
    grep -c '^/CN=scada-a$')
[ "$n" = 2 ] || fail "connected: want 2 with subject /CN=scada-a: $(cat "$LW_TMP/ev.out")"
jq -s -e 'any(.[]; .event == "control" and .status == "SUCCESS")' \
    "$LW_TMP/ev.out" >/dev/null || fail "no control event: $(cat "$LW_TMP/ev.out")"
echo "ok: a good master polls and operates over TLS"

# 2. refusals: tls_failed with the reason; the client gets nothing.
refused() {	# REASON ARGS...
	local want=$1 out
	shift
	ev_start 1 -o secure -e tls_failed
	out=$(tlsc "$@")
	ev_end
	case $out in ok*) fail "$*: served ($out), want refused ($want)";; esac
	v=$(jq -r 'select(.event == "tls_failed") | "\(.reason)|\(.peer)|\(.outstation)"' \
	    "$LW_TMP/ev.out")
	case $v in
	"$want|127.0.0.1:"*"|secure") echo "ok: $* refused: $want";;
	*) fail "$*: tls_failed '$v', want reason '$want': $(cat "$LW_TMP/ev.out")";;
	esac
}
refused "no client certificate" none
refused "unknown CA" stranger
refused "certificate expired" expired
refused "certificate not yet valid" future
refused "name mismatch" cnonly
refused "protocol version" master tls11
refused "not TLS" master plain

# 3. a stalled handshake is cut; meanwhile the next master is served.
# The cut on the third server, which no other client meets. The time is
# the client's, from its connect to the close: neither its start nor the
# tools' is in it.
ev_start 1 -o hasty
out=$(port=$port3; tlsc master stall 10)
ev_end
[[ "$out" =~ ^stall\ closed\ [0-9]+$ ]] || fail "stalled handshake: $out"
ms=${out##* }
[ "$ms" -ge 1400 ] && [ "$ms" -lt 5000 ] ||
	fail "stalled handshake cut after $ms ms, want about 1500"
jq -s -e 'any(.[]; .event == "tls_failed" and .outstation == "hasty" and
    .reason == "handshake timeout")' \
    "$LW_TMP/ev.out" >/dev/null || fail "no handshake timeout: $(cat "$LW_TMP/ev.out")"
echo "ok: a stalled handshake is cut after $ms ms"

# On the second server: had the next master waited behind the stalled
# one, neither would be served before the stalled one's 600 s (each
# client gives up after 30 s, lib.sh's WAIT, the stalled one with no
# "stall closed"); only the replacement ends the stalled one now, however
# slow the machine. Its 3 events: the stalled one's tls_failed, the next
# one's connected and disconnected.
p1=$port
port=$port2
ev_start 3 -o patient
handed=$(grep -cE "master 127.0.0.1:[0-9]+ connected" "$LW_LOG")
tlsc master stall $((WAIT / 10)) >"$LW_TMP/stall.out" &
STALL=$!
LW_BG+=($STALL)
# the worker has the stalled connection
wait_count "$LW_LOG" "master 127.0.0.1:[0-9]+ connected" $((handed + 1)) "$WAIT" ||
	fail "the stalled connection was not handed over"
t0=$(date +%s%N)
out=$(tlsm master link-status) || fail "master during a stalled handshake: $out"
t1=$(date +%s%N)
ev_end
wait_pid "$STALL" "$WAIT" "stalled client"
grep -qE '^stall closed [0-9]+$' "$LW_TMP/stall.out" || fail "stalled client: $(cat "$LW_TMP/stall.out")"
jq -s -e 'any(.[]; .event == "tls_failed" and .outstation == "patient" and
    .reason == "replaced during the handshake")' \
    "$LW_TMP/ev.out" >/dev/null || fail "stalled one not replaced: $(cat "$LW_TMP/ev.out")"
port=$p1
echo "ok: a stalled handshake does not hold up the next master ($(((t1 - t0) / 1000000)) ms)"

# 4. replacement over TLS: the first master's connection ends. It would
# listen for 300 s: it ends early only if its connection does. The 4
# events: the first one's connected and disconnected, the second one's.
ev_start 4 -o secure
timeout 330 "$MASTER" -t "$WAIT_MS" --tls-ca "$C/ca.pem" --tls-cert "$C/master.pem" \
    --tls-key "$C/master.key" "127.0.0.1:$port" listen 300 >"$LW_TMP/first.out" 2>&1 &
FIRST=$!
LW_BG+=($FIRST)
wait_for "$LW_TMP/ev.out" '"event":"connected"' "$WAIT" ||
	fail "first master not connected: events $(cat "$LW_TMP/ev.out" "$LW_TMP/ev.err"), master $(cat "$LW_TMP/first.out"), log $(tail -5 "$LW_LOG")"
out=$(tlsm master integrity) || fail "second master: $out"
wait_pid "$FIRST" "$WAIT" "first master" && fail "first master exited 0 after being replaced"
ev_end
v=$(jq -r '"\(.event) \(.reason // .subject)"' "$LW_TMP/ev.out" | head -3 | tr '\n' ,)
[ "$v" = "connected /CN=scada-a,disconnected replaced,connected /CN=scada-a," ] ||
	fail "replacement events: $v"
echo "ok: replacement over TLS"

# 5. key renewal after 64 KiB: 1000 polls of about 100 bytes each.
out=$(tlsm master --repeat 1000 integrity) || fail "polls across a key update: $out"
echo "$out" | grep -q "^integrity: 1000 requests, 0 failed" || fail "polls: $out"
lw_wait_log "tls: session keys renewed \(key update\) with 127.0.0.1:[0-9]+ after [0-9]+ bytes"
echo "ok: session keys renewed after 64 KiB, 1000 polls answered"

# 5b. TLS 1.2: the server renegotiates after 64 KiB, the master polls on.
n0=$(grep -c "tls: renegotiation with 127.0.0.1:[0-9]* complete" "$LW_LOG")
out=$(tlsm master --tls-max 1.2 --repeat 1000 integrity) ||
	fail "polls across a TLS 1.2 renegotiation: $out"
echo "$out" | grep -q "^integrity: 1000 requests, 0 failed" || fail "polls: $out"
lw_wait_log "tls: session keys renewed \(renegotiation\) with 127.0.0.1:[0-9]+ after [0-9]+ bytes"
lw_wait_log "tls: renegotiation with 127.0.0.1:[0-9]+ complete \(ECDHE-[A-Z0-9-]+, secure renegotiation yes\)"
[ "$(grep -c "tls: renegotiation with 127.0.0.1:[0-9]* complete" "$LW_LOG")" -gt "$n0" ] ||
	fail "no renegotiation completed: $(grep 'tls:' "$LW_LOG" | tail -3)"
echo "ok: TLS 1.2 session renegotiated by the server, 1000 polls answered"

# 5c. TLS 1.2: a renegotiation the master starts is refused.
mkfifo "$LW_TMP/sc.in"
timeout 20 openssl s_client -tls1_2 -connect "127.0.0.1:$port" \
    -CAfile "$C/ca.pem" -cert "$C/master.pem" -key "$C/master.key" \
    <"$LW_TMP/sc.in" >"$LW_TMP/sc.out" 2>&1 &
SC=$!
LW_BG+=($SC)
exec 7>"$LW_TMP/sc.in"
wait_for "$LW_TMP/sc.out" "Verify return code: 0" "$WAIT" ||
	fail "s_client: no TLS 1.2 session: $(cat "$LW_TMP/sc.out")"
n0=$(grep -c "tls: renegotiation with" "$LW_LOG")
echo R >&7
wait_for "$LW_TMP/sc.out" "no renegotiation" "$WAIT" ||
	fail "client renegotiation not refused: $(tail -5 "$LW_TMP/sc.out")"
exec 7>&-
wait_pid "$SC" "$WAIT" "openssl s_client"
grep -q '^RENEGOTIATING' "$LW_TMP/sc.out" || fail "s_client did not renegotiate"
lw_wait_log "tls read from 127.0.0.1:[0-9]+: handshake failed"
[ "$(grep -c "tls: renegotiation with" "$LW_LOG")" = "$n0" ] ||
	fail "a client renegotiation completed"
echo "ok: a renegotiation the master starts is refused (no_renegotiation)"

# 6. the TLS worker is locked down as every worker, and still the same.
[ "$(lw_worker_pids)" = "$wpids" ] || fail "worker restarted: $(lw_worker_pids)"
st=/proc/$wpid/status
for k in Uid Gid; do
	for v in $(sed -n "s/^$k:\t//p" "$st"); do
		[ "$v" != 0 ] || fail "TLS worker: $k 0"
	done
done
for k in CapInh CapPrm CapEff CapAmb CapBnd; do
	[ "$(sed -n "s/^$k:\t//p" "$st")" = 0000000000000000 ] ||
		fail "TLS worker: $k $(sed -n "s/^$k:\t//p" "$st")"
done
[ "$(sed -n 's/^Seccomp:\t//p' "$st")" = 2 ] || fail "TLS worker: not Seccomp 2"
grep -q "SIGSYS\|seccomp violation" "$LW_LOG" && fail "a seccomp kill: $(grep SIGSYS "$LW_LOG")"
echo "ok: the TLS worker runs with uid $(sed -n 's/^Uid:\t//p' "$st" | cut -f1), no capabilities, Seccomp 2"

# 7. a key file dnp3-master cannot read: an error and no connection. The
# master runs against a listening socket nobody accepts on: a connection
# it made would wait in that socket's queue, read once it has exited.
out=$(timeout 30 python3 - "$MASTER" "$C" <<'PY'
import socket, subprocess, sys
master, c = sys.argv[1], sys.argv[2]
l = socket.socket()
l.bind(('127.0.0.1', 0))
l.listen(1)
r = subprocess.run([master, '-t', '3000', '--tls-ca', c + '/ca.pem',
                    '--tls-cert', c + '/master.pem',
                    '--tls-key', c + '/missing.key',
                    '127.0.0.1:%d' % l.getsockname()[1], 'integrity'],
                   capture_output=True, text=True, timeout=20)
l.setblocking(False)
try:
    l.accept()
    conn = 'connected'
except BlockingIOError:
    conn = 'no-connection'
print(r.returncode, conn, ' '.join(r.stderr.split()))
PY
)
[[ "$out" =~ ^[1-9][0-9]*\ no-connection\ .*tls:\ certificate/key\ .*master\.pem ]] ||
	fail "a master with a missing key file: $out"
echo "ok: a master whose key file is missing says so and does not connect"
lw_stop
echo "PASS: TLS masters served, refused with their reasons, stalls cut"
