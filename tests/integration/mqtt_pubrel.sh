#!/usr/bin/env bash
# A broker that resets the connection right after its PUBREL, as a
# mosquitto stopped with unread input does: when the bridge has read the
# PUBREL but cannot write the PUBCOMP, the QoS 2 update it holds must
# still be applied, once (libmosquitto drops it when it writes packets
# inline; dnp3-mqtt has it write only from its loop). The broker is a
# script speaking just enough MQTT 5: values 1..5 each end in PUBREL
# and a reset, then the PUBREL again in the next session (the
# protocol's resend); value 6 in a full handshake. A master reads 1..6,
# each once.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_mqtt.sh"
need_root
lw_need_built "$MASTER"

mq_dnp3d "counter = { count = 1; class = 1; };" "counter = 100;"

cat >"$LW_TMP/broker.py" <<'PY'
import sys, time
from lib_mqttstandin import *

s = listen(int(sys.argv[1]))
c = session(s, 0)
expect(c, 8)
# Values 1..5, each reset after its PUBREL with a delay of its own, so
# that the reset falls before, while or after the bridge reads the
# PUBREL; the next session sends the PUBREL again.
for mid, delay in enumerate([0, 0.0002, 0.0005, 0.001, 0.003], 1):
    publish(c, mid, mid)
    expect(c, 5, mid)
    pubrel(c, mid)
    time.sleep(delay)
    reset(c)
    print("reset", mid, flush=True)
    c = session(s, 1)
    pubrel(c, mid)
    expect(c, 7, mid)
publish(c, 6, 6)
complete(c, 6)
print("done", flush=True)
linger(c)
PY
mq_standin "$LW_TMP/broker.py"
mq_bridge_start --broker "mqtt://127.0.0.1:$MQ_PORT" --client-id bridge-rel

mq_standin_done
[ "$(grep -c "^reset" "$LW_TMP/broker.out")" = 5 ] || fail "not 5 resets"
grep -q "lost the broker" "$LW_TMP/bridge.log" || fail "no broker loss logged"

# Until 6 is an event (mq_read_until); then 1..6, each once.
mq_read_until 6
got=$(sort -n "$LW_TMP/events" | tr '\n' ' ')
[ "$got" = "1 2 3 4 5 6 " ] ||
	fail "applied: '$got', want '1 2 3 4 5 6 ' (lost at a reset?)"
lw_stop
echo PASS
