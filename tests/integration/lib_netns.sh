# Network-namespace test hosts (sourced after lib.sh).
#
# Topology, all of it inside namespaces this file creates (nothing in the
# host's own namespace, so nothing can route to the host's interfaces):
#
#   d3t-srv (server) --veth--+
#   d3t-m1  (master) --veth--+-- bridge br0 in d3t-sw (switch)
#   d3t-mN  (master) --veth--+
#
# Addresses: server 198.18.0.1/24 and fd64:d3::1/64, master i gets
# 198.18.0.(10+i) and fd64:d3::(10+i) (hex); they exist only here.
# NETNS_PREFIX keeps concurrent runs apart (several build directories'
# ctest on one machine): by default d3t<pid of the test>, so "d3t-srv"
# above is really e.g. d3t4242-srv.

NETNS_PREFIX=${NETNS_PREFIX:-d3t$$}
NETNS_SRV_V4=198.18.0.1
NETNS_SRV_V6=fd64:d3::1

netns_v4() { echo "198.18.0.$((10 + $1))"; }
netns_v6() { printf 'fd64:d3::%x\n' $((10 + $1)); }

# Remove every namespace of ours, with the processes inside, and the
# leftovers of crashed runs: d3t<pid>-* whose test process is gone.
netns_cleanup() {
	local ns pid owner
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' |
	    grep -E "^(${NETNS_PREFIX}|d3t[0-9]*)-" || true); do
		owner=${ns%%-*}
		owner=${owner#d3t}
		if [ "${ns%%-*}" != "$NETNS_PREFIX" ] && [ -n "$owner" ] &&
		    kill -0 "$owner" 2>/dev/null; then
			continue	# another run's, still going
		fi
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null || true
		done
		ip netns del "$ns" 2>/dev/null || true
	done
}

_netns_host() {	# name v4 v6
	local ns="${NETNS_PREFIX}-$1" sw="${NETNS_PREFIX}-sw"
	ip netns add "$ns"
	ip link add "eth0" netns "$ns" type veth peer name "p-$1" netns "$sw"
	ip -n "$sw" link set "p-$1" master br0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "$2/24" dev eth0
	ip -n "$ns" addr add "$3/64" dev eth0 nodad
	ip -n "$ns" link set eth0 up
}

# _netns_reachable HOST ADDR: HOST's connect to ADDR port 9 is refused.
_netns_reachable() {
	ip netns exec "${NETNS_PREFIX}-$1" timeout 1 \
	    bash -c "exec 3<>/dev/tcp/$2/9" 2>&1 | grep -q refused
}

# netns_setup N: the switch, the server and N masters.
netns_setup() {
	local n=$1 i
	netns_cleanup
	ip netns add "${NETNS_PREFIX}-sw"
	ip -n "${NETNS_PREFIX}-sw" link add br0 type bridge
	ip -n "${NETNS_PREFIX}-sw" link set br0 up
	_netns_host srv "$NETNS_SRV_V4" "$NETNS_SRV_V6"
	for i in $(seq 1 "$n"); do
		_netns_host "m$i" "$(netns_v4 "$i")" "$(netns_v6 "$i")"
	done
	# Wait (bounded) until the server's kernel answers the last master:
	# a TCP connect to a closed port is refused (ping may not be installed).
	for i in $(seq 1 "$WAIT"); do
		_netns_reachable "m$n" "$NETNS_SRV_V4" &&
		    _netns_reachable "m$n" "$NETNS_SRV_V6" && return 0
		sleep 0.1
	done
	fail "namespaces: no connectivity"
}

# in_ns HOST CMD...: run CMD in srv, m1, m2, ...
in_ns() { local h=$1; shift; ip netns exec "${NETNS_PREFIX}-$h" "$@"; }

# ---------------------------------------------------------------------------
# dnp3d in the server namespace (for tests/integration/netns_*.sh).
#
# nt_init N: the namespaces (server + N masters), a temp dir, and an EXIT
# trap that kills what this test started (by pid), removes the namespaces,
# and prints the dnp3d log when the test failed.

NT_PORT=20000
NT_PID=
DNP3D=${BUILD:-}/listener/dnp3d
export DNP3D_WORKER=${BUILD:-}/listener/dnp3d-worker
export DNP3D_WORKER_TLS=${BUILD:-}/listener/dnp3d-worker-tls

