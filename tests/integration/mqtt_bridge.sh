#!/usr/bin/env bash
# dnp3-mqtt between a running dnp3d and a real mosquitto on loopback:
#  - its sandbox as /proc shows it: not root, no capabilities,
#    NoNewPrivs 1, Seccomp 2;
#  - an update published on PREFIX/OUTSTATION/update is what a DNP3
#    master reads, as a value and as an event;
#  - connected, disconnected and rejected events appear on the event
#    topics in order, and the state topic retains the last of them;
#  - malformed payloads, a body naming another outstation, a bad batch
#    and a repeated id get an error on PREFIX/OUTSTATION/error and change
#    nothing a master can read.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_mqtt.sh"
need_root
lw_need_built "$MASTER"

mq_dnp3d "analog_input = { count = 4; class = 1; };"
mq_broker_start
mq_sub all 'dnp3d/#'
mq_bridge_start --broker "mqtt://127.0.0.1:$MQ_PORT" --client-id bridge-test

# 1. the sandbox
st=/proc/$MQ_BRIDGE/status
[ "$(awk '/^Uid:/ {print $2 $3 $4 $5}' "$st")" = 65534655346553465534 ] ||
	fail "not running as nobody: $(grep Uid "$st")"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	[ "$(awk "/^$c:/ {print \$2}" "$st")" = 0000000000000000 ] ||
		fail "$c: $(grep "^$c" "$st")"
done
grep -qx "NoNewPrivs:	1" "$st" || fail "$(grep NoNewPrivs "$st")"
grep -qx "Seccomp:	2" "$st" || fail "$(grep Seccomp: "$st")"

# (an answer the test expects: 30 s for it, lib.sh's WAIT)
master() { timeout 60 "$MASTER" -a 7 -b 127.0.0.2 -t "$WAIT_MS" "127.0.0.1:$port" "$@"; }

# static_value INDEX WANT: until a master reads WANT at INDEX ($WAIT).
static_value() {
	local out
	out=$(read_until "^g30v[0-9] index=$1 value=$2 " master read 30 0 "$1" "$1") ||
		fail "a master reads at $1: exit $?: $out, expected $2"
}

# 2. an update from MQTT: a value and an event
mq_pub -q 2 -t dnp3d/feeder-1/update \
    -m '{"type":"analog_input","index":2,"value":1234}' || fail "publish"
static_value 2 1234
out=$(master class 1 2 3) || fail "class poll: $out"
echo "$out" | grep -qE "^g32v[0-9] index=2 value=1234 " ||
	fail "no event with the value: $out"

# 3. connection events in order; the state topic retains the last one.
# First every master of step 2 must have its disconnected on MQTT, so
# that the new subscriber sees only what follows.
for i in $(seq 1 "$WAIT"); do
	c=$(grep -c '"event":"connected"' "$LW_TMP/all.out")
	d=$(grep -c '"event":"disconnected"' "$LW_TMP/all.out")
	[ "$c" -gt 0 ] && [ "$c" = "$d" ] && break
	sleep 0.1
done
[ "$c" = "$d" ] || fail "step 2: $c connected, $d disconnected on MQTT"
mq_sub conn 'dnp3d/+/event'
# (each master waits $WAIT for its answer, or for the refusal's close)
out=$(D3_WAIT=$((WAIT / 10)) lw_client status "$port" 127.0.0.2 7)
[ "$out" = "status 7" ] || fail "master 127.0.0.2: $out"
wait_for "$LW_TMP/conn.out" '"event":"disconnected"' "$WAIT" ||
	fail "no disconnected: $(cat "$LW_TMP/conn.out")"
out=$(D3_WAIT=$((WAIT / 10)) lw_client silent "$port" 127.0.0.9)
[ "$out" = closed ] || fail "master 127.0.0.9 not refused: $out"
wait_for "$LW_TMP/conn.out" '"event":"rejected"' "$WAIT" ||
	fail "no rejected: $(cat "$LW_TMP/conn.out")"
got=$(grep -v '^sync/' "$LW_TMP/conn.out" | while read -r t j; do
	echo "$t $(echo "$j" | jq -r '[.event, .reason // "", .peer // ""] | join(" ")')"
done | sed 's/:[0-9]*$//')
want="dnp3d/feeder-1/event connected  127.0.0.2
dnp3d/feeder-1/event disconnected closed by peer 127.0.0.2
dnp3d/_server/event rejected no outstation matches 127.0.0.9"
[ "$got" = "$want" ] || fail "connection events on MQTT:
$got
want:
$want"
st=$(timeout $((WAIT / 10)) mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -C 1 \
    -t dnp3d/feeder-1/state | jq -r '[.event, .reason] | join(" ")')
[ "$st" = "disconnected closed by peer" ] || fail "retained state: $st"

# 4. what is refused changes nothing
mq_sub err 'dnp3d/+/error'
bad() {	mq_pub -q 1 -t dnp3d/feeder-1/update -m "$1" || fail "publish $1"; }
bad '{"type":"analog_input","index":'
bad '[1,2]'
bad '{"outstation":"feeder-2","type":"analog_input","index":2,"value":5}'
bad '{"updates":[{"type":"analog_input","index":2,"value":6},{"type":"analog_input","index":9,"value":7}]}'
# (the outstation's answer comes through the bus: wait for it, for order)
wait_for "$LW_TMP/err.out" '"error":"index out of range"' "$WAIT" ||
	fail "errors: $(cat "$LW_TMP/err.out")"
bad '{"type":"analog_input","index":2,"value":8,"id":77}'
bad '{"type":"analog_input","index":2,"value":9,"id":77}'
wait_for "$LW_TMP/err.out" '"error":"duplicate id"' "$WAIT" ||
	fail "errors: $(cat "$LW_TMP/err.out")"
got=$(mq_json err dnp3d/feeder-1/error | jq -r '[.source, .error] | join(" ")')
want="dnp3-mqtt not JSON
dnp3-mqtt not an object
dnp3-mqtt outstation does not match topic
feeder-1 index out of range
dnp3-mqtt duplicate id"
[ "$got" = "$want" ] || fail "errors on MQTT:
$got
want:
$want"
# the one good message (value 8, id 77) is the only change
static_value 2 8
out=$(master class 1 2 3) || fail "class poll: $out"
[ "$(echo "$out" | grep -cE '^g32v[0-9] ')" = 1 ] &&
    echo "$out" | grep -qE "^g32v[0-9] index=2 value=8 " ||
	fail "events after the refused messages: $out"

kill -TERM "$MQ_BRIDGE"
wait_pid "$MQ_BRIDGE" "$WAIT" "dnp3-mqtt" || fail "dnp3-mqtt exited $? on SIGTERM"
grep -q "seccomp kill-process\|seccomp LOG-ONLY" "$LW_TMP/bridge.log" ||
	fail "no lockdown line: $(cat "$LW_TMP/bridge.log")"
lw_stop
echo PASS
