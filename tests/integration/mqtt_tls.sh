#!/usr/bin/env bash
# dnp3-mqtt to a broker over TLS (mqtts://), with a test CA made here by
# openssl: a server certificate for 127.0.0.1 and a client certificate
# the broker requires. An update goes through and an event comes back.
# With another CA the bridge refuses the broker's certificate and never
# connects.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_mqtt.sh"
need_root
command -v openssl >/dev/null || skip "openssl is needed"
lw_need_built "$MASTER"

pki=$LW_TMP/pki
mkdir -p "$pki"
# ca NAME: a self-signed CA
ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
	    -keyout "$pki/$1.key" -out "$pki/$1.crt" 2>/dev/null || fail "CA $1"
}
# cert NAME EXT: a certificate signed by test-ca
cert() {
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$pki/$1.key" \
	    -out "$pki/$1.csr" 2>/dev/null &&
	openssl x509 -req -in "$pki/$1.csr" -CA "$pki/test-ca.crt" \
	    -CAkey "$pki/test-ca.key" -CAcreateserial -days 2 \
	    -extfile <(echo "$2") -out "$pki/$1.crt" 2>/dev/null || fail "cert $1"
}
ca test-ca
ca other-ca
cert broker "subjectAltName=IP:127.0.0.1"
cert bridge "extendedKeyUsage=clientAuth"
chmod 644 "$pki"/*

mq_dnp3d "analog_input = { count = 4; class = 1; };"
MQ_TLS="cafile $pki/test-ca.crt
certfile $pki/broker.crt
keyfile $pki/broker.key
require_certificate true"
MQ_CLIENT_TLS=(--cafile "$pki/test-ca.crt" --cert "$pki/bridge.crt" --key "$pki/bridge.key")
mq_broker_start
mq_sub ev 'dnp3d/+/event'

# 1. another CA: the broker's certificate is refused, no connection
"$MQTT" -v --bus "ipc://$LW_TMP/run/bus.ipc" --user nobody --client-id wrong \
    --broker "mqtts://127.0.0.1:$MQ_PORT" --tls-ca "$pki/other-ca.crt" \
    --tls-cert "$pki/bridge.crt" --tls-key "$pki/bridge.key" \
    2>"$LW_TMP/wrong.log" &
WRONG=$!
LW_BG+=($WRONG)
wait_for "$LW_TMP/wrong.log" "connection failed \(TLS handshake\)" "$WAIT" ||
	fail "wrong CA: $(cat "$LW_TMP/wrong.log")"
grep -q "connected to the broker" "$LW_TMP/wrong.log" &&
	fail "connected with a CA that did not sign the broker's certificate"
kill -TERM "$WRONG"
wait_pid "$WRONG" "$WAIT" "dnp3-mqtt (wrong CA)" || fail "exit $? on SIGTERM"

# 2. the test CA: updates in, events out
mq_bridge_start --broker "mqtts://127.0.0.1:$MQ_PORT" --client-id tls \
    --tls-ca "$pki/test-ca.crt" --tls-cert "$pki/bridge.crt" \
    --tls-key "$pki/bridge.key"
mq_pub -q 2 -t dnp3d/feeder-1/update \
    -m '{"type":"analog_input","index":1,"value":77}' || fail "publish"
out=$(read_until "^g30v[0-9] index=1 value=77 " timeout 60 "$MASTER" -a 7 \
    -b 127.0.0.2 -t "$WAIT_MS" "127.0.0.1:$port" read 30 0 1 1) ||
	fail "read: exit $?: $out"
wait_for "$LW_TMP/ev.out" '^dnp3d/feeder-1/event .*"event":"connected"' "$WAIT" ||
	fail "no event over TLS: $(cat "$LW_TMP/ev.out")"
lw_stop
echo PASS
