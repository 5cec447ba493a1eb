# Helpers for the listener_*.sh integration tests (sourced after lib.sh).
# Everything runs on loopback: masters bind 127.0.0.2, 127.0.0.3, ... as
# their source address. Every wait is bounded; lw_cleanup (on EXIT) kills
# only the processes this test started, by pid.

LW_TMP=$(mktemp -d /tmp/dnp3d-lw.XXXXXX)
LW_PID=
LW_LOG=$LW_TMP/dnp3d.log
DNP3D=$BUILD/listener/dnp3d
export DNP3D_WORKER=$BUILD/listener/dnp3d-worker

[ -x "$DNP3D" ] || fail "$DNP3D not built"
[ -x "$DNP3D_WORKER" ] || fail "$DNP3D_WORKER not built"
command -v python3 >/dev/null || skip "python3 is needed"

# Worker pids this run has seen (from the -d log).
lw_worker_pids() {
	sed -n 's/.*worker [A-Za-z0-9_-]* started (pid \([0-9]*\)).*/\1/p' \
	    "$LW_LOG" 2>/dev/null | sort -u
}

lw_cleanup() {
	local p
	[ -n "$LW_PID" ] && kill -9 "$LW_PID" 2>/dev/null
	for p in $(lw_worker_pids); do kill -9 "$p" 2>/dev/null; done
	[ -n "${LW_KEEP:-}" ] && { echo "kept $LW_TMP" >&2; return; }
	rm -rf "$LW_TMP"
}
trap lw_cleanup EXIT

# A free TCP port on 127.0.0.1 (the kernel picks one in its high range).
lw_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# lw_wait_log PATTERN [TENTHS]: until the log has PATTERN (grep -E).
lw_wait_log() {
	local i
	for i in $(seq 1 "${2:-50}"); do
		grep -qE "$1" "$LW_LOG" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "--- log:" >&2; cat "$LW_LOG" >&2
	fail "no log line matching: $1"
}

# lw_start CONF: dnp3d in the background, until every worker is ready.
lw_start() {
	"$DNP3D" -d -c "$1" 2>"$LW_LOG" &
	LW_PID=$!
	lw_wait_log 'info: [0-9]+ outstations? ready'
}

# lw_stop: SIGTERM, then dnp3d must exit 0 and leave no process behind.
lw_stop() {
	local i rc p
	kill -TERM "$LW_PID"
	for i in $(seq 1 50); do
		kill -0 "$LW_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$LW_PID" 2>/dev/null && fail "dnp3d still running 5 s after SIGTERM"
	wait "$LW_PID"; rc=$?
	LW_PID=
	[ "$rc" = 0 ] || { cat "$LW_LOG" >&2; fail "dnp3d exited $rc after SIGTERM"; }
	for p in $(lw_worker_pids); do
		kill -0 "$p" 2>/dev/null && fail "worker pid $p left running"
	done
	return 0
}

# lw_client ARGS...: the small DNP3 master below (see its usage).
lw_client() { python3 "$LW_TMP/d3client.py" "$@"; }

cat >"$LW_TMP/d3client.py" <<'PY'
"""Tiny DNP3 link-layer master for tests. Prints what it saw, one line each.
  status PORT SRC DEST           request link status -> "status <addr>"
  silent PORT SRC                connect, send nothing -> "closed"/"open"
  replace PORT SRC1 SRC2 DEST    a served, b replaces it, a sees EOF
  garbage PORT SRC DEST [junk]   bad header CRC (after junk bytes), then
                                 request link status
  misaddressed PORT SRC DEST LINKSRC GOOD
                                 two link status requests to DEST from
                                 link address LINKSRC, then a good one to
                                 GOOD from 1 -> "status <addr>"
  keepalive PORT SRC DEST answer|silent
                                 wait for the outstation's keep-alive probe;
                                 answer it (a second probe must come) or
                                 not (the connection must close)
"""
import socket, struct, sys

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

def connect(port, src):
    """From src to the server on 127.0.0.1, or on ::1 when src is IPv6."""
    v6 = ':' in src
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
    s.bind((src, 0))
    s.settimeout(3)
    s.connect(('::1' if v6 else '127.0.0.1', port))
    return s

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

def main(a):
    cmd, port = a[0], int(a[1])
    if cmd == 'status':
        print(status(connect(port, a[2]), int(a[3])))
    elif cmd == 'silent':
        print(eof(connect(port, a[2])))
    elif cmd == 'replace':
        dest = int(a[4])
        old = connect(port, a[2])
        print('old: ' + status(old, dest))
        new = connect(port, a[3])
        print('new: ' + status(new, dest))
        print('old after: ' + eof(old))
        print('new again: ' + status(new, dest))
    elif cmd == 'garbage':
        s = connect(port, a[2])
        bad = bytearray(frame(REQUEST_LINK_STATUS, int(a[3]), 1))
        bad[8] ^= 0xFF
        junk = b'\x01\x02\x05' if a[4:] == ['junk'] else b''
        s.sendall(junk + bytes(bad))
        print(status(s, int(a[3])))
    elif cmd == 'misaddressed':
        s = connect(port, a[2])
        bad = frame(REQUEST_LINK_STATUS, int(a[3]), int(a[4]))
        s.sendall(bad + bad)
        print(status(s, int(a[5])))
    elif cmd == 'keepalive':
        s = connect(port, a[2])
        probe = s.recv(64)
        print('probe ' + probe.hex())
        if a[4] == 'answer':
            s.sendall(frame(LINK_STATUS_FROM_MASTER, int(a[3]), 1))
            print('again ' + s.recv(64).hex())
        else:
            print(eof(s))
    else:
        sys.exit(__doc__)

main(sys.argv[1:])
PY
