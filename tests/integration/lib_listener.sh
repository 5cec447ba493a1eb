# Helpers for the listener_*.sh integration tests (sourced after lib.sh).
# Everything runs on loopback: masters bind 127.0.0.2, 127.0.0.3, ... as
# their source address. Every wait is bounded; lw_cleanup (on EXIT) kills
# only the processes this test started, by pid.

LW_TMP=$(mktemp -d /tmp/dnp3d-lw.XXXXXX)
LW_PID=
LW_LOG=$LW_TMP/dnp3d.log
DNP3D=$BUILD/listener/dnp3d
export DNP3D_WORKER=$BUILD/listener/dnp3d-worker
export DNP3D_WORKER_TLS=$BUILD/listener/dnp3d-worker-tls

LW_BG=()	# background pids of the test, killed on exit
# The tools the bus and master tests drive (see lw_need_built).
EVENTS=$BUILD/tools/dnp3-events/dnp3-events
UPDATE=$BUILD/tools/dnp3-update/dnp3-update
MASTER=$BUILD/tools/dnp3-master/dnp3-master

[ -x "$DNP3D" ] || fail "$DNP3D not built"
[ -x "$DNP3D_WORKER" ] || fail "$DNP3D_WORKER not built"
command -v python3 >/dev/null || skip "python3 is needed"

# lw_need_built BIN...: the test fails when one of them is not built.
lw_need_built() {
	local b
	for b in "$@"; do
		[ -x "$b" ] || fail "$b not built"
	done
}

# Worker pids this run has seen (from the -d log).
lw_worker_pids() {
	sed -n 's/.*worker [A-Za-z0-9_-]* started (pid \([0-9]*\)).*/\1/p' \
	    "$LW_LOG" 2>/dev/null | sort -u
}

# Those of them still running as a worker (lib.sh: a pid may have gone
# to another process since).
lw_live_workers() { live_workers $(lw_worker_pids); }

lw_cleanup() {
	local rc=$? p signalled=()
	for p in "${LW_BG[@]}"; do
		is_child "$p" && kill "$p" 2>/dev/null && signalled+=("$p")
	done
	# They write as they exit (mosquitto its store into $LW_TMP/mq): the
	# directory goes only once they are gone, or it is made again.
	for p in "${signalled[@]}"; do
		ended "$p" "$WAIT" || { is_child "$p" && kill -9 "$p" 2>/dev/null; }
		wait "$p" 2>/dev/null
	done
	[ -n "$LW_PID" ] && is_child "$LW_PID" && kill -9 "$LW_PID" 2>/dev/null
	for p in $(lw_live_workers); do kill -9 "$p" 2>/dev/null; done
	# What dnp3d said last tells why a test failed (the failure of a
	# soak run is seldom seen again).
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -s "$LW_LOG" ]; then
		echo "--- dnp3d log ($LW_LOG), its last 200 lines:" >&2
		tail -n 200 "$LW_LOG" >&2
	fi
	[ -n "${LW_KEEP:-}" ] && { echo "kept $LW_TMP" >&2; return; }
	rm -rf "$LW_TMP"
}
trap lw_cleanup EXIT

# lw_port: a free port (free_port) never given to this test before.
lw_port() { free_port "$LW_TMP/ports"; }

# lw_wait_log PATTERN [TENTHS]: until the log has PATTERN (grep -E);
# TENTHS defaults to $WAIT.
lw_wait_log() {
	local i
	for i in $(seq 1 "${2:-$WAIT}"); do
		grep -qE "$1" "$LW_LOG" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "--- log:" >&2; cat "$LW_LOG" >&2
	fail "no log line matching: $1"
}

# lw_conf2 PORT NAME1 FILTER1 ADDR1 NAME2 FILTER2 ADDR2: writes
# $LW_TMP/dnp3d.conf: one server on 127.0.0.1:PORT with two outstations
# (master address 1 for both).
lw_conf2() {
	cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$1";
  outstations = (
    { name = "$2"; filter = "$3"; address = $4; master = 1; },
    { name = "$5"; filter = "$6"; address = $7; master = 1; }
  );
} );
CONF
}

# lw_start CONF: dnp3d in the background, until every worker is ready.
lw_start() {
	"$DNP3D" -d -c "$1" 2>"$LW_LOG" &
	LW_PID=$!
	lw_wait_log 'info: [0-9]+ outstations? ready'
}

# lw_stop: SIGTERM, then dnp3d must exit 0 and leave no process behind.
lw_stop() {
	local rc p
	kill -TERM "$LW_PID"
	ended "$LW_PID" "$WAIT" || fail "dnp3d still running $((WAIT / 10)) s after SIGTERM"
	wait "$LW_PID"; rc=$?
	LW_PID=
	[ "$rc" = 0 ] || { cat "$LW_LOG" >&2; fail "dnp3d exited $rc after SIGTERM"; }
	workers_gone $(lw_worker_pids)
	return 0
}

# lw_client ARGS...: the small DNP3 master below (see its usage), with
# the link-layer pieces it shares with lib_netns.sh's master beside it.
lw_client() { python3 "$LW_TMP/d3client.py" "$@"; }
cp "$(dirname "${BASH_SOURCE[0]}")/lib_dnp3link.py" "$LW_TMP/" ||
	fail "lib_dnp3link.py not found"

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
import os, socket, sys
from lib_dnp3link import (LINK_STATUS_FROM_MASTER, REQUEST_LINK_STATUS,
                          eof, frame, garbage, replace, status)

def connect(port, src):
    """From src to the server on 127.0.0.1, or on ::1 when src is IPv6."""
    v6 = ':' in src
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
    s.bind((src, 0))
    # an answer, or the end, within D3_WAIT s (5 unless the test says):
    # below the 10 s a relay has to get ready (attack_relay.sh waits that
    # out); a test whose connection starts a relay waits longer for the
    # answer itself (3 to 4.5 s with the ASan build on a busy machine)
    s.settimeout(float(os.environ.get('D3_WAIT', '5')))
    s.connect(('::1' if v6 else '127.0.0.1', port))
    return s

def main(a):
    cmd, port = a[0], int(a[1])
    if cmd == 'status':
        print(status(connect(port, a[2]), int(a[3])))
    elif cmd == 'silent':
        print(eof(connect(port, a[2])))
    elif cmd == 'replace':
        replace(lambda: connect(port, a[2]), lambda: connect(port, a[3]),
                int(a[4]))
    elif cmd == 'garbage':
        garbage(connect(port, a[2]), int(a[3]), a[4:] == ['junk'])
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