nt_init() {
	[ -n "${BUILD:-}" ] || fail "BUILD (the build directory) is not set"
	[ -x "$DNP3D" ] || fail "$DNP3D not built"
	[ -x "$DNP3D_WORKER" ] || fail "$DNP3D_WORKER not built"
	command -v python3 >/dev/null || skip "python3 is needed"
	command -v ip >/dev/null || skip "iproute2 (ip) is needed"
	ip netns add "${NETNS_PREFIX}-probe" 2>/dev/null ||
		skip "cannot create network namespaces here"
	ip netns del "${NETNS_PREFIX}-probe"
	NT_TMP=$(mktemp -d /tmp/dnp3d-nt.XXXXXX)
	NT_LOG=$NT_TMP/dnp3d.log
	trap nt_exit EXIT
	_nt_client_write
	netns_setup "$1"
}

# Worker pids this run has seen (from the -d log).
nt_worker_pids() {
	sed -n 's/.*worker [A-Za-z0-9_-]* \(started\|ready\) (pid \([0-9]*\)).*/\2/p' \
	    "$NT_LOG" 2>/dev/null | sort -u
}

# Those of them still running as a worker (lib.sh: a pid may have gone
# to another process since).
nt_live_workers() { live_workers $(nt_worker_pids); }

# nt_worker_pid NAME: the pid of NAME's current (last started) worker.
nt_worker_pid() {
	sed -n "s/.*worker $1 ready (pid \([0-9]*\)).*/\1/p" "$NT_LOG" | tail -1
}

nt_exit() {
	local rc=$? p
	[ -n "$NT_PID" ] && is_child "$NT_PID" && kill -9 "$NT_PID" 2>/dev/null
	for p in $(nt_live_workers); do kill -9 "$p" 2>/dev/null; done
	netns_cleanup
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -f "$NT_LOG" ]; then
		# The flood tests' thousands of "rejected" lines are counted.
		echo "--- dnp3d log ($NT_LOG), without its" \
		    "$(grep -c ': rejected ' "$NT_LOG") \"rejected\" lines:" >&2
		grep -v ': rejected ' "$NT_LOG" | tail -n 300 >&2
	fi
	[ -n "${NT_KEEP:-}" ] && { echo "kept $NT_TMP" >&2; return; }
	rm -rf "$NT_TMP"
}

# nt_wait_log PATTERN [TENTHS]: until the log has PATTERN (grep -E);
# TENTHS defaults to $WAIT.
nt_wait_log() {
	local i
	for i in $(seq 1 "${2:-$WAIT}"); do
		grep -qE "$1" "$NT_LOG" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "no log line matching: $1"
}

# nt_wait_count PATTERN N [TENTHS]: until the log has N lines with PATTERN
# (TENTHS: $WAIT if not given).
nt_wait_count() {
	wait_count "$NT_LOG" "$1" "$2" "${3:-$WAIT}" ||
	    fail "fewer than $2 log lines matching: $1"
}

# nt_conf BODY: a configuration with runtime_dir in the temp dir and
# BODY (the servers = ...; part) after it; prints its path.
nt_conf() {
	printf 'runtime_dir = "%s/run";\nuser = "nobody";\n%s\n' "$NT_TMP" "$1" >"$NT_TMP/dnp3d.conf"
	echo "$NT_TMP/dnp3d.conf"
}

# nt_start CONF: dnp3d -d in d3t-srv, until every worker is ready.
nt_start() {
	# Not through in_ns: $! must be dnp3d itself (ip netns exec execs).
	ip netns exec "${NETNS_PREFIX}-srv" "$DNP3D" -d -c "$1" 2>"$NT_LOG" &
	NT_PID=$!
	nt_wait_log 'info: [0-9]+ outstations? ready'
}

