#!/usr/bin/env bash
# Shutdown is bounded: on SIGTERM a master's connection is closed, a
# worker that does not stop (here: SIGSTOPped) is killed after the grace
# period, and dnp3d exits 0 with no process left.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
lw_conf2 "$port" alpha 127.0.0.2 10 stuck 127.0.0.3 20
lw_start "$LW_TMP/dnp3d.conf"
spid=$(sed -n 's/.*worker stuck started (pid \([0-9]*\)).*/\1/p' "$LW_LOG")
[ -n "$spid" ] || fail "no pid for stuck"

# A master connected to alpha; it must see EOF when dnp3d stops (it waits
# for it 60 s from its connect, across the waits below).
D3_WAIT=60 lw_client silent "$port" 127.0.0.2 >"$LW_TMP/master.out" &
client=$!
lw_wait_log "alpha: info: connected 127\.0\.0\.2:"
kill -STOP "$spid"
start=$(date +%s%N)
lw_stop
took=$(( ($(date +%s%N) - start) / 1000000 ))
wait_pid "$client" "$WAIT" "the master after shutdown"
[ "$(cat "$LW_TMP/master.out")" = closed ] || fail "master saw: $(cat "$LW_TMP/master.out")"
grep -q "alpha: info: disconnected (shutdown) 127.0.0.2:" "$LW_LOG" ||
	fail "alpha did not report the shutdown"
grep -q "worker stuck (pid $spid) did not stop, killing it" "$LW_LOG" ||
	fail "stuck worker not reported"
# At least the stuck worker's 2 s grace (SUPERVISE_STOP_WAIT_MS); at most
# what dnp3d may block for (listener/supervise.h, hub.h: 2 s each for the
# workers to stop and, after SIGKILL, to be reaped; as much for the hub),
# 8 s, plus 12 s for the exits of an ASan build on a loaded machine.
[ "$took" -ge 2000 ] && [ "$took" -lt 20000 ] || fail "shutdown took $took ms"
echo "PASS"
