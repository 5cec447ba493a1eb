"""DNP3 link-layer pieces shared by the integration tests' Python masters:
the CRC, header frames, the link status exchange, EOF detection.
lib_listener.sh and lib_netns.sh copy this file into their temp dir, next
to the clients they write there (PYTHONPATH=$LW_TMP or $NT_TMP for inline
scripts); outstation_client.py imports it from this directory."""
import socket, struct

def crc(data):
    c = 0
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c >> 1) ^ 0xA6BC if c & 1 else c >> 1
    return struct.pack('<H', (~c) & 0xFFFF)

def frame(ctrl, dest, src):
    h = bytes([0x05, 0x64, 5, ctrl]) + struct.pack('<HH', dest, src)
    return h + crc(h)

REQUEST_LINK_STATUS = 0xC9      # DIR, PRM, function 9
LINK_STATUS_FROM_MASTER = 0x8B  # DIR, secondary, function 11

def answer(s):
    """The link status frame the outstation sent, as 'status <src>'."""
    buf = b''
    try:
        while len(buf) < 10:
            r = s.recv(10 - len(buf))
            if not r:
                return 'closed'
            buf += r
    except socket.timeout:
        return 'timeout'
    except ConnectionResetError:
        return 'closed'
    if buf[:3] != b'\x05\x64\x05' or crc(buf[:8]) != buf[8:10]:
        return 'bad frame ' + buf.hex()
    dest, src = struct.unpack('<HH', buf[4:8])
    if buf[3] & 0xCF != 0x0B or dest != 1:
        return 'unexpected ' + buf.hex()
    return 'status %d' % src

def status(s, dest, src=1):
    try:
        s.sendall(frame(REQUEST_LINK_STATUS, dest, src))
    except (BrokenPipeError, ConnectionResetError):
        return 'closed'
    return answer(s)

def eof(s):
    try:
        return 'closed' if s.recv(1) == b'' else 'data'
    except socket.timeout:
        return 'open'
    except ConnectionResetError:
        return 'closed'

def replace(connect_old, connect_new, dest):
    """a served, b replaces it, a sees EOF, b served again."""
    old = connect_old()
    print('old: ' + status(old, dest))
    new = connect_new()
    print('new: ' + status(new, dest))
    print('old after: ' + eof(old))
    print('new again: ' + status(new, dest))

def garbage(s, dest, junk):
    """A header with a bad CRC (after junk bytes, if junk), then a request
    link status on the same socket."""
    bad = bytearray(frame(REQUEST_LINK_STATUS, dest, 1))
    bad[8] ^= 0xFF
    s.sendall((b'\x01\x02\x05' if junk else b'') + bytes(bad))
    print(status(s, dest))