# nt_stop: SIGTERM; dnp3d must exit 0 (within $WAIT), with no process left in
# the server namespace. Prints the time it took.
nt_stop() {
	local rc p t0
	t0=$(date +%s%N)
	kill -TERM "$NT_PID"
	ended "$NT_PID" "$WAIT" || fail "dnp3d still running $((WAIT / 10)) s after SIGTERM"
	wait "$NT_PID"; rc=$?
	NT_PID=
	[ "$rc" = 0 ] || fail "dnp3d exited $rc after SIGTERM"
	echo "dnp3d stopped: exit 0 after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	workers_gone $(nt_worker_pids)
	p=$(ip netns pids "${NETNS_PREFIX}-srv" 2>/dev/null | tr '\n' ' ')
	[ -z "$p" ] || fail "processes left in the server namespace: $p"
	# A sanitizer build reports into the log (a worker's report does not
	# change dnp3d's exit status).
	grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$NT_LOG" &&
		fail "sanitizer report in the log"
	return 0
}

# nt_client HOST ARGS...: the test master (see its usage) in namespace HOST.
nt_client() { local h=$1; shift; in_ns "$h" python3 "$NT_TMP/client.py" "$@"; }

# The link-layer pieces it shares with lib_listener.sh's master go beside it.
_nt_client_write() {
cp "$(dirname "${BASH_SOURCE[0]}")/lib_dnp3link.py" "$NT_TMP/" ||
	fail "lib_dnp3link.py not found"
cat >"$NT_TMP/client.py" <<'PY'
"""DNP3 test master for the netns suite (link layer, and one class 1
read). One line per result.
  status SRV PORT DEST            request link status -> "status <addr>"
  silent SRV PORT                 connect, send nothing -> "closed"/"open"
  replace SRV PORT DEST           a served, b (same host) replaces it,
                                  a sees EOF, b served again
  garbage SRV PORT DEST [junk]    bad header CRC (after junk bytes), then
                                  request link status on the same socket
  poll SRV PORT DEST SECS MS [STOPFILE]
                                  one connection, a request every MS for
                                  SECS (or until STOPFILE exists) ->
                                  "poll sent= answered= lost= max_ms=
                                  end=done|closed"
  recover SRV PORT DEST PID       SIGKILL PID, then connect and request
                                  until answered -> "recovered ms= attempts="
  unconfirmed SRV PORT DEST       read class 1 and never confirm ->
                                  "response func= con= events= indexes=",
                                  then wait for EOF (10 s) -> "after: ..."
  flood SRV PORT COUNT SECS       COUNT connects (for at most SECS, 32 in
                                  flight), each must be closed by the
                                  server within 5 s -> "flood connects=
                                  closed= open= failed= slow= ms="
"""
import os, selectors, signal, socket, struct, sys, time
from lib_dnp3link import crc, eof, garbage, replace, status

def connect(srv, port, timeout=10.0):
    s = socket.socket(socket.AF_INET6 if ':' in srv else socket.AF_INET)
    s.settimeout(timeout)
    s.connect((srv, port))
    return s

def poll(srv, port, dest, secs, ms, stop=None):
    s = connect(srv, port)
    sent = answered = 0
    worst = 0.0
    how = 'done'
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if stop and os.path.exists(stop):
            break
        t0 = time.monotonic()
        sent += 1
        r = status(s, dest)
        dt = (time.monotonic() - t0) * 1000
        if r == 'status %d' % dest:
            answered += 1
            worst = max(worst, dt)
        elif r == 'closed':
            how = 'closed'
            break
        time.sleep(max(0.0, ms / 1000 - dt / 1000))
    print('poll sent=%d answered=%d lost=%d max_ms=%.1f end=%s'
          % (sent, answered, sent - answered, worst, how))

def recover(srv, port, dest, pid):
    t0 = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    attempts = 0
    while time.monotonic() - t0 < 5 and attempts < 500:
        attempts += 1
        try:
            s = connect(srv, port, 0.2)
            r = status(s, dest)
            s.close()
        except OSError:
            r = 'error'
        if r == 'status %d' % dest:
            print('recovered ms=%d attempts=%d'
                  % ((time.monotonic() - t0) * 1000, attempts))
            return
        time.sleep(0.01)
    print('not recovered after %d attempts' % attempts)

def flood(srv, port, count, secs, width=32):
    """Up to width connects in flight; each should see EOF (or a reset)
    from the server. One still open 5 s after its start counts as open;
    slow counts those that took more than 0.5 s (a SYN the kernel dropped
    because the listen backlog was full is retried after 1 s)."""
    fam = socket.AF_INET6 if ':' in srv else socket.AF_INET
    sel = selectors.DefaultSelector()
    inflight = {}
    n = closed = opened = failed = slow = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < secs + 5:
        while n < count and len(inflight) < width and \
                time.monotonic() - t0 < secs:
            s = socket.socket(fam)
            s.setblocking(False)
            s.connect_ex((srv, port))
            sel.register(s, selectors.EVENT_READ)
            inflight[s] = time.monotonic()
            n += 1
        if not inflight:
            break
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                r = 'closed' if s.recv(1) == b'' else 'data'
            except BlockingIOError:
                continue
            except ConnectionResetError:
                r = 'closed'
            except OSError:
                r = 'failed'
            closed += r == 'closed'
            slow += time.monotonic() - inflight[s] > 0.5
            opened += r == 'data'
            failed += r == 'failed'
            sel.unregister(s)
            del inflight[s]
            s.close()
        now = time.monotonic()
        for s in [s for s, t in inflight.items() if now - t > 5.0]:
            opened += 1
            sel.unregister(s)
            del inflight[s]
            s.close()
    opened += len(inflight)
    print('flood connects=%d closed=%d open=%d failed=%d slow=%d ms=%d'
          % (n, closed, opened, failed, slow,
             (time.monotonic() - t0) * 1000))

def user_frame(dest, src, data):
    """Unconfirmed user data (DIR, PRM, function 4), CRC every 16 bytes."""
    h = bytes([0x05, 0x64, 5 + len(data), 0xC4]) + struct.pack('<HH', dest, src)
    out = h + crc(h)
    for i in range(0, len(data), 16):
        out += data[i:i + 16] + crc(data[i:i + 16])
    return out

def recv_exact(s, n):
    buf = b''
    while len(buf) < n:
        r = s.recv(n - len(buf))
        if not r:
            raise EOFError
        buf += r
    return buf

def read_fragment(s):
    """One application fragment from the outstation's user data frames."""
    app = b''
    for _ in range(64):
        h = recv_exact(s, 10)
        if h[:2] != b'\x05\x64' or crc(h[:8]) != h[8:10] or h[2] < 5:
            raise ValueError('bad header ' + h.hex())
        n = h[2] - 5
        data = b''
        for i in range(0, n, 16):
            blk = recv_exact(s, min(16, n - i))
            if crc(blk) != recv_exact(s, 2):
                raise ValueError('bad block CRC')
            data += blk
        if h[3] & 0x0F != 4 or not data:
            continue            # not unconfirmed user data
        app += data[1:]
        if data[0] & 0x80:      # transport FIN
            return app
    raise ValueError('no final transport segment')

G2_SIZE = {1: 1, 2: 7, 3: 3}

def g2_events(objs):
    """Indexes of the binary input events (group 2) in a response."""
    idx = []
    while len(objs) >= 3:
        g, v, q = objs[0], objs[1], objs[2]
        if g != 2 or v not in G2_SIZE or q not in (0x17, 0x28):
            raise ValueError('object g%dv%d q%02x' % (g, v, q))
        w = 1 if q == 0x17 else 2
        cnt = int.from_bytes(objs[3:3 + w], 'little')
        objs = objs[3 + w:]
        for _ in range(cnt):
            idx.append(int.from_bytes(objs[:w], 'little'))
            objs = objs[w + G2_SIZE[v]:]
    return idx

def unconfirmed(srv, port, dest):
    """Reads class 1 and never confirms; then waits for EOF."""
    s = connect(srv, port)
    s.sendall(user_frame(dest, 1, bytes([0xC0, 0xC0, 0x01, 60, 2, 0x06])))
    app = read_fragment(s)
    ev = g2_events(app[4:])
    print('response func=0x%02x con=%d events=%d indexes=%s'
          % (app[1], (app[0] >> 5) & 1, len(ev), ','.join(map(str, ev))),
          flush=True)
    s.settimeout(10)
    print('after: ' + eof(s))

def main(a):
    cmd, srv, port = a[0], a[1], int(a[2])
    if cmd == 'status':
        s = connect(srv, port)
        print(status(s, int(a[3])))
    elif cmd == 'silent':
        print(eof(connect(srv, port)))
    elif cmd == 'replace':
        replace(lambda: connect(srv, port), lambda: connect(srv, port),
                int(a[3]))
    elif cmd == 'garbage':
        garbage(connect(srv, port), int(a[3]), a[4:] == ['junk'])
    elif cmd == 'poll':
        poll(srv, port, int(a[3]), float(a[4]), int(a[5]), (a[6:] or [None])[0])
    elif cmd == 'recover':
        recover(srv, port, int(a[3]), int(a[4]))
    elif cmd == 'unconfirmed':
        unconfirmed(srv, port, int(a[3]))
    elif cmd == 'flood':
        flood(srv, port, int(a[3]), float(a[4]))
    else:
        sys.exit(__doc__)

try:
    main(sys.argv[1:])
except (IndexError, ValueError):
    sys.exit(__doc__)
PY
}

