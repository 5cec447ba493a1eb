"""A small DNP3 master for tests/integration/outstation_tcp.sh.

It builds link frames (the CRC-16/DNP from lib_dnp3link.py beside it),
transport segments and application requests itself, and checks what the
outstation answers. Each scenario
prints "ok: ..." lines and exits 0, or prints "FAIL: ..." and exits 1.

  integrity PORT OUTSTATION [demo]   integrity poll; with demo, the values
                                     of the embedded default are checked
  multi PORT OUTSTATION COUNT [SRC]  integrity poll of COUNT binary and COUNT
                                     analog inputs in several fragments
  replace PORT OUTSTATION            unconfirmed events survive a new
                                     connection from the same address
  control PORT OUTSTATION            a CROB changes the g10 output status
  broadcast PORT OUTSTATION          a no-ack control to the broadcast
                                     address: executed, never answered
  flood PORT OUTSTATION SRC COUNT    COUNT requests, no response read
  unsol PORT OUTSTATION SRC          null unsolicited response at connect,
                                     then an event of a control unsolicited
"""
import socket, struct, sys, time

from lib_dnp3link import crc

MASTER = 1
INTEGRITY = bytes.fromhex('3C02063C03063C04063C0106')   # after AC, FC


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def link_frame(dest, user):
    """Unconfirmed user data from the master (DIR, PRM, function 4)."""
    h = bytes([0x05, 0x64, 5 + len(user), 0xC4]) + struct.pack('<HH', dest, MASTER)
    out = h + crc(h)
    for i in range(0, len(user), 16):
        blk = user[i:i + 16]
        out += blk + crc(blk)
    return out


class Master:
    def __init__(self, port, dest, src='127.0.0.1'):
        self.dest = dest
        self.s = socket.socket()
        self.s.bind((src, 0))
        self.s.settimeout(10)
        self.s.connect(('127.0.0.1', port))
        self.buf = b''
        self.tseq = 0
        self.aseq = 0

    def send_fragment(self, frag):
        """frag fits one segment in every request of this client."""
        assert len(frag) <= 249
        seg = bytes([0xC0 | self.tseq]) + frag
        self.tseq = (self.tseq + 1) & 0x3F
        self.s.sendall(link_frame(self.dest, seg))

    def request(self, fc, objs=b''):
        ac = 0xC0 | self.aseq
        self.aseq = (self.aseq + 1) & 0x0F
        self.send_fragment(bytes([ac, fc]) + objs)
        return ac & 0x0F

    def confirm(self, seq, uns=False):
        self.send_fragment(bytes([0xC0 | (0x10 if uns else 0) | seq, 0]))

    def recv_exact(self, n, timeout):
        self.s.settimeout(timeout)
        while len(self.buf) < n:
            r = self.s.recv(65536)
            if not r:
                raise EOFError
            self.buf += r
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def link_frame(self, timeout):
        h = self.recv_exact(10, timeout)
        if h[:2] != b'\x05\x64' or crc(h[:8]) != h[8:10]:
            fail('bad link header ' + h.hex())
        ln, ctrl = h[2], h[3]
        dest, src = struct.unpack('<HH', h[4:8])
        if dest != MASTER or src != self.dest:
            fail('frame %d -> %d, expected %d -> %d' % (src, dest, self.dest, MASTER))
        if ctrl & 0x80:
            fail('DIR bit set by the outstation: ' + h.hex())
        n = ln - 5
        user = b''
        while n > 0:
            k = min(16, n)
            blk = self.recv_exact(k + 2, timeout)
            if crc(blk[:k]) != blk[k:]:
                fail('bad body CRC')
            user += blk[:k]
            n -= k
        return ctrl, user

    def fragment(self, timeout=10.0):
        """One application fragment (link data frames reassembled)."""
        frag, seq = None, None
        for _ in range(300):
            ctrl, user = self.link_frame(timeout)
            if ctrl & 0x0F != 4 or not ctrl & 0x40 or not user:
                fail('unexpected link frame ctrl %02x' % ctrl)
            th = user[0]
            if th & 0x40:
                frag, seq = b'', th & 0x3F
            elif frag is None or th & 0x3F != seq:
                fail('transport sequence broken')
            frag += user[1:]
            seq = (seq + 1) & 0x3F
            if th & 0x80:
                return frag
        fail('fragment of more than 300 segments')

    def quiet(self, secs):
        """True when nothing arrives within secs."""
        try:
            self.recv_exact(len(self.buf) + 1, secs)
        except socket.timeout:
            return True
        return False


