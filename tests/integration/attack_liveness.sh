#!/usr/bin/env bash
# Finding 9 (issue 21): workers that stop reading their channel.
# Compromised workers (tests/attack/evil_channel: the real set-up and
# lockdown, then it never reads its channel again) for four outstations,
# under the usual RLIMIT_NOFILE of 1024 (which also bounds root's
# descriptors in flight, ETOOMANYREFS):
#  - 1,200 connections for the four stuck outstations: each holds at most
#    its share of hand-offs in flight, the rest are rejected with
#    "hand-offs pending";
#  - meanwhile the healthy outstation's master is served, 20 connections
#    in a row (the hand-offs to it still succeed);
#  - a stuck worker with timeouts_ms.worker_liveness = 1000 is killed
#    ("has not read its channel"), reported as worker_exited with reason
#    "unresponsive" and a restart delay, and started again.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

EVIL=$BUILD/tests/attack/evil_channel
lw_need_built "$EVENTS" "$EVIL"
command -v prlimit >/dev/null || skip "prlimit (util-linux) is needed"
export DNP3D_WORKER=$EVIL

port=$(lw_port)
run=$LW_TMP/run
deaf() {
	echo "{ name = \"deaf$1\"; filter = \"127.0.1.$1\"; address = 1$1;" \
	    "master = 1; timeouts_ms = { worker_liveness = $2; }; },"
}
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( { listen = "127.0.0.1:$port"; outstations = (
  $(deaf 1 60000) $(deaf 2 60000) $(deaf 3 60000) $(deaf 4 60000)
  $(deaf 9 1000)
  { name = "healthy"; filter = "127.0.0.2"; address = 7; master = 1; }
); } );
CONF
prlimit --nofile=1024:1024 "$DNP3D" -d -c "$LW_TMP/dnp3d.conf" 2>"$LW_LOG" &
LW_PID=$!
lw_wait_log 'info: 6 outstations ready'

timeout -k 2 130 "$EVENTS" --json -v -u "ipc://$run/bus.ipc" -o deaf9 \
    -e worker_exited -e worker_started -n 3 -t 120 \
    >"$LW_TMP/ev.out" 2>"$LW_TMP/ev.err" &
evpid=$!
LW_BG+=("$evpid")

# 300 connections for each stuck outstation, then the healthy master.
PYTHONPATH=$LW_TMP python3 - "$port" >"$LW_TMP/flood.out" <<'PY' ||
import socket, sys
from lib_dnp3link import status
port = int(sys.argv[1])
for k in (1, 2, 3, 4):
    for i in range(300):
        s = socket.socket()
        s.bind(('127.0.1.%d' % k, 0))
        s.settimeout(10)
        s.connect(('127.0.0.1', port))
        s.close()
served = 0
for i in range(20):
    s = socket.socket()
    s.bind(('127.0.0.2', 0))
    s.settimeout(10)
    s.connect(('127.0.0.1', port))
    served += status(s, 7) == 'status 7'
    s.close()
print('served %d' % served)
PY
	fail "flood client failed"
grep -q '^served 20$' "$LW_TMP/flood.out" ||
	fail "healthy master while four workers are stuck: $(cat "$LW_TMP/flood.out")"
lw_wait_log "rejected 127\.0\.1\.1:[0-9]+ on .*: outstation deaf1 has [0-9]+ hand-offs pending"
grep -q "hand-off to outstation" "$LW_LOG" &&
	fail "a hand-off failed: $(grep "hand-off to outstation" "$LW_LOG" | head -3)"
pending=$(sed -n 's/.*outstation deaf1 has \([0-9]*\) hand-offs pending.*/\1/p' "$LW_LOG" | sort -u)
[ "$(echo "$pending" | wc -l)" = 1 ] && [ "$pending" -le 32 ] ||
	fail "deaf1's hand-offs in flight: '$pending', want one bound <= 32"

# The quick one: killed as unresponsive, and started again.
lw_wait_log "worker deaf9 \(pid [0-9]+\) has not read its channel for [0-9]+ ms"
lw_wait_log "worker deaf9 \(pid [0-9]+\) killed by signal SIGKILL \(unresponsive\); restarting in [0-9]+ ms"
wait_pid "$evpid" "$WAIT" "dnp3-events" || fail "dnp3-events: $(cat "$LW_TMP/ev.err")"
python3 - "$LW_TMP/ev.out" <<'PY' || fail "events: $(cat "$LW_TMP/ev.out")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
i = next(i for i, e in enumerate(ev) if e['event'] == 'worker_exited')
e = ev[i]
assert e['source'] == 'listener' and e['reason'] == 'unresponsive', e
assert e['signal'] == 'SIGKILL' and e['restart_in_ms'] > 0, e
assert any(x['event'] == 'worker_started' for x in ev[i + 1:]), ev
PY

lw_stop
echo "PASS: hand-offs in flight per stuck worker: $pending; healthy master served 20/20"