# nt_app_layer HOST ADDR: whether outstation ADDR answers an integrity
# poll from HOST (dnp3-master built and the worker's application layer
# wired). Note: the poll is a connection of its own (a takeover).
nt_app_layer() {
	local m=${BUILD:-}/tools/dnp3-master/dnp3-master
	[ -x "$m" ] || return 1
	in_ns "$1" timeout 30 "$m" -a "$2" -t 5000 "$NETNS_SRV_V4:$NT_PORT" \
	    integrity >/dev/null 2>&1
}

# nt_need_app HOST ADDR: the worker serves the application layer, so an
# outstation that does not answer an integrity poll fails the test.
nt_need_app() {
	nt_app_layer "$1" "$2" ||
		fail "outstation $2 does not answer an integrity poll from $1 (application layer)"
}

# nt_integrity HOST ADDR N MS: N integrity polls of outstation ADDR from
# HOST over one connection, MS apart (dnp3-master --repeat); prints its
# summary "integrity: N requests, F failed, latency min/avg/max ..." and
# returns its exit status.
nt_integrity() {
	in_ns "$1" timeout 60 "${BUILD:-}/tools/dnp3-master/dnp3-master" \
	    -a "$2" -t 1000 --repeat "$3" --interval "$4" \
	    "$NETNS_SRV_V4:$NT_PORT" integrity 2>&1 | grep -E '^integrity: |error|timeout'
	return "${PIPESTATUS[0]}"
}

