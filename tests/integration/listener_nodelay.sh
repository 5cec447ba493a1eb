#!/usr/bin/env bash
# A master's connection has TCP_NODELAY (responses are small; a delayed
# ACK must not hold one back), on IPv4 and IPv6: the listener sets it on
# its listen sockets and the accepted ones inherit it. Checked on the
# listener's own copy of the connection (it keeps one for the worker's
# successor), taken with pidfd_getfd while the master is connected.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "four"; filter = "127.0.0.2"; address = 10; master = 1; } );
}, {
  listen = "[::1]:$port";
  outstations = ( { name = "six"; filter = "::1"; address = 20; master = 1; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

cat >"$LW_TMP/nodelay.py" <<'PY'
"""nodelay.py LISTENER_PID PORT SRC DEST: connect from SRC, get a link
status answer from DEST, then print the TCP_NODELAY of the listener's
copy of this connection ("nodelay 1"), found by its addresses."""
import ctypes, os, socket, sys
sys.path.insert(0, os.path.dirname(__file__))
from lib_dnp3link import status

pid, port, src, dest = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
fam = socket.AF_INET6 if ':' in src else socket.AF_INET
c = socket.socket(fam, socket.SOCK_STREAM)
c.settimeout(10)
c.bind((src, 0))
c.connect((src if fam == socket.AF_INET6 else '127.0.0.1', port))
r = status(c, dest)
if r != "status %d" % dest:
    sys.exit("link status: " + r)
mine = c.getsockname()[:2]

libc = ctypes.CDLL(None, use_errno=True)
SYS_pidfd_open, SYS_pidfd_getfd = 434, 438
pidfd = libc.syscall(SYS_pidfd_open, pid, 0)
if pidfd < 0:
    sys.exit("pidfd_open: %s" % os.strerror(ctypes.get_errno()))
found = []
for name in os.listdir("/proc/%d/fd" % pid):
    if not os.readlink("/proc/%d/fd/%s" % (pid, name)).startswith("socket:"):
        continue
    fd = libc.syscall(SYS_pidfd_getfd, pidfd, int(name), 0)
    if fd < 0:
        continue
    s = socket.socket(fileno=fd)
    try:
        if s.type == socket.SOCK_STREAM and s.getpeername()[:2] == mine:
            found.append(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    except OSError:
        pass
    finally:
        s.close()
print("copies %d nodelay %s" % (len(found), ",".join(str(int(v != 0)) for v in found)))
PY
cp "$(dirname "$0")/lib_dnp3link.py" "$LW_TMP/"

out=$(python3 "$LW_TMP/nodelay.py" "$LW_PID" "$port" 127.0.0.2 10) ||
	fail "IPv4: $out"
[ "$out" = "copies 1 nodelay 1" ] || fail "IPv4 master's connection: $out"
out=$(python3 "$LW_TMP/nodelay.py" "$LW_PID" "$port" ::1 20) ||
	fail "IPv6: $out"
[ "$out" = "copies 1 nodelay 1" ] || fail "IPv6 master's connection: $out"
lw_stop
echo "PASS: the listener's copies of an IPv4 and an IPv6 master's connection have TCP_NODELAY"
