#!/usr/bin/env bash
# Nothing is lost when a worker dies: its outstation lives in a state
# region that the next worker resumes. STATE_KILL_RUNS times (default
# 20): a batch of STATE_KILL_BATCH counter updates with unique values
# is published (and seen applied in a static read), then the worker is
# killed with SIGKILL: in odd runs at a random moment while dnp3-master
# polls class 1 with confirms again and again; in even runs between a
# response and its confirm (a master that reads the first fragment and
# does not confirm it). At the end the master reads what is left.
# Asserted:
#  - every published value reaches the master, in the order published;
#    a value may come twice (a kill between a response and its confirm:
#    the next response repeats it, which a master sees as a repeat), and
#    a value is only allowed to be lost in a run whose region was
#    discarded because the worker died inside a change;
#  - each kill gives one `restarted` event of kind process, state_kept
#    true, or false with the reason "a change was interrupted", and no
#    other reason (the crash-loop rule is configured away here);
#  - unless a region was discarded, the static value is the last one
#    published and the outstation never said DEVICE_RESTART.
# Prints: runs, events, lost, duplicated, discarded.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_state.sh"

RUNS=${STATE_KILL_RUNS:-20}
BATCH=${STATE_KILL_BATCH:-50}
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 1000 ] && [ "$BATCH" -ge 1 ] &&
	[ "$BATCH" -le 1000 ] || fail "runs 1..1000, batch 1..1000"

# A small fragment, so that a batch needs several confirmed responses.
st_conf "fragment = { tx = 249; }; state = { crash_count = 1000000; };
    database = { counter = { count = 1; class = 1; }; };
    event_buffer = { counter = 1000; };"
lw_start "$LW_TMP/dnp3d.conf"

# Every restarted event of the whole test.
st_restarted "$RUNS" $((RUNS * 12 + 50))

ready_count() { grep -c 'worker solo ready (pid' "$LW_LOG"; }

# publish FIRST LAST: counter 0 takes FIRST..LAST in one batch, one event
# each; until a static read shows LAST.
publish() {
	local items i
	items=$(seq "$1" "$2" | jq -cs 'map({type: "counter", index: 0,
	    value: .})')
	"$UPDATE" -u "$URL" -w 0 --json \
	    "{\"op\":\"update\",\"outstation\":\"solo\",\"updates\":$items}" ||
		fail "batch $1..$2: dnp3-update exited $?"
	for i in $(seq 1 50); do
		st_master read 20 0 0 0 2>/dev/null | grep -qE \
		    "^g20v[0-9]+ index=0 value=$2 " && return 0
		sleep 0.1
	done
	fail "batch $1..$2 never applied"
}

# A master polling class 1 (with confirms) for about 1.5 s, its output
# appended to polls.out.
poller() {
	local i
	for i in $(seq 1 15); do
		st_master class 1 >>"$LW_TMP/polls.out" 2>>"$LW_TMP/polls.err"
	done
}

# unconfirmed: a master reads class 1, prints the values of the first
# fragment (the batch does not fit one) and holds the connection without
# confirming it, until killed (at most 10 s).
unconfirmed() {
	PYTHONPATH=$LW_TMP:$(dirname "$0") timeout -k 1 10 python3 -c '
import sys, time
from outstation_client import Master, response
m = Master(int(sys.argv[1]), 7, "127.0.0.2")
m.request(1, bytes([60, 2, 0x06]))
ac, _, _, objs = response(m)
assert ac & 0xe0 == 0xa0, "not a first fragment asking a confirm"
for g, v, i, b in objs:
    assert (g, v) == (22, 1), "g%dv%d" % (g, v)
    print("g22v1 index=%d value=%d" % (i, int.from_bytes(b[1:5], "little")))
print("held", flush=True)
time.sleep(10)
' "$port"
}