# nt_capture_start CAP: tshark on the server namespace's eth0 (TCP port
# 20000 and the probes to port 9) into CAP, until packets are really in
# the file ("Capturing on" comes first, and the file is written in
# chunks: port 9 is probed, refused, until then). NT_TS_PID is tshark;
# nt_exit's netns_cleanup ends it, if need be; its own bound is the
# test's timeout.
nt_capture_start() {
	local i
	ip netns exec "${NETNS_PREFIX}-srv" tshark -n -q -i eth0 \
	    -f 'tcp port 20000 or tcp port 9' -a duration:300 -F pcap -w "$1" \
	    2>"$NT_TMP/tshark.err" &
	NT_TS_PID=$!
	for i in $(seq 1 "$WAIT"); do
		kill -0 "$NT_TS_PID" 2>/dev/null || fail "tshark: $(cat "$NT_TMP/tshark.err")"
		_netns_reachable m1 "$NETNS_SRV_V4"
		[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt 24 ] && break
		sleep 0.1
	done
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -gt 24 ] ||
		fail "tshark captured nothing: $(cat "$NT_TMP/tshark.err")"
	echo "capture running after $i probe(s) to port 9"
}

# nt_capture_stop CAP: once every connection is closed at the server (its
# last FIN and the masters' last ACKs have passed eth0) and a probe after
# that is in the file (so is everything before it), tshark stops.
nt_capture_stop() {
	local i open n0
	for i in $(seq 1 "$WAIT"); do
		open=$(ip netns exec "${NETNS_PREFIX}-srv" ss -Htn state established \
		    state close-wait state last-ack state fin-wait-1 state fin-wait-2 \
		    state closing '( sport = :20000 )' | wc -l)
		[ "$open" = 0 ] && break
		sleep 0.1
	done
	[ "$open" = 0 ] || fail "$open connections still open at the server"
	n0=$(_nt_probes "$1")
	for i in $(seq 1 "$WAIT"); do
		_netns_reachable m1 "$NETNS_SRV_V4"
		[ "$(_nt_probes "$1")" -gt "$n0" ] && break
		sleep 0.1
	done
	[ "$(_nt_probes "$1")" -gt "$n0" ] ||
		fail "no probe reached the capture file: $(cat "$NT_TMP/tshark.err")"
	kill -INT "$NT_TS_PID"
	ended "$NT_TS_PID" "$WAIT" || fail "tshark did not stop"
	wait "$NT_TS_PID" || fail "tshark exited $?: $(cat "$NT_TMP/tshark.err")"
	[ -s "$1" ] || fail "no capture"
}
_nt_probes() { tshark -n -r "$1" -Y 'tcp.dstport == 9' 2>/dev/null | wc -l; }

