"""A DNP3 master for tests/integration/netns_multidrop.sh: several
outstations over ONE connection (multidrop = true). It builds the link
frames, transport segments and requests itself and checks every frame it
reads (header CRC, each block's CRC, lengths), so a frame cut or two frames
interleaved by the relay fail it. One line per result.

  drop SRV PORT ROUNDS ADDR...   per ADDR in turn: link status, then a
                                 class 0 read (its binary inputs, IIN1.7
                                 device restart); a broadcast WRITE that
                                 clears IIN1.7 (to 65535); per ADDR a read
                                 again (IIN1.0 broadcast seen, IIN1.7
                                 clear); ROUNDS more rounds of both ->
                                 "addr A status=ok points=N restart=1
                                 broadcast=1 restart_after=0" per ADDR,
                                 then "frames sent=S received=R rounds=N
                                 answered=A lost=L"
  unknown SRV PORT BAD GOOD      link status to BAD (no answer in 1 s),
                                 then to GOOD on the same connection ->
                                 "unknown BAD: timeout; GOOD: status GOOD"
  stay SRV PORT SECS STOP ADDR...
                                 link status to each ADDR in turn for SECS,
                                 or until file STOP exists and one more
                                 round is done (STOP "-": none) -> "poll sent= answered= lost= end=done|
                                 closed", then per ADDR "addr A lost=N
                                 answered_after_loss=M"
"""
import os, socket, struct, sys, time

from lib_dnp3link import REQUEST_LINK_STATUS, crc, frame

MASTER = 1
ANSWER_WAIT = 10.0   # s; an answer through a relay on a busy machine
BROADCAST = 0xFFFF
READ_CLASS0 = bytes([0x01, 60, 1, 0x06])            # FC, g60v1 q06
CLEAR_RESTART = bytes([0x02, 80, 1, 0x00, 7, 7, 0x00])  # WRITE g80v1 [7]=0


class Conn:
    """One TCP connection; counts the link frames each way."""

    def __init__(self, srv, port):
        self.s = socket.create_connection((srv, port), ANSWER_WAIT)
        self.s.settimeout(ANSWER_WAIT)
        self.sent = self.received = 0
        self.seq = {}

    def send(self, data):
        self.s.sendall(data)
        self.sent += 1

    def recv_exact(self, n):
        buf = b''
        while len(buf) < n:
            r = self.s.recv(n - len(buf))
            if not r:
                raise EOFError('closed')
            buf += r
        return buf

    def read_frame(self):
        """(control, dest, src, user data) of one whole, checked frame."""
        h = self.recv_exact(10)
        if h[:2] != b'\x05\x64' or h[2] < 5 or crc(h[:8]) != h[8:10]:
            raise ValueError('bad header ' + h.hex())
        n, data = h[2] - 5, b''
        for i in range(0, n, 16):
            blk = self.recv_exact(min(16, n - i))
            if crc(blk) != self.recv_exact(2):
                raise ValueError('bad block CRC')
            data += blk
        self.received += 1
        dest, src = struct.unpack('<HH', h[4:8])
        return h[3], dest, src, data

    def status(self, dest):
        self.send(frame(REQUEST_LINK_STATUS, dest, MASTER))
        ctrl, d, src, _ = self.read_frame()
        if ctrl & 0xCF != 0x0B or d != MASTER or src != dest:
            raise ValueError('link status from %d, want %d' % (src, dest))

    def request(self, dest, body):
        """body (FC and objects) as one fragment; no response read."""
        seq = self.seq.get(dest, 0)
        self.seq[dest] = (seq + 1) & 0x0F
        data = bytes([0xC0 | (seq & 0x3F), 0xC0 | seq]) + body
        h = bytes([0x05, 0x64, 5 + len(data), 0xC4]) + \
            struct.pack('<HH', dest, MASTER)
        out = h + crc(h)
        for i in range(0, len(data), 16):
            out += data[i:i + 16] + crc(data[i:i + 16])
        self.send(out)

    def response(self, dest):
        """The application response of dest: (IIN1, binary inputs)."""
        app = b''
        for _ in range(64):
            ctrl, d, src, data = self.read_frame()
            if src != dest or d != MASTER:
                raise ValueError('frame from %d, want %d' % (src, dest))
            if ctrl & 0x0F != 4 or not data:
                continue
            app += data[1:]
            if data[0] & 0x80:
                break
        if len(app) < 4 or app[1] != 0x81:
            raise ValueError('not a response: ' + app.hex())
        return app[2], points(app[4:])


