#!/usr/bin/env bash
# Controls on the bus of a running dnp3d, as a master (dnp3-master) and an
# application (dnp3-events + dnp3-update) see them:
#  - controls = "bus": the master's DIRECT_OPERATE is published as a
#    control_request; the application's control_answer is the status the
#    master gets (SUCCESS, LOCAL); without an answer the master gets
#    TIMEOUT after control_answer_ms (default 2 s, not the 5 s select
#    timeout), well within a master's common 3 s response timeout; a late
#    answer changes nothing; dnp3d -t refuses a control_answer_ms out of
#    range;
#  - every control is published as a `control` event with its status;
#  - controls = "echo": the control event says SUCCESS and the output
#    status point follows.
# Everything is on loopback; every wait is bounded; only processes started
# here are stopped, by pid.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$EVENTS" "$UPDATE" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
URL=ipc://$LW_TMP/run/bus.ipc
# "asks" waits as long for its answer as the test waits for anything: the
# answer comes from processes the test starts after the request (dnp3-events
# sees it, jq, dnp3-update joins the bus), which a loaded machine can slow
# past the default 2 s. "ignored" keeps the default, which step 3 measures.
ANSWER_MS=$WAIT_MS
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "asks"; filter = "127.0.0.2"; address = 7; master = 1;
      controls = "bus"; control_answer_ms = $ANSWER_MS;
      database = { binary_output = { count = 4; };
        analog_output = { count = 2; }; }; },
    { name = "ignored"; filter = "127.0.0.4"; address = 9; master = 1;
      controls = "bus";
      database = { binary_output = { count = 4; }; }; },
    { name = "echoes"; filter = "127.0.0.3"; address = 8; master = 1;
      database = { binary_output = { count = 4; }; }; }
  );
} );
CONF
# dnp3d -t: control_answer_ms is 100..60000 ms.
for v in 99 60001; do
	sed "s/control_answer_ms = $ANSWER_MS;/control_answer_ms = $v;/" \
	    "$LW_TMP/dnp3d.conf" >"$LW_TMP/bad.conf"
	out=$("$DNP3D" -t -c "$LW_TMP/bad.conf" 2>&1); rc=$?
	[ "$rc" = 1 ] && echo "$out" | grep -q "control_answer_ms" ||
		fail "-t with control_answer_ms = $v: exit $rc: $out"
done
out=$("$DNP3D" -t -c "$LW_TMP/dnp3d.conf" 2>&1) || fail "-t: $out"

lw_start "$LW_TMP/dnp3d.conf"
pids=$(lw_worker_pids)

# app NAME: dnp3-events --json for control events in the background.
app() {
	timeout -k 2 300 "$EVENTS" -v --json -u "$URL" -e control_request \
	    -e control >"$LW_TMP/$1.out" 2>"$LW_TMP/$1.err" &
	LW_BG+=($!)
	wait_for "$LW_TMP/$1.err" "joined the bus" "$WAIT" ||
	    fail "dnp3-events did not join: $(cat "$LW_TMP/$1.err")"
}

# master NAME SRC DEST ARGS...: dnp3-master in the background. Its
# response timeout outlasts the answer it waits for: the test's wait_pid
# is what bounds it.
master() {
	local name=$1 src=$2 dest=$3
	shift 3
	timeout -k 2 60 "$MASTER" -a "$dest" -b "$src" -t "$((ANSWER_MS + 5000))" \
	    "127.0.0.1:$port" \
	    "$@" >"$LW_TMP/$name.out" 2>&1 &
	MPID=$!
	LW_BG+=($MPID)
}

# answer N OUTSTATION STATUS: the Nth control_request gets STATUS from
# OUTSTATION; prints its id.
answer() {
	local id
	wait_for "$LW_TMP/ev.out" "control_request" "$WAIT" || fail "no control_request"
	for i in $(seq 1 "$WAIT"); do
		id=$(jq -r 'select(.event == "control_request") | .id' \
		    "$LW_TMP/ev.out" | sed -n "$1p")
		[ -n "$id" ] && break
		sleep 0.1
	done
	[ -n "$id" ] || fail "no control_request number $1: $(cat "$LW_TMP/ev.out")"
	"$UPDATE" -u "$URL" --json "{\"op\":\"control_answer\",\"outstation\":\"$2\",\"id\":$id,\"status\":\"$3\"}" ||
		fail "control_answer $id: exit $?"
	echo "$id"
}

app ev

# 1. the application says SUCCESS: so does the outstation
master m1 127.0.0.2 7 operate 1 latch_on
id1=$(answer 1 asks SUCCESS)
wait_pid "$MPID" "$WAIT" "dnp3-master" || fail "operate answered SUCCESS: exit $? $(cat "$LW_TMP/m1.out")"
grep -qx "g12v1 index=1 op=LATCH_ON count=1 on=100 off=100 status=SUCCESS" \
    "$LW_TMP/m1.out" || fail "operate: $(cat "$LW_TMP/m1.out")"

