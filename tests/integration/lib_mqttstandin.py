"""A stand-in MQTT 5 broker for the mqtt_*.sh tests that need a broker
to misbehave on cue: just enough of the protocol, one client at a time,
every read bounded by the socket's timeout. Prints what it did."""
import socket
import struct

TOPIC = b"dnp3d/feeder-1/update"


def read_packet(c):
    """(type, flags, body) of the next packet; EOFError at the end."""
    b = c.recv(1)
    if not b:
        raise EOFError
    n, shift = 0, 0
    while True:
        d = c.recv(1)
        if not d:
            raise EOFError
        n |= (d[0] & 0x7f) << shift
        shift += 7
        if not d[0] & 0x80:
            break
    body = b""
    while len(body) < n:
        more = c.recv(n - len(body))
        if not more:
            raise EOFError
        body += more
    return b[0] >> 4, b[0] & 0x0f, body


def answer(c, t, flags, body):
    """What a broker says to SUBSCRIBE, UNSUBSCRIBE, PINGREQ and to the
    client's own QoS 1 PUBLISH."""
    if t == 8:          # SUBSCRIBE: granted QoS 2
        c.sendall(bytes([0x90, 4]) + body[:2] + b"\x00\x02")
    elif t == 10:       # UNSUBSCRIBE: "no subscription existed"
        c.sendall(bytes([0xb0, 4]) + body[:2] + b"\x00\x11")
    elif t == 12:       # PINGREQ
        c.sendall(b"\xd0\x00")
    elif t == 3 and (flags >> 1) & 3 == 1:      # PUBLISH QoS 1: PUBACK
        tlen = struct.unpack(">H", body[:2])[0]
        c.sendall(b"\x40\x02" + body[2 + tlen:4 + tlen])


def expect(c, want, mid=None):
    """Answer what a broker answers; return at packet type WANT (MID)."""
    while True:
        t, flags, body = read_packet(c)
        answer(c, t, flags, body)
        if t == want and (mid is None or body[:2] == struct.pack(">H", mid)):
            print("got", t, mid, flush=True)
            return
        print("other", t, body[:2].hex(), flush=True)


def publish(c, mid, value, dup=False):
    """An update of counter 0 to VALUE, QoS 2."""
    p = b'{"type":"counter","index":0,"value":%d}' % value
    body = (struct.pack(">H", len(TOPIC)) + TOPIC + struct.pack(">H", mid) +
            b"\x00" + p)
    c.sendall(bytes([0x3c if dup else 0x34, len(body)]) + body)


def pubrel(c, mid):
    c.sendall(b"\x62\x02" + struct.pack(">H", mid))


def complete(c, mid):
    """The rest of a QoS 2 handshake the broker began with PUBLISH."""
    expect(c, 5, mid)
    pubrel(c, mid)
    expect(c, 7, mid)


def reset(c):
    """Close with a TCP reset, as a broker that dies does."""
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()


def listen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    s.settimeout(30)
    print("listening", flush=True)
    return s


def session(s, present):
    """The next client's CONNECT, answered with SESSION PRESENT."""
    c, _ = s.accept()
    c.settimeout(20)
    expect(c, 1)
    c.sendall(bytes([0x20, 3, present, 0, 0]))
    return c


def linger(c):
    """Answer until the client leaves (or 20 s of silence)."""
    try:
        expect(c, 14)
    except (EOFError, OSError):
        pass
