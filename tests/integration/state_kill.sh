#!/usr/bin/env bash
# Nothing is lost and nothing comes twice when a worker dies: its
# outstation lives in a state region that the next worker resumes, and
# the master's TCP connection outlives the worker (the listener hands the
# same socket to the next one, which takes a confirm of its
# predecessor's response as its own). STATE_KILL_RUNS times (default
# 100): a batch of STATE_KILL_BATCH (default 10) counter updates with
# unique values is published (seen applied in a static read; a batch
# fits one response fragment), then the worker is killed with SIGKILL:
#  - odd runs: at a random moment (0..150 ms) while dnp3-master polls
#    class 1 with confirms again and again;
#  - even runs: between a response and its confirm: a master reads class
#    1 and holds the response unconfirmed; the worker is killed; then it
#    confirms on the same connection and reads class 1 again there.
# At the end the master reads what is left. Asserted:
#  - every published value reaches the master exactly once, in the order
#    published (no duplicate at all); none is lost unless a region was
#    discarded because the worker died inside a change (dnp3d(8) STATE);
#  - each kill gives one `restarted` event of kind process, state_kept
#    true, or false with the reason "a change was interrupted";
#  - the held master's connection survived every kill (its second read
#    was answered on it);
#  - unless a region was discarded, the static value is the last one
#    published and the outstation never said DEVICE_RESTART.
# Prints: runs, events, lost, duplicated, discarded.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_state.sh"

RUNS=${STATE_KILL_RUNS:-100}
BATCH=${STATE_KILL_BATCH:-10}
[ "$RUNS" -ge 2 ] && [ "$RUNS" -le 1000 ] && [ "$BATCH" -ge 1 ] &&
	[ "$BATCH" -le 30 ] || fail "runs 2..1000, batch 1..30"

st_conf "fragment = { tx = 249; }; state = { crash_count = 1000000; };
    database = { counter = { count = 1; class = 1; }; };
    event_buffer = { counter = 1000; };"
lw_start "$LW_TMP/dnp3d.conf"

# Every restarted event of the whole test. Each run waits for its own
# event ($WAIT); the collector's bound is only for a test that hangs: a run
# took up to 5 s with the ASan build beside three soaks (3 s a run was the
# bound before, and the collector ended at run 87 of 100).
st_restarted "$RUNS" $((RUNS * 15 + 60))

READY='worker solo ready \(pid'
ready_count() { grep -cE "$READY" "$LW_LOG"; }

# publish FIRST LAST: counter 0 takes FIRST..LAST in one batch, one event
# each; until a static read shows LAST.
publish() {
	local items i
	items=$(seq "$1" "$2" | jq -cs 'map({type: "counter", index: 0,
	    value: .})')
	"$UPDATE" -u "$URL" -w 0 --json \
	    "{\"op\":\"update\",\"outstation\":\"solo\",\"updates\":$items}" ||
		fail "batch $1..$2: dnp3-update exited $?"
	for i in $(seq 1 "$WAIT"); do
		st_master read 20 0 0 0 2>/dev/null | grep -qE \
		    "^g20v[0-9]+ index=0 value=$2 " && return 0
		sleep 0.1
	done
	fail "batch $1..$2 never applied"
}

# A master polling class 1 (with confirms) until $LW_TMP/stop exists (at
# most 40 polls), its output appended to polls.out.
poller() {
	local i
	for i in $(seq 1 40); do
		[ -e "$LW_TMP/stop" ] && return 0
		st_master class 1 >>"$LW_TMP/polls.out" 2>>"$LW_TMP/polls.err"
	done
}

# held: reads class 1, prints the values, says "held" and keeps the
# response unconfirmed until a line comes on stdin; then confirms it and
# reads class 1 again on the same connection, which the next worker
# answers. Each wait, for an answer or the line, is 30 s (lib.sh's WAIT):
# the second answer comes after a worker's start.
HELD_WAIT=$((WAIT / 10))
HELD_BOUND=$((3 * HELD_WAIT + 30))	# the three waits and Python's start
held() {
	PYTHONPATH=$LW_TMP:$(dirname "$0") timeout -k 1 "$HELD_BOUND" python3 -c '
import select, sys
from outstation_client import Master, response

wait = float(sys.argv[2])

def read(m):
    ac, _, iin, objs = response(m, timeout=wait)
    for g, v, i, b in objs:
        assert (g, v) == (22, 1), "g%dv%d" % (g, v)
        print("g22v1 index=%d value=%d" % (i, int.from_bytes(b[1:5], "little")))
    if iin & 0x80:
        print("DEVICE_RESTART")
    return ac

m = Master(int(sys.argv[1]), 7, "127.0.0.2")
m.request(1, bytes([60, 2, 0x06]))
ac = read(m)
assert ac & 0x20, "a response with events asks for a confirm"
print("held", flush=True)
assert select.select([sys.stdin], [], [], wait)[0], "no go"
m.confirm(ac & 0x0f)
m.request(1, bytes([60, 2, 0x06]))
ac = read(m)
if ac & 0x20:
    m.confirm(ac & 0x0f)
print("same connection", flush=True)
' "$port" "$HELD_WAIT"
}

new_worker() {
	wait_count "$LW_LOG" "$READY" $(($1 + 1)) "$WAIT" ||
		fail "run $r: no new worker"
}

: >"$LW_TMP/polls.out"
mkfifo "$LW_TMP/go"
st_master clear-restart >/dev/null || fail "clear-restart"
for r in $(seq 1 "$RUNS"); do
	first=$(( (r - 1) * BATCH + 1 ))
	last=$(( r * BATCH ))
	st_restarted_wait $((r - 1))
	publish "$first" "$last"
	pid=$(st_worker_pid)
	ready=$(ready_count)
	if [ $((r % 2)) = 0 ]; then
		: >"$LW_TMP/held.out"	# no "held" of the run before
		held <"$LW_TMP/go" >"$LW_TMP/held.out" 2>"$LW_TMP/held.err" &
		ppid=$!
		LW_BG+=($ppid)
		exec 7>"$LW_TMP/go"
		wait_for "$LW_TMP/held.out" "^held" "$WAIT" ||
			fail "run $r: $(cat "$LW_TMP/held.out" "$LW_TMP/held.err")"
		kill -9 "$pid" || fail "worker $pid already gone"
		echo go >&7
		exec 7>&-
		wait_pid "$ppid" $((HELD_BOUND * 10 + WAIT)) "held master" ||
			fail "run $r: $(cat "$LW_TMP/held.out" "$LW_TMP/held.err")"
		grep -q '^same connection' "$LW_TMP/held.out" ||
			fail "run $r: the held connection did not survive"
		grep -vE '^(held|same connection)' "$LW_TMP/held.out" \
		    >>"$LW_TMP/polls.out"
		new_worker "$ready"
	else
		rm -f "$LW_TMP/stop"
		poller &
		ppid=$!
		LW_BG+=($ppid)
		# The moment of the kill: in the first 150 ms of polling,
		# where the first poll carries the batch.
		sleep "0.$(printf '%03d' $((RANDOM % 150)))"
		kill -9 "$pid" || fail "worker $pid already gone"
		new_worker "$ready"
		touch "$LW_TMP/stop"
		wait_pid "$ppid" "$WAIT" "poller" >/dev/null
	fi
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
[ "$dup" = 0 ] || fail "$dup values came twice"
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
