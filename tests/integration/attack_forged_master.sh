#!/usr/bin/env bash
# Finding 10 (issue 21): a compromised worker (tests/attack/evil_channel:
# real set-up and lockdown) reports masters it was never handed: one
# "connected" for a made-up peer in 198.18.0.0/15, then a flood of made-up
# "connected"/"gone" reports, and if it is still alive then, it exits with
# a made-up master "connected".
#  - the listener logs the lie, kills the worker ("bad message (master)"),
#    reports worker_exited with reason "protocol violation", restarts it;
#  - no event signed by the listener names a made-up peer (no
#    "disconnected (worker died)" for a master that never was);
#  - each incarnation costs the listener one report: as many lies are
#    logged as workers were killed, and the listener uses little CPU
#    while the worker keeps coming back and lying;
#  - the healthy outstation's master is served all along.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

EVIL=$BUILD/tests/attack/evil_channel
lw_need_built "$EVENTS" "$EVIL"
export DNP3D_WORKER=$EVIL

port=$(lw_port)
run=$LW_TMP/run
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( { listen = "127.0.0.1:$port"; outstations = (
  { name = "forge1"; filter = "127.0.2.1"; address = 11; master = 1; },
  { name = "healthy"; filter = "127.0.0.2"; address = 7; master = 1; }
); } );
CONF
lw_start "$LW_TMP/dnp3d.conf"
timeout -k 2 30 "$EVENTS" --json -v -u "ipc://$run/bus.ipc" -t 6 \
    >"$LW_TMP/ev.out" 2>"$LW_TMP/ev.err" &
evpid=$!
LW_BG+=("$evpid")
wait_for "$LW_TMP/ev.err" "joined the bus" "$WAIT" || fail "dnp3-events did not join"

ticks() { awk '{ print $14 + $15 }' "/proc/$LW_PID/stat"; }
t0=$(ticks)
for i in $(seq 1 5); do
	r=$(lw_client status "$port" 127.0.0.2 7)
	[ "$r" = "status 7" ] || fail "healthy master: '$r'"
	sleep 1
done
cpu=$(( $(ticks) - t0 ))
wait_pid "$evpid" "$WAIT" "dnp3-events" || fail "dnp3-events: $(cat "$LW_TMP/ev.err")"

lw_wait_log "worker forge1: master 198\.18\.0\.0:1024 connected: no such hand-off"
lw_wait_log "worker forge1 \(pid [0-9]+\) killed by signal SIGKILL \(protocol violation\); restarting"
# Counted once the listener has stopped: while it runs, a new incarnation
# can lie and be killed between one count and the next. Up to SIGTERM each
# lie is read as it comes and kills its worker at once. From SIGTERM the
# listener no longer reads channels: an incarnation that lies then is
# killed for not stopping, and its lie is read once from the channel after
# its death (supervise_chan_drain), with no second kill line.
lw_stop
lie="worker forge1: master .*: no such hand-off"
running=$(sed '/received SIGTERM/q' "$LW_LOG")
stopping=$(sed -n '/received SIGTERM/,$p' "$LW_LOG")
lies=$(grep -c "$lie" <<<"$running")
kills=$(grep -c "worker forge1 (pid [0-9]*): bad message (master), killing it" <<<"$running")
starts=$(grep -c "worker forge1 started (pid" "$LW_LOG")
[ "$lies" = "$kills" ] && [ "$kills" -le "$starts" ] && [ "$kills" -ge 2 ] ||
	fail "$lies lies logged, $kills kills, $starts starts before SIGTERM"
late=$(grep -c "$lie" <<<"$stopping")
[ "$late" = 0 ] || { [ "$late" = 1 ] &&
    grep -q "worker forge1 (pid [0-9]*) did not stop, killing it" <<<"$stopping"; } ||
	fail "$late lies logged while stopping: $stopping"
grep -q "198\.18\." <(grep -v "no such hand-off" "$LW_LOG") &&
	fail "a made-up peer in the log: $(grep -v "no such hand-off" "$LW_LOG" | grep "198\.18\." | head -3)"
# 5 s at 100 ticks a second: the listener used less than 10% of a CPU.
[ "$cpu" -lt 50 ] || fail "listener used $cpu ticks of CPU in 5 s"

python3 - "$LW_TMP/ev.out" <<'PY' || fail "events: $(head -c 3000 "$LW_TMP/ev.out")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
made_up = [e for e in ev if e.get('peer', '').startswith('198.18.')]
assert not made_up, made_up
mine = [e for e in ev if e['source'] == 'listener' and
        e['event'] in ('connected', 'disconnected')]
assert not mine, mine
ex = [e for e in ev if e['event'] == 'worker_exited']
assert ex and all(e['outstation'] == 'forge1' and
                  e['reason'] == 'protocol violation' for e in ex), ex
PY

echo "PASS: $kills forging workers killed at their first lie; listener CPU $cpu ticks in 5 s"
