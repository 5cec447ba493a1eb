#!/usr/bin/env bash
# A worker killed with SIGKILL is reported with its signal and restarted,
# while the other outstation keeps answering; then the restarted one
# answers again. Killed again soon after, by SIGSYS (what a seccomp
# violation looks like), it is reported as such and restarted after the
# least delay again: it had resumed its kept state, so the crash-loop
# rule, not the doubling, bounds its restarts (dnp3d(8) STATE; the
# doubling is listener_backoff.sh's).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
lw_conf2 "$port" alpha 127.0.0.2 10 beta 127.0.0.3 20
# alpha_ready N: until alpha's worker has said "ready" N times, no more.
alpha_ready() {
	local ready='worker alpha ready'
	wait_count "$LW_LOG" "$ready" "$1" "$WAIT" ||
		fail "alpha not ready $1 times"
	[ "$(grep -c "$ready" "$LW_LOG")" = "$1" ] ||
		fail "alpha ready more than $1 times: $(grep 'worker alpha' "$LW_LOG")"
}

ulimit -c 0	# no core files from SIGSYS
lw_start "$LW_TMP/dnp3d.conf"

apid=$(sed -n 's/.*worker alpha started (pid \([0-9]*\)).*/\1/p' "$LW_LOG" | head -1)
bpid=$(sed -n 's/.*worker beta started (pid \([0-9]*\)).*/\1/p' "$LW_LOG" | head -1)
[ -n "$apid" ] && [ -n "$bpid" ] || fail "worker pids not logged"
kill -9 "$apid"
out=$(lw_client status "$port" 127.0.0.3 20)
[ "$out" = "status 20" ] || fail "beta while alpha is down: '$out'"
lw_wait_log "worker alpha \(pid $apid\) killed by signal SIGKILL; restarting in 100 ms"
alpha_ready 2

out=$(lw_client status "$port" 127.0.0.2 10)
[ "$out" = "status 10" ] || fail "alpha after restart: '$out'"
out=$(lw_client status "$port" 127.0.0.3 20)
[ "$out" = "status 20" ] || fail "beta after alpha's restart: '$out'"
kill -0 "$bpid" || fail "beta's worker was disturbed"

apid2=$(sed -n 's/.*worker alpha ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG" | tail -1)
[ -n "$apid2" ] && [ "$apid2" != "$apid" ] || fail "restarted alpha's pid not logged"
kill -SYS "$apid2"
lw_wait_log "worker alpha \(pid $apid2\) killed by seccomp \(SIGSYS\); restarting in 100 ms"
alpha_ready 3
out=$(lw_client status "$port" 127.0.0.2 10)
[ "$out" = "status 10" ] || fail "alpha after the second restart: '$out'"
kill -0 "$bpid" || fail "beta's worker was disturbed"
grep -q "worker beta (pid" "$LW_LOG" && grep "worker beta (pid" "$LW_LOG" |
	grep -q "restarting" && fail "beta was restarted"

lw_stop
echo "PASS"