: >"$LW_TMP/polls.out"
st_master clear-restart >/dev/null || fail "clear-restart"
for r in $(seq 1 "$RUNS"); do
	first=$(( (r - 1) * BATCH + 1 ))
	last=$(( r * BATCH ))
	st_restarted_wait $((r - 1))
	publish "$first" "$last"
	pid=$(st_worker_pid)
	ready=$(ready_count)
	if [ $((r % 2)) = 0 ]; then
		unconfirmed >"$LW_TMP/held.out" 2>"$LW_TMP/held.err" &
		ppid=$!
		LW_BG+=($ppid)
		wait_for "$LW_TMP/held.out" "^held" 50 ||
			fail "run $r: $(cat "$LW_TMP/held.out" "$LW_TMP/held.err")"
		grep -v '^held' "$LW_TMP/held.out" >>"$LW_TMP/polls.out"
		kill -9 "$pid" || fail "worker $pid already gone"
		wait_pid "$ppid" 120 "unconfirmed master" >/dev/null
	else
		poller &
		ppid=$!
		LW_BG+=($ppid)
		# The moment of the kill: in the first 250 ms of polling,
		# where the first poll carries the batch.
		sleep "0.$(printf '%03d' $((RANDOM % 250)))"
		kill -9 "$pid" || fail "worker $pid already gone"
		wait_pid "$ppid" 200 "poller" >/dev/null
	fi
	for i in $(seq 1 150); do
		[ "$(ready_count)" -gt "$ready" ] && break
		sleep 0.1
	done
	[ "$(ready_count)" -gt "$ready" ] || fail "run $r: no new worker"
done

# What is left: poll until a response carries no event (bounded).
for i in $(seq 1 30); do
	out=$(st_master class 1) || continue
	echo "$out" >>"$LW_TMP/polls.out"
	echo "$out" | grep -qE '^g22v' || break
done
final=$(st_master read 20 0 0 0) || fail "final static read: $final"
wait_pid "$ST_EVPID" 300 "dnp3-events" ||
	fail "restarted events: $(cat "$LW_TMP/restarted.out" "$LW_TMP/restarted.err")"

# The restarted events: one per kill, kept or discarded mid-change.
kept=$(jq -s '[.[] | select(.kind == "process" and .state_kept)] | length' \
    "$LW_TMP/restarted.out")
discarded=$(jq -s '[.[] | select(.kind == "process" and
    (.state_kept | not) and .reason == "a change was interrupted")] |
    length' "$LW_TMP/restarted.out")
[ $((kept + discarded)) = "$RUNS" ] && [ "$kept" -ge 1 ] ||
	fail "restarted events: $(cat "$LW_TMP/restarted.out")"

# The master's view: values in arrival order.
grep -oE '^g22v[0-9]+ index=0 value=[0-9]+' "$LW_TMP/polls.out" |
    sed 's/.*value=//' >"$LW_TMP/got"
events=$((RUNS * BATCH))
read -r lost dup order <<EOF
$(awk -v n="$events" '
	{ if (seen[$1]++) dup++; else { if ($1 <= top) bad++; top = $1 } }
	END { for (v = 1; v <= n; v++) if (!(v in seen)) lost++
	      printf "%d %d %d\n", lost, dup, bad }' "$LW_TMP/got")
EOF
echo "runs=$RUNS events=$events lost=$lost duplicated=$dup" \
    "discarded=$discarded kept=$kept region=$(sed -n \
    's/.*solo: state region of \([0-9]*\) bytes.*/\1/p' "$LW_LOG" | head -1)"
[ "$order" = 0 ] || fail "$order values arrived out of order"
[ "$(grep -c . "$LW_TMP/got")" -ge "$events" ] || [ "$discarded" -gt 0 ] ||
	fail "fewer values than published"
if [ "$discarded" = 0 ]; then
	[ "$lost" = 0 ] || fail "$lost values lost with every state kept"
	echo "$final" | grep -qE "^g20v[0-9]+ index=0 value=$events " ||
		fail "static value is not the last published: $final"
	grep -q 'DEVICE_RESTART' "$LW_TMP/polls.out" &&
		fail "the master saw DEVICE_RESTART with every state kept"
fi
grep "killed by seccomp" "$LW_LOG" && fail "a worker broke its seccomp filter"
lw_stop
echo "PASS"