# 2. the application says LOCAL: the master gets LOCAL (exit 3)
master m2 127.0.0.2 7 analog 0 7
id2=$(answer 2 asks LOCAL)
wait_pid "$MPID" "$WAIT" "dnp3-master"; rc=$?
[ "$rc" = 3 ] || fail "analog answered LOCAL: exit $rc $(cat "$LW_TMP/m2.out")"
grep -q "status=LOCAL" "$LW_TMP/m2.out" || fail "analog: $(cat "$LW_TMP/m2.out")"

# 3. nobody answers: the master gets TIMEOUT after control_answer_ms (2 s
# by default), not after the 5 s select timeout, and within 3 s, a common
# master response timeout. The time is the outstation's, from its
# control_request event to its control event (the events' times): no
# process start and no master is in it, only the worker's own timer and
# how soon the worker runs when it fires (the 1 s margin above it).
master m3 127.0.0.4 9 operate 2 latch_off
wait_pid "$MPID" "$WAIT" "dnp3-master"; rc=$?
[ "$rc" = 3 ] || fail "unanswered: exit $rc $(cat "$LW_TMP/m3.out")"
grep -qx "g12v1 index=2 op=LATCH_OFF count=1 on=100 off=100 status=TIMEOUT" \
    "$LW_TMP/m3.out" || fail "unanswered: $(cat "$LW_TMP/m3.out")"
wait_for "$LW_TMP/ev.out" '"event":"control",.*"status":"TIMEOUT"' "$WAIT" ||
	fail "no TIMEOUT control event: $(cat "$LW_TMP/ev.out")"
ms=$(jq -s '[.[] | select(.index == 2 and (.event == "control_request" or
    .status == "TIMEOUT")) | .time | capture("^(?<s>.*)\\.(?<ms>[0-9]{3})Z$") |
    (.s + "Z" | fromdateiso8601) * 1000 + (.ms | tonumber)] |
    if length == 2 then .[1] - .[0] else "events: \(length)" end' "$LW_TMP/ev.out")
[[ "$ms" =~ ^[0-9]+$ ]] && [ "$ms" -ge 1900 ] && [ "$ms" -lt 3000 ] ||
	fail "TIMEOUT after $ms ms: $(cat "$LW_TMP/ev.out")"
# ... and a late answer changes nothing and harms nothing
id3=$(answer 3 ignored SUCCESS)

# 4. controls = "echo": SUCCESS, and the output status point follows
master m4 127.0.0.3 8 operate 3 latch_on
wait_pid "$MPID" "$WAIT" "dnp3-master" || fail "echo operate: exit $? $(cat "$LW_TMP/m4.out")"
out=$("$MASTER" -a 8 -b 127.0.0.3 "127.0.0.1:$port" read 10 0 3 3) ||
	fail "read g10: exit $?: $out"
echo "$out" | grep -qE "^g10v[0-9] index=3 value=(1|true|on)" ||
	fail "binary output status did not follow: $out"

wait_for "$LW_TMP/ev.out" '"source":"echoes".*"event":"control"|"event":"control".*"source":"echoes"' "$WAIT" ||
	fail "no control event from echoes: $(cat "$LW_TMP/ev.out")"
got=$(jq -r '[.source, .event, (.id // "" | tostring), .function, .type,
    (.index | tostring), (.op // (.value | tostring)), .status // ""] |
    join(" ")' "$LW_TMP/ev.out")
want="asks control_request $id1 direct_operate binary_output 1 latch_on 
asks control  direct_operate binary_output 1 latch_on SUCCESS
asks control_request $id2 direct_operate analog_output 0 7 
asks control  direct_operate analog_output 0 7 LOCAL
ignored control_request $id3 direct_operate binary_output 2 latch_off 
ignored control  direct_operate binary_output 2 latch_off TIMEOUT
echoes control  direct_operate binary_output 3 latch_on SUCCESS"
[ "$got" = "$want" ] || fail "control events:
$got
want:
$want"
# The events name the master and the endpoint.
v=$(jq -r '[.endpoint, (.peer | sub(":[0-9]+$"; ""))] | join(" ")' \
    "$LW_TMP/ev.out" | sort -u | tr '\n' ,)
[ "$v" = "127.0.0.1:$port 127.0.0.2,127.0.0.1:$port 127.0.0.3,127.0.0.1:$port 127.0.0.4," ] ||
	fail "endpoint/peer: $v"
[ "$(lw_worker_pids)" = "$pids" ] || fail "a worker restarted"

grep "killed by seccomp" "$LW_LOG" && fail "a worker broke its seccomp filter"
lw_stop
echo "PASS"
