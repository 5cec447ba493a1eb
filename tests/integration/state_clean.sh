#!/usr/bin/env bash
# When the state region is not kept, the outstation starts clean and
# says why:
#  1. a region damaged from outside (as root, garbage written into the
#     listener's memfd through /proc): the next worker discards it:
#     `restarted` state_kept false, reason "header damaged"; the master
#     sees DEVICE_RESTART again and the published value is gone. Done
#     four times in a row, more than state.crash_count (3): workers that
#     die soon after a clean start are no crash loop (the reason stays
#     "header damaged"; the restart backoff deals with them);
#  2. a crash loop (state.crash_count 3): workers killed one after the
#     other, each soon after it started. The first had started clean and
#     does not count; the next three resumed the state, and after the
#     third of them the next one starts clean (reason "crash loop",
#     DEVICE_RESTART); its own death does not count, so the one after it
#     resumes again.
# Each phase has its own dnp3d.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_state.sh"

[ "$(id -u)" = 0 ] || skip "needs root (writes into the listener's memfd)"

st_conf "state = { crash_count = 3; crash_window_ms = 60000; };
    database = { analog_input = { count = 2; class = 1; }; };"

# kill_worker N: SIGKILL the worker, until the next one has published
# restarted event number N.
kill_worker() {
	local pid
	pid=$(st_worker_pid)
	kill -9 "$pid" || fail "no worker $pid"
	st_restarted_wait "$1"
}

# set_value V: analog input 0 takes V; a master reads it back.
set_value() {
	"$UPDATE" -u "$URL" solo analog_input 0 "$1" || fail "update $1"
	for i in $(seq 1 "$WAIT"); do
		st_master read 30 0 0 0 | grep -qE "^g30v[0-9] index=0 value=$1 " &&
			return 0
		sleep 0.1
	done
	fail "value $1 not applied"
}

# value_is V: the master reads V, and DEVICE_RESTART iff $2 = restart.
value_is() {
	local out
	out=$(st_master read 30 0 0 0) || fail "read: $out"
	echo "$out" | grep -qE "^g30v[0-9] index=0 value=$1 " ||
		fail "value is not $1: $out"
	if [ "$2" = restart ]; then
		echo "$out" | grep -q DEVICE_RESTART || fail "no DEVICE_RESTART: $out"
	else
		echo "$out" | grep -q DEVICE_RESTART && fail "DEVICE_RESTART: $out"
	fi
	return 0
}

lw_start "$LW_TMP/dnp3d.conf"
st_master clear-restart >/dev/null || fail "clear-restart"
set_value 1234
value_is 1234 kept

# 1. damaged from outside, four times: garbage over the header after
# its magic, then the worker killed
lfd=$(ls -l "/proc/$LW_PID/fd" | sed -n 's/.* \([0-9]*\) -> \/memfd:dnp3d-state.*/\1/p')
[ "$(echo "$lfd" | wc -w)" = 1 ] || fail "listener's memfd not found: '$lfd'"
st_restarted 4 300
for n in 1 2 3 4; do
	printf 'garbage!' | dd of="/proc/$LW_PID/fd/$lfd" bs=1 seek=16 \
	    conv=notrunc status=none || fail "cannot write into the region"
	kill_worker "$n"
done
wait_pid "$ST_EVPID" "$WAIT" "dnp3-events" || fail "restarted events"
v=$(jq -r '[.kind, .state_kept, .reason] | join(" ")' "$LW_TMP/restarted.out")
[ "$v" = "process false header damaged
process false header damaged
process false header damaged
process false header damaged" ] || fail "damaged regions: $v"
lw_wait_log "state discarded \(header damaged\): starting clean"
value_is 0 restart

lw_stop
mv "$LW_LOG" "$LW_TMP/dnp3d-1.log"	# lw_start waits for a line of the new one

# 2. a crash loop: a clean start's death, three quick deaths of workers
# that resumed, then a clean start
lw_start "$LW_TMP/dnp3d.conf"
st_master clear-restart >/dev/null || fail "clear-restart"
set_value 5678
st_restarted 5 300
kill_worker 1
value_is 5678 kept
kill_worker 2
value_is 5678 kept
kill_worker 3
value_is 5678 kept
kill_worker 4
value_is 0 restart
st_master clear-restart >/dev/null || fail "clear-restart"
set_value 91
kill_worker 5
value_is 91 kept
wait_pid "$ST_EVPID" "$WAIT" "dnp3-events" || fail "restarted events"
v=$(jq -r '[.kind, .state_kept, .reason // "-"] | join(" ")' \
    "$LW_TMP/restarted.out")
[ "$v" = "process true -
process true -
process true -
process false crash loop
process true -" ] || fail "crash loop events:
$v"
lw_wait_log "state discarded \(crash loop\): starting clean"
grep "killed by seccomp" "$LW_LOG" && fail "a worker broke its seccomp filter"
lw_stop
echo "PASS"
