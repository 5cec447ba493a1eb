#!/usr/bin/env bash
# The broker is stopped and started again, twice, while updates flow
# from a publisher to dnp3d through dnp3-mqtt (QoS 2, distinct counter
# values, no ids: the session and QoS 2 alone must keep them apart).
# Every update the broker acknowledged is applied exactly once: the
# counter events a master reads are exactly the acknowledged values, none
# repeated, none missing.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_mqtt.sh"
need_root
lw_need_built "$MASTER"

mq_dnp3d "counter = { count = 1; class = 1; };" "counter = 1000;"
mq_broker_start
mq_bridge_start --broker "mqtt://127.0.0.1:$MQ_PORT" --client-id bridge-re

# The publisher: values 1..N, one mosquitto_pub each, each tried again
# while the broker is away (at most 100 tries, 0.1 s apart) until the
# broker acknowledges it; acknowledged ones listed.
N=90
: >"$LW_TMP/acked"
(
	for v in $(seq 1 $N); do
		for try in $(seq 1 100); do
			timeout 5 mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" \
			    -q 2 -t dnp3d/feeder-1/update \
			    -m "{\"type\":\"counter\",\"index\":0,\"value\":$v}" \
			    2>/dev/null && { echo "$v" >>"$LW_TMP/acked"; break; }
			sleep 0.1
		done
	done
	echo done >>"$LW_TMP/acked"
) &
PUB=$!
LW_BG+=($PUB)

# acked_at_least K: until the publisher has K acknowledged values (20 s).
acked_at_least() {
	local i
	for i in $(seq 1 200); do
		[ "$(wc -l <"$LW_TMP/acked")" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "publisher did not reach $1 acknowledged: $(tail -3 "$LW_TMP/acked")"
}
for round in 1 2; do
	acked_at_least $((round * 30))
	mq_broker_stop
	mq_broker_start
	# back on the broker within 30 s (its backoff is at most 30 s)
	for i in $(seq 1 300); do
		[ "$(grep -c "connected to the broker" "$LW_TMP/bridge.log")" -gt "$round" ] && break
		sleep 0.1
	done
done
wait_pid "$PUB" 600 "the publisher"
grep -qx done "$LW_TMP/acked" || fail "publisher did not finish"
[ "$(grep -c "connected to the broker" "$LW_TMP/bridge.log")" -ge 3 ] ||
	fail "the bridge did not reconnect twice: $(cat "$LW_TMP/bridge.log")"
grep -q "lost the broker" "$LW_TMP/bridge.log" || fail "no broker loss logged"

# Poll until every acknowledged value was an event (at most 100 reads),
# then compare.
: >"$LW_TMP/events"
want=$(grep -x '[0-9]*' "$LW_TMP/acked" | sort -n)
for i in $(seq 1 100); do
	mq_read_counter
	missing=$(comm -23 <(echo "$want") <(sort -n -u "$LW_TMP/events"))
	[ -z "$missing" ] && break
	sleep 0.2
done
dups=$(sort -n "$LW_TMP/events" | uniq -d)
[ -z "$dups" ] || fail "applied twice: $dups"
[ -z "$missing" ] || fail "acknowledged but not applied: $(echo $missing)"
echo "$(sort -n -u "$LW_TMP/events" | wc -l) distinct events," \
    "$(echo "$want" | wc -l) acknowledged of $N published, 0 lost, none twice"
lw_stop
echo PASS
