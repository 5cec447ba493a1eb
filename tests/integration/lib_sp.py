"""A bare nanomsg bus member over ipc:// (the SP wire protocol, no
nanomsg needed), for tests that flood the bus or hold many connections.
  flood PATH GOOD EVIL N   N updates to GOOD (analog_input i = i + 1),
                           each followed by a ~60 KB batch for EVIL; keeps
                           the connection until stdin closes (nanomsg
                           drops what it has not read from a closed one)
  hold PATH COUNT          try COUNT connections (until 5 in a row time out),
                           print how many connected and how many the hub
                           answered, keep them until stdin closes
"""
import json, resource, socket, struct, sys, time

HELLO = b'\x00SP\x00\x00\x70\x00\x00'     # protocol NN_BUS (112)

def member(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    s.sendall(HELLO)
    return s

def send(s, obj):
    body = json.dumps(obj, separators=(',', ':')).encode()
    s.sendall(b'\x01' + struct.pack('>Q', len(body)) + body)

def flood(path, good, evil, n):
    s = member(path)
    big = {'op': 'update', 'outstation': evil, 'updates': [
        {'type': 'analog_input', 'index': 0, 'value': 1.5}] * 1024}
    for i in range(n):
        send(s, {'op': 'update', 'outstation': good,
                 'type': 'analog_input', 'index': i, 'value': i + 1})
        send(s, big)
    print('sent', n, flush=True)
    sys.stdin.read()
    s.close()

def hold(path, count):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks, failed = [], 0
    for _ in range(count):
        # blocking, bounded: connect waits (at most 1 s: SO_SNDTIMEO)
        # while the hub's backlog is full
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO,
                     struct.pack('ll', 1, 0))
        try:
            s.connect(path)
            s.send(HELLO)
        except OSError:
            s.close()
            failed += 1
            if failed == 5:
                break
            continue
        failed = 0
        socks.append(s)
    # the hub's own hello back: those it accepted and speaks to
    answered, end = 0, time.monotonic() + 3
    for s in socks:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            if s.recv(8) == HELLO:
                answered += 1
        except OSError:
            pass
    print('connected', len(socks), 'answered', answered, flush=True)
    sys.stdin.read()

def main(a):
    if a[0] == 'flood':
        flood(a[1], a[2], a[3], int(a[4]))
    elif a[0] == 'hold':
        hold(a[1], int(a[2]))
    else:
        sys.exit(__doc__)

main(sys.argv[1:])