# nt_wire_frames CAP: the DNP3 link frames on port 20000 in CAP, counted
# without Wireshark's dissector: the TCP payload of each direction of each
# connection parsed as whole frames (start bytes, header CRC, length,
# every block's CRC); prints the count, or fails naming the first bad one.
nt_wire_frames() {
	tshark -n -r "$1" -Y 'tcp.port == 20000 && tcp.len > 0 &&
	    !tcp.analysis.retransmission && !tcp.analysis.spurious_retransmission' \
	    -T fields -e tcp.stream -e tcp.srcport -e tcp.payload 2>/dev/null |
	    PYTHONPATH=$NT_TMP python3 -c '
import sys
from lib_dnp3link import crc
streams = {}
for line in sys.stdin:
    st, port, hexdata = line.split()
    streams[(st, port)] = streams.get((st, port), b"") + bytes.fromhex(hexdata.replace(":", ""))
n = 0
for data in streams.values():
    while data:
        if len(data) < 10 or data[:2] != b"\x05\x64" or crc(data[:8]) != data[8:10]:
            sys.exit("not a DNP3 frame: " + data[:10].hex())
        u = data[2] - 5
        size = 10 + u + 2 * ((u + 15) // 16)
        if len(data) < size:
            sys.exit("truncated frame")
        for i in range(10, size, 18):
            blk = data[i:min(i + 16, size - 2)]
            if crc(blk) != data[i + len(blk):i + len(blk) + 2]:
                sys.exit("bad block CRC")
        data, n = data[size:], n + 1
print(n)'
}

# nt_tshark_check CAP FRAMES: tests/wire/tshark_check.sh --live on CAP's
# port 20000 (without the probes: a refused SYN is a TCP expert warning):
# no malformed packet, no expert warning or error, exactly FRAMES DNP3
# frames. Prints its verdict; its exit status is the check's.
nt_tshark_check() {
	cat >"$NT_TMP/gen_live" <<GEN
#!/bin/sh
tshark -n -r "$1" -Y 'tcp.port == 20000' -F pcap -w "\$1" 2>/dev/null &&
    echo "frames $2"
GEN
	chmod +x "$NT_TMP/gen_live"
	bash "$(dirname "${BASH_SOURCE[0]}")/../wire/tshark_check.sh" --live \
	    "$NT_TMP/gen_live" "$NT_TMP/check.pcap"
}

# nt_locked_down PID WHAT: /proc/PID shows the lockdown of a helper: no
# uid or gid 0, no capabilities, NoNewPrivs 1, Seccomp 2, root the empty
# chroot. Prints one line.
nt_locked_down() {
	local st=/proc/$1/status v k
	for v in $(_nt_field "$st" Uid) $(_nt_field "$st" Gid); do
		[ "$v" != 0 ] || fail "$2: uid/gid 0: $(_nt_field "$st" Uid)"
	done
	for k in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(_nt_field "$st" $k)" = 0000000000000000 ] ||
			fail "$2: $k is $(_nt_field "$st" $k)"
	done
	[ "$(_nt_field "$st" NoNewPrivs)" = 1 ] || fail "$2: NoNewPrivs not 1"
	[ "$(_nt_field "$st" Seccomp)" = 2 ] || fail "$2: Seccomp not 2"
	[ "$(readlink "/proc/$1/root")" = "$NT_TMP/run/empty" ] ||
		fail "$2: root is $(readlink "/proc/$1/root")"
	echo "ok: $2 $1: uid $(_nt_field "$st" Uid | cut -f1), no capabilities, NoNewPrivs, Seccomp 2, chroot"
}
_nt_field() { sed -n "s/^$2:[[:space:]]*//p" "$1" | sed 's/[[:space:]]*$//'; }