def points(objs):
    """How many binary inputs (group 1) a class 0 response holds."""
    if len(objs) >= 5 and objs[0] == 1 and objs[2] == 0x00:
        return objs[4] - objs[3] + 1
    if len(objs) >= 7 and objs[0] == 1 and objs[2] == 0x01:
        return struct.unpack('<H', objs[5:7])[0] - \
            struct.unpack('<H', objs[3:5])[0] + 1
    return 0


def drop(c, rounds, addrs):
    seen = {}
    for a in addrs:
        c.status(a)
        c.request(a, READ_CLASS0)
        seen[a] = c.response(a)
    c.request(BROADCAST, CLEAR_RESTART)
    for a in addrs:
        c.request(a, READ_CLASS0)
        iin, n = c.response(a)
        print('addr %d status=ok points=%d restart=%d broadcast=%d '
              'restart_after=%d' % (a, seen[a][1], seen[a][0] >> 7,
                                    iin & 1, iin >> 7))
    answered = 0
    for _ in range(rounds):
        for a in addrs:
            c.status(a)
            c.request(a, READ_CLASS0)
            answered += c.response(a)[1] == seen[a][1]
    print('frames sent=%d received=%d rounds=%d answered=%d lost=%d'
          % (c.sent, c.received, rounds, answered,
             rounds * len(addrs) - answered))


def unknown(c, bad, good):
    c.send(frame(REQUEST_LINK_STATUS, bad, MASTER))
    c.s.settimeout(1.0)
    try:
        c.read_frame()
        first = 'answered'
    except socket.timeout:
        first = 'timeout'
    c.s.settimeout(ANSWER_WAIT)
    c.status(good)
    print('unknown %d: %s; %d: status %d' % (bad, first, good, good))


def stay(c, secs, stop, addrs):
    sent = answered = 0
    how = 'done'
    lost = dict((a, 0) for a in addrs)
    after = dict((a, 0) for a in addrs)    # answered after a loss
    end = time.monotonic() + secs
    last = False
    while time.monotonic() < end and how == 'done' and not last:
        last = stop != '-' and os.path.exists(stop)   # one more round
        for a in addrs:
            sent += 1
            try:
                c.status(a)
                answered += 1
                after[a] += lost[a] > 0
            except socket.timeout:
                lost[a] += 1
            except (EOFError, OSError):
                how = 'closed'
                break
        time.sleep(0.02)
    print('poll sent=%d answered=%d lost=%d end=%s'
          % (sent, answered, sent - answered, how))
    for a in addrs:
        print('addr %d lost=%d answered_after_loss=%d' % (a, lost[a], after[a]))


def main(a):
    cmd, c = a[0], Conn(a[1], int(a[2]))
    if cmd == 'drop':
        drop(c, int(a[3]), [int(x) for x in a[4:]])
    elif cmd == 'unknown':
        unknown(c, int(a[3]), int(a[4]))
    elif cmd == 'stay':
        stay(c, float(a[3]), a[4], [int(x) for x in a[5:]])
    else:
        sys.exit(__doc__)


try:
    main(sys.argv[1:])
except IndexError:
    sys.exit(__doc__)
except (ValueError, EOFError, OSError) as e:
    print('FAIL: %s' % e)
    sys.exit(1)
