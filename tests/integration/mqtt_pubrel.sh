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

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "feeder-1"; filter = "127.0.0.2"; address = 7;
    master = 1; event_buffer = { counter = 100; };
    database = { counter = { count = 1; class = 1; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

cat >"$LW_TMP/broker.py" <<'PY'
import socket, struct, sys, time

TOPIC = b"dnp3d/feeder-1/update"

def read_packet(c):
    b = c.recv(1)
    if not b:
        raise EOFError
    n, shift = 0, 0
    while True:
        d = c.recv(1)[0]
        n |= (d & 0x7f) << shift
        shift += 7
        if not d & 0x80:
            break
    body = b""
    while len(body) < n:
        more = c.recv(n - len(body))
        if not more:
            raise EOFError
        body += more
    return b[0] >> 4, body

def expect(c, want, mid=None):
    """Answer SUBSCRIBE and PINGREQ; return at packet type WANT (MID)."""
    while True:
        t, body = read_packet(c)
        if t == 8:      # SUBSCRIBE: granted QoS 2
            c.sendall(bytes([0x90, 4]) + body[:2] + b"\x00\x02")
        elif t == 12:   # PINGREQ
            c.sendall(b"\xd0\x00")
        if t == want and (mid is None or body[:2] == struct.pack(">H", mid)):
            print("got", t, mid, flush=True)
            return
        print("other", t, body[:2].hex(), flush=True)

def publish(c, mid, value):
    p = b'{"type":"counter","index":0,"value":%d}' % value
    body = struct.pack(">H", len(TOPIC)) + TOPIC + struct.pack(">H", mid) + b"\x00" + p
    c.sendall(bytes([0x34, len(body)]) + body)

def pubrel(c, mid):
    c.sendall(b"\x62\x02" + struct.pack(">H", mid))

def session(s, present):
    c, _ = s.accept()
    c.settimeout(20)
    expect(c, 1)
    c.sendall(bytes([0x20, 3, present, 0, 0]))
    return c

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(4)
s.settimeout(30)
print("listening", flush=True)
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
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    print("reset", mid, flush=True)
    c = session(s, 1)
    pubrel(c, mid)
    expect(c, 7, mid)
publish(c, 6, 6)
expect(c, 5, 6)
pubrel(c, 6)
expect(c, 7, 6)
print("done", flush=True)
try:
    expect(c, 14)       # until the bridge leaves (or 20 s of silence)
except (EOFError, OSError):
    pass
PY
python3 "$LW_TMP/broker.py" "$MQ_PORT" >"$LW_TMP/broker.out" 2>&1 &
BROKER=$!
LW_BG+=($BROKER)
wait_for "$LW_TMP/broker.out" "^listening" 50 ||
	fail "the broker script did not start: $(cat "$LW_TMP/broker.out")"
mq_bridge_start --broker "mqtt://127.0.0.1:$MQ_PORT" --client-id bridge-rel

wait_for "$LW_TMP/broker.out" "^done" 300 ||
	fail "the broker script did not finish: $(cat "$LW_TMP/broker.out")"
[ "$(grep -c "^reset" "$LW_TMP/broker.out")" = 5 ] || fail "not 5 resets"
grep -q "lost the broker" "$LW_TMP/bridge.log" || fail "no broker loss logged"

# Until 6 is an event (10 s); then 1..6, each once.
: >"$LW_TMP/events"
for i in $(seq 1 50); do
	timeout 10 "$MASTER" -a 7 -b 127.0.0.2 -t 3000 "127.0.0.1:$port" \
	    class 1 2 3 | sed -n 's/^g22v[0-9]* index=0 value=\([0-9]*\) .*/\1/p' \
	    >>"$LW_TMP/events"
	grep -qx 6 "$LW_TMP/events" && break
	sleep 0.2
done
got=$(sort -n "$LW_TMP/events" | tr '\n' ' ')
[ "$got" = "1 2 3 4 5 6 " ] ||
	fail "applied: '$got', want '1 2 3 4 5 6 ' (lost at a reset?)"
lw_stop
echo PASS
