#!/usr/bin/env bash
# A QoS 2 update that the broker sends again after a reconnection
# because the bridge's PUBREC was lost with the connection. libmosquitto
# 2.0 keeps a second copy of it; without dnp3-mqtt's remedy (a fresh
# client on the same session once it has caught up) the copy exhausts
# the MQTT 5 receive quota, so that a burst of 20 updates after the
# reconnection is called a protocol error at every reconnection, and the
# copy is released in place of the next update that reuses its packet
# id. The stand-in broker: value 1, reset after the PUBREC; value 1
# again (DUP) in the next session, then 2..21 sent together before any
# PUBREL; then, in a session the bridge opens after catching up, value
# 22 with the packet id of value 1. A master reads 1..22, each once.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_mqtt.sh"
need_root
lw_need_built "$MASTER"

mq_dnp3d "counter = { count = 1; class = 1; };" "counter = 100;"

cat >"$LW_TMP/broker.py" <<'PY'
import sys
from lib_mqttstandin import *

s = listen(int(sys.argv[1]))
c = session(s, 0)
expect(c, 8)
publish(c, 1, 1)
expect(c, 5, 1)         # the PUBREC, taken as lost
reset(c)
print("reset", flush=True)
c = session(s, 1)
publish(c, 1, 1, dup=True)
complete(c, 1)
for mid in range(2, 22):
    publish(c, mid, mid)
for mid in range(2, 22):    # a broker answers each PUBREC at once
    expect(c, 5, mid)
    pubrel(c, mid)
for mid in range(2, 22):
    expect(c, 7, mid)
print("burst", flush=True)
expect(c, 14)           # caught up: the bridge leaves, to come back
c = session(s, 1)
print("fresh", flush=True)
publish(c, 1, 22)
complete(c, 1)
print("done", flush=True)
linger(c)
PY
mq_standin "$LW_TMP/broker.py"
mq_bridge_start --broker "mqtt://127.0.0.1:$MQ_PORT" --client-id bridge-dup

mq_standin_done
grep -q "caught up after the reconnection" "$LW_TMP/bridge.log" ||
	fail "no fresh client logged: $(cat "$LW_TMP/bridge.log")"
grep -q "protocol error" "$LW_TMP/bridge.log" &&
	fail "the bridge called the burst a protocol error"

# Until 22 is an event (mq_read_until); then 1..22, each once.
mq_read_until 22
got=$(sort -n "$LW_TMP/events" | tr '\n' ' ')
want=$(seq 1 22 | tr '\n' ' ')
[ "$got" = "$want" ] || fail "applied: '$got', want '$want'"
lw_stop
echo PASS
