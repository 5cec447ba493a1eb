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
			timeout 30 mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" \
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

# acked_until K: until the publisher has K acknowledged values, or with
# K "done", until it has ended. Each mosquitto_pub is a process of its
# own, which a busy machine starts slowly: the bound ($WAIT) is on a time
# without a new acknowledgement, not on the whole.
acked_until() {
	local i=0 n last=-1
	while :; do
		n=$(wc -l <"$LW_TMP/acked")
		if [ "$1" = done ]; then
			grep -qx done "$LW_TMP/acked" && return 0
		else
			[ "$n" -ge "$1" ] && return 0
		fi
		[ "$n" != "$last" ] && { last=$n; i=0; }
		i=$((i + 1))
		[ "$i" -gt "$WAIT" ] &&
			fail "publisher: nothing acknowledged for $((WAIT / 10)) s, waiting for $1: $(tail -3 "$LW_TMP/acked")"
		sleep 0.1
	done
}
for round in 1 2; do
	acked_until $((round * 30))
	mq_broker_stop
	mq_broker_start
	# back on the broker: its backoff is at most 30 s, then the
	# connection itself ($WAIT)
	wait_count "$LW_TMP/bridge.log" "connected to the broker" \
	    $((round + 1)) $((300 + WAIT)) ||
		fail "the bridge did not reconnect after broker stop $round: $(cat "$LW_TMP/bridge.log")"
done
acked_until done
wait_pid "$PUB" "$WAIT" "the publisher"
grep -qx done "$LW_TMP/acked" || fail "publisher did not finish"
[ "$(grep -c "connected to the broker" "$LW_TMP/bridge.log")" -ge 3 ] ||
	fail "the bridge did not reconnect twice: $(cat "$LW_TMP/bridge.log")"
grep -q "lost the broker" "$LW_TMP/bridge.log" || fail "no broker loss logged"

# Until every acknowledged value is an event (mq_read_until); then compare.
want=$(grep -x '[0-9]*' "$LW_TMP/acked" | sort -n)
mq_read_until $want
# comm wants both sides in sort(1)'s order, not numeric order
missing=$(comm -23 <(echo "$want" | sort) <(sort -u "$LW_TMP/events"))
dups=$(sort -n "$LW_TMP/events" | uniq -d)
[ -z "$dups" ] || fail "applied twice: $dups"
[ -z "$missing" ] || fail "acknowledged but not applied: $(echo $missing)"
echo "$(sort -n -u "$LW_TMP/events" | wc -l) distinct events," \
    "$(echo "$want" | wc -l) acknowledged of $N published, 0 lost, none twice"
lw_stop
echo PASS