# Object sizes in bytes (0: packed bits, handled apart); 110/111: variation.
SIZES = {(1, 2): 1, (2, 1): 1, (2, 2): 7, (2, 3): 3, (3, 2): 1, (4, 1): 1,
         (4, 2): 7, (4, 3): 3, (10, 2): 1, (11, 1): 1, (11, 2): 7, (12, 1): 11,
         (20, 1): 5, (20, 2): 3, (20, 5): 4, (20, 6): 2, (21, 1): 5, (21, 2): 3,
         (21, 5): 11, (21, 6): 9, (21, 9): 4, (21, 10): 2, (22, 1): 5, (22, 2): 3,
         (22, 5): 11, (22, 6): 9, (23, 1): 5, (23, 2): 3, (23, 5): 11, (23, 6): 9,
         (30, 1): 5, (30, 2): 3, (30, 3): 4, (30, 4): 2, (30, 5): 5, (30, 6): 9,
         (32, 1): 5, (32, 2): 3, (32, 3): 11, (32, 4): 9, (32, 5): 5, (32, 6): 9,
         (32, 7): 11, (32, 8): 15, (40, 1): 5, (40, 2): 3, (40, 3): 5, (40, 4): 9,
         (41, 1): 5, (41, 2): 3, (42, 1): 5, (42, 2): 3, (42, 3): 11, (42, 4): 9,
         (42, 5): 5, (42, 6): 9, (42, 7): 11, (42, 8): 15, (51, 1): 6, (51, 2): 6,
         (52, 2): 2}
PACKED = {(1, 1): 1, (3, 1): 2, (10, 1): 1, (80, 1): 1}


def parse_response(frag):
    """(ac, fc, iin, [(group, var, index, bytes)])"""
    if len(frag) < 4:
        fail('response of %d bytes' % len(frag))
    ac, fc = frag[0], frag[1]
    iin = frag[2] | frag[3] << 8
    objs, p = [], 4
    while p < len(frag):
        if p + 3 > len(frag):
            fail('truncated object header at %d' % p)
        g, v, q = frag[p], frag[p + 1], frag[p + 2]
        p += 3
        if q in (0x00, 0x01):
            w = 1 if q == 0 else 2
            start = int.from_bytes(frag[p:p + w], 'little')
            stop = int.from_bytes(frag[p + w:p + 2 * w], 'little')
            p += 2 * w
            indices, prefix = list(range(start, stop + 1)), 0
        elif q in (0x17, 0x28):
            w = 1 if q == 0x17 else 2
            count = int.from_bytes(frag[p:p + w], 'little')
            p += w
            indices, prefix = [None] * count, w
        elif q in (0x07, 0x08):
            w = 1 if q == 0x07 else 2
            count = int.from_bytes(frag[p:p + w], 'little')
            p += w
            indices, prefix = [None] * count, 0
        else:
            fail('qualifier %02x of g%dv%d not understood' % (q, g, v))
        if (g, v) in PACKED:
            bits = PACKED[(g, v)]
            nbytes = (len(indices) * bits + 7) // 8
            raw = frag[p:p + nbytes]
            for k, i in enumerate(indices):
                bit = k * bits
                val = (raw[bit // 8] >> (bit % 8)) & ((1 << bits) - 1)
                objs.append((g, v, i, bytes([val])))
            p += nbytes
            continue
        size = v if g in (110, 111) else SIZES.get((g, v))
        if size is None:
            fail('object g%dv%d not understood' % (g, v))
        for i in indices:
            if prefix:
                i = int.from_bytes(frag[p:p + prefix], 'little')
                p += prefix
            if p + size > len(frag):
                fail('truncated g%dv%d' % (g, v))
            objs.append((g, v, i, frag[p:p + size]))
            p += size
    return ac, fc, iin, objs


def response(m, fc=129, timeout=10.0):
    r = parse_response(m.fragment(timeout))
    if r[1] != fc:
        fail('function %d, expected %d' % (r[1], fc))
    return r


def i32(b):
    return struct.unpack('<i', b)[0]


def u32(b):
    return struct.unpack('<I', b)[0]


def check_demo(objs, n=10):
    """Values of db_load_demo_values(): see dnp3/outstation/database.h."""
    vals = {}
    for g, v, i, b in objs:
        vals[(g, i)] = (v, b)
    for i in range(n):
        want = {1: i % 2, 3: 2 if i % 2 else 1, 10: i % 2}
        for g, w in want.items():
            v, b = vals.get((g, i), (None, None))
            if v is None:
                fail('g%d index %d missing' % (g, i))
            state = b[0] >> 7 if g != 3 else b[0] >> 6
            if v == 2 and not b[0] & 0x01:
                fail('g%d index %d not ONLINE' % (g, i))
            if state != w:
                fail('g%d index %d: state %d, expected %d' % (g, i, state, w))
        for g, w in ((20, i * 10), (21, i * 10)):
            v, b = vals[(g, i)]
            if u32(b[1:5]) != w:
                fail('g%d index %d: %d, expected %d' % (g, i, u32(b[1:5]), w))
        for g, w in ((30, i * 1.5), (40, i * 2.5)):
            v, b = vals[(g, i)]
            if v != 1 or abs(i32(b[1:5]) - w) > 0.5:
                fail('g%dv%d index %d: %d, expected %s' % (g, v, i, i32(b[1:5]), w))


def integrity(port, dest, demo):
    m = Master(port, dest)
    m.request(1, INTEGRITY)
    ac, fc, iin, objs = response(m)
    print('ok: response function %d, IIN %04x, %d objects' % (fc, iin, len(objs)))
    if not iin & 0x80:
        fail('IIN1.7 (device restart) not set')
    groups = {g for g, _, _, _ in objs}
    for g in (1, 3, 10, 20, 21, 30, 40):
        if g not in groups:
            fail('group %d missing (groups: %s)' % (g, sorted(groups)))
    print('ok: groups ' + ' '.join('g%d' % g for g in sorted(groups)))
    if demo:
        check_demo(objs)
        print('ok: demo values')
    if not ac & 0x40:
        fail('integrity response of a small database not FIN')
    if ac & 0x20:
        m.confirm(ac & 0x0F)
        print('ok: confirmed seq %d' % (ac & 0x0F))
    # Clear the restart bit (WRITE g80v1 index 7 = 0), then it is gone.
    m.request(2, bytes([80, 1, 0x00, 7, 7, 0]))
    ac, fc, iin, _ = response(m)
    m.request(1, bytes([60, 1, 0x06]))
    ac, fc, iin, _ = response(m)
    if iin & 0x80:
        fail('IIN1.7 still set after the WRITE that clears it')
    print('ok: restart bit cleared, IIN %04x' % iin)


def multi(port, dest, count, src):
    m = Master(port, dest, src)
    m.request(1, INTEGRITY)
    seen = {1: set(), 30: set()}
    first, frags, seq = True, 0, None
    while True:
        ac, fc, iin, objs = response(m)
        frags += 1
        if bool(ac & 0x80) != first:
            fail('fragment %d: FIR is %d' % (frags, bool(ac & 0x80)))
        if seq is not None and ac & 0x0F != (seq + 1) & 0x0F:
            fail('fragment %d: seq %d after %d' % (frags, ac & 0x0F, seq))
        seq, first = ac & 0x0F, False
        for g, _, i, _ in objs:
            if g in seen:
                seen[g].add(i)
        if ac & 0x40:
            break
        if not ac & 0x20:
            fail('non-final fragment %d without CON' % frags)
        if not m.quiet(0.3):
            fail('fragment %d: the next came before the confirm' % frags)
        m.confirm(seq)
    if frags < 3:
        fail('%d fragments only' % frags)
    for g in seen:
        if seen[g] != set(range(count)):
            fail('g%d: %d of %d points' % (g, len(seen[g]), count))
    print('ok: %d fragments, %d g1 and %d g30 points' % (frags, len(seen[1]), len(seen[30])))


def crob(index, code):
    """DIRECT_OPERATE g12v1 qualifier 17: code, count 1, on 100, off 100."""
    return bytes([12, 1, 0x17, 1, index, code, 1]) + struct.pack('<II', 100, 100) + b'\x00'


def output_state(m, index):
    m.request(1, bytes([10, 2, 0x00, index, index]))
    _, _, _, objs = response(m)
    for g, v, i, b in objs:
        if g == 10 and i == index:
            return b[0] >> 7
    fail('g10 index %d not in the answer' % index)


def operate(m, index, code):
    m.request(5, crob(index, code))
    _, _, iin, objs = response(m)
    st = [b[10] for g, v, i, b in objs if (g, v, i) == (12, 1, index)]
    if st != [0]:
        fail('CROB status %s (IIN %04x)' % (st, iin))


def control(port, dest):
    m = Master(port, dest)
    operate(m, 2, 0x03)                  # LATCH_ON
    if output_state(m, 2) != 1:
        fail('g10 index 2 not on after LATCH_ON')
    print('ok: LATCH_ON -> g10 index 2 on')
    operate(m, 2, 0x04)                  # LATCH_OFF
    if output_state(m, 2) != 0:
        fail('g10 index 2 not off after LATCH_OFF')
    print('ok: LATCH_OFF -> g10 index 2 off')


def broadcast(port, dest):
    """DIRECT_OPERATE_NR to 0xFFFF: executed, never answered, IIN1.0 next."""
    m = Master(port, dest)
    m.dest = 0xFFFF
    m.request(6, crob(3, 0x03))          # LATCH_ON index 3
    m.request(1, INTEGRITY)              # a broadcast READ: ignored
    if not m.quiet(0.5):
        fail('an answer to a broadcast')
    print('ok: no answer to broadcasts')
    m.dest = dest
    m.request(1, bytes([10, 2, 0x00, 3, 3]))
    _, _, iin, objs = response(m)
    if not iin & 0x01:
        fail('IIN1.0 not set after a broadcast (IIN %04x)' % iin)
    if [b[0] >> 7 for g, _, i, b in objs if (g, i) == (10, 3)] != [1]:
        fail('the broadcast LATCH_ON did not set g10 index 3')
    m.request(1, bytes([10, 2, 0x00, 3, 3]))
    _, _, iin, _ = response(m)
    if iin & 0x01:
        fail('IIN1.0 still set in the second response')
    print('ok: broadcast LATCH_ON executed, IIN1.0 in the next response only')


def class1(m):
    m.request(1, bytes([60, 2, 0x06]))
    ac, _, _, objs = response(m)
    return ac, sorted((g, v, i, b) for g, v, i, b in objs)


def replace(port, dest):
    a = Master(port, dest)
    operate(a, 0, 0x03)                  # events: g11 index 0 on
    operate(a, 1, 0x03)
    ac, first = class1(a)
    if not first or not ac & 0x20:
        fail('class 1 poll: %d events, CON %d' % (len(first), bool(ac & 0x20)))
    print('ok: %d events, not confirmed' % len(first))
    b = Master(port, dest)               # same address: replaces a
    try:
        if a.s.recv(1) != b'':
            fail('old connection got data')
    except (ConnectionResetError, socket.timeout) as e:
        if isinstance(e, socket.timeout):
            fail('old connection still open')
    print('ok: old connection closed')
    ac, again = class1(b)
    if again != first:
        fail('events after replacement differ: %s vs %s' % (again, first))
    print('ok: the same %d events again' % len(again))
    b.confirm(ac & 0x0F)
    ac, rest = class1(b)
    if rest:
        fail('events after confirm: %s' % rest)
    print('ok: none after the confirm')


def unsol(port, dest, src):
    m = Master(port, dest, src)
    ac, fc, iin, objs = response(m, fc=130)
    if ac & 0xF0 != 0xF0 or objs:
        fail('null unsolicited response: control %02x, %d objects' % (ac, len(objs)))
    m.confirm(ac & 0x0F, uns=True)
    print('ok: null unsolicited response (seq %d), confirmed' % (ac & 0x0F))
    m.request(20, bytes([60, 2, 0x06]))  # ENABLE_UNSOLICITED class 1
    response(m)
    operate(m, 3, 0x03)
    ac, fc, iin, objs = response(m, fc=130)
    ev = [(g, i) for g, _, i, _ in objs]
    if (11, 3) not in ev or not ac & 0x20:
        fail('unsolicited events %s, control %02x' % (ev, ac))
    m.confirm(ac & 0x0F, uns=True)
    print('ok: unsolicited g11 event for the control, confirmed')
    if not m.quiet(0.5):
        fail('something more came after the confirm')


# s: the bound on the outstation's close of a flooding master. A busy ASan
# worker answers a few hundred polls a second, and it closes only when
# its responses have filled the socket buffers and its own queue (several
# MB: thousands of polls).
FLOOD_CLOSE_BOUND = 120.0
TCP_ESTABLISHED = 1     # tcpi_state, Linux's include/net/tcp_states.h


def peer_closed(s):
    """The outstation's FIN or reset came in, seen without reading what
    it sent before (Linux's struct tcp_info begins with tcpi_state)."""
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0] != \
        TCP_ESTABLISHED


def flood(port, dest, src, count):
    """count integrity polls sent without reading: the worker must close."""
    m = Master(port, dest, src)
    m.s.settimeout(20)
    reqs = b''
    for k in range(count):
        seg = bytes([0xC0 | (k & 0x3F), 0xC0 | (k & 0x0F), 1]) + INTEGRITY
        reqs += link_frame(dest, seg)
    try:
        m.s.sendall(reqs)
    except (BrokenPipeError, ConnectionResetError):
        print('ok: closed by the outstation while sending')
        return
    except socket.timeout:
        fail('the outstation stopped reading but did not close')
    # Held open, unread, until the outstation closes it: a master that
    # went first would be a reset, not a close for not reading.
    end = time.monotonic() + FLOOD_CLOSE_BOUND
    while not peer_closed(m.s):
        if time.monotonic() > end:
            fail('%d requests sent, not closed by the outstation in %d s'
                 % (count, FLOOD_CLOSE_BOUND))
        time.sleep(0.05)
    print('ok: %d requests sent, then closed by the outstation' % count)


def main(a):
    if len(a) < 3:
        sys.exit(__doc__)
    cmd, port, dest = a[0], int(a[1]), int(a[2])
    if cmd == 'integrity':
        integrity(port, dest, a[3:] == ['demo'])
    elif cmd == 'multi':
        multi(port, dest, int(a[3]), a[4] if a[4:] else '127.0.0.1')
    elif cmd == 'replace':
        replace(port, dest)
    elif cmd == 'control':
        control(port, dest)
    elif cmd == 'broadcast':
        broadcast(port, dest)
    elif cmd == 'flood':
        flood(port, dest, a[3], int(a[4]))
    elif cmd == 'unsol':
        unsol(port, dest, a[3])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except (EOFError, ConnectionResetError):
        fail('connection closed by the outstation')
    except socket.timeout:
        fail('timeout waiting for the outstation')
