# Shared helpers for integration tests (sourced).
# skip MSG: exit 77 (ctest SKIP) -- except in CI, where a skip is a failure.
skip() {
	if [ "${CI:-}" = "true" ]; then
		echo "FAIL (would skip, but CI=true): $*" >&2
		exit 1
	fi
	echo "SKIP: $*" >&2
	exit 77
}
fail() { echo "FAIL: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"; }

# WAIT: the bound, in tenths of a second, on a wait for something that
# must happen (a line, an event, an exit). A wait ends as soon as the
# thing happens, so the bound costs nothing when all is well: it is there
# to end a test that hangs, never to check a latency (a test that checks
# one measures it with the clock). Bounds of 3 to 5 s failed now and then
# with the ASan build on a busy machine (issue 14).
WAIT=300
# WAIT_MS: the same bound in milliseconds, for a tool's own bound on
# what must happen (dnp3-update -w for an error it must get, a master's or
# dnp3-status' -t): the tool ends when it happens, so only a missing one
# costs the wait.
WAIT_MS=$((WAIT * 100))

# wait_for FILE PATTERN TENTHS: until FILE has a line matching PATTERN
# (grep -E); returns 1 after TENTHS tenths of a second without one. FILE
# must not hold lines of an earlier run of what writes it: truncate it
# before starting that (a stale match would end the wait at once).
wait_for() {
	local i
	for i in $(seq 1 "$3"); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# re TEXT: TEXT as a literal grep -E pattern.
re() { printf '%s' "$1" | sed 's/[][\.*^$(){}+?|]/\\&/g'; }

# wait_count FILE PATTERN N TENTHS: until FILE has N lines matching
# PATTERN (grep -E); returns 1 after TENTHS tenths of a second without. For
# a file that holds lines of earlier writers: N counts past them.
wait_count() {
	local i n
	for i in $(seq 1 "$4"); do
		n=$(grep -cE "$2" "$1" 2>/dev/null)
		[ "${n:-0}" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_jq FILE FILTER [TENTHS]: until the JSON values in FILE, as one
# array (jq -s), satisfy FILTER; returns 1 after TENTHS (default $WAIT)
# tenths of a second without. For a collector's file of bus events.
wait_jq() {
	local i
	for i in $(seq 1 "${3:-$WAIT}"); do
		jq -e -s "$2" "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# read_until PATTERN CMD...: runs CMD (a master's read) until its output
# has a line matching PATTERN (grep -E), 0.1 s apart, at most $WAIT times:
# for a value that reaches an outstation after what sent it has ended.
# Prints CMD's last output, stderr too. Returns 1 if PATTERN never came,
# and CMD's status at once if it fails: a failed read is not tried again.
read_until() {
	local pat=$1 i out rc
	shift
	for i in $(seq 1 "$WAIT"); do
		out=$("$@" 2>&1); rc=$?
		[ "$rc" = 0 ] || { echo "$out"; return "$rc"; }
		echo "$out" | grep -qE "$pat" && { echo "$out"; return 0; }
		sleep 0.1
	done
	echo "$out"
	return 1
}

# ended PID TENTHS: until PID has ended and been reaped (this shell reaps
# its own jobs as they end; kill -0 fails from then); returns 1 if it
# still runs after TENTHS tenths of a second.
ended() {
	local i
	for i in $(seq 1 "$2"); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	! kill -0 "$1" 2>/dev/null
}

# wait_pid PID [TENTHS [WHAT]]: waits for a background job of this shell
# for at most TENTHS tenths of a second (default $WAIT); one still running
# then is killed with SIGKILL and the test fails, naming WHAT. Otherwise
# returns the job's exit status, as wait does. A plain `wait` has no bound:
# a hung process (it happened with an ASan build) would block until the
# ctest timeout.
wait_pid() {
	local pid=$1 n=${2:-$WAIT} what=${3:-"process $1"}
	if ! ended "$pid" "$n"; then
		# its children too (a command under timeout(1)), by parent pid
		pkill -KILL -P "$pid" 2>/dev/null
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		fail "$what still running after $((n / 10)) s (killed)"
	fi
	wait "$pid"
}

# stop_timed PID [WHAT]: ends a command started as `timeout ... CMD &`
# (PID is timeout's) with SIGTERM to CMD itself, as a user would, and
# returns its exit status (timeout's is CMD's). Not SIGTERM to timeout: it
# passes the signal on and follows it with SIGCONT, and in the ASan build
# a SIGCONT that comes while LeakSanitizer is stopping the exiting CMD's
# threads for its check at exit cancels the stop LeakSanitizer waits for,
# and CMD spins until timeout's SIGKILL (seen in bus_tools at load 6).
stop_timed() {
	pkill -TERM -P "$1"
	wait_pid "$1" "$WAIT" "${2:-"process $1"}"
}

# A pid the test saw may belong to another process by the time it is
# signalled or counted: pid_max can be 32768, which a busy machine goes
# round in minutes, and some tests run longer (a pid read from the log at
# the start of state_kill, say, is an unrelated process's at its end). So
# a pid is signalled or counted only while it is still the process meant.
# is_child PID: PID is a child of this shell (running, or not yet reaped).
is_child() {
	[ "$(sed -n 's/.*) [A-Za-z] \([0-9]*\) .*/\1/p' "/proc/$1/stat" \
	    2>/dev/null)" = "$$" ]
}
# runs PID PROGRAM...: PID is a live process of one of the PROGRAMs.
runs() {
	local pid=$1 exe prog
	shift
	exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
	for prog in "$@"; do
		[ "$exe" = "$(readlink -f "$prog")" ] && return 0
	done
	return 1
}
# live_workers PID...: those of the PIDs still running as a worker: the
# programs DNP3D_WORKER and DNP3D_WORKER_TLS name or, where a test unset
# them, those dnp3d finds beside itself.
live_workers() {
	local p
	for p in "$@"; do
		runs "$p" "${DNP3D_WORKER:-$BUILD/listener/dnp3d-worker}" \
		    "${DNP3D_WORKER_TLS:-$BUILD/listener/dnp3d-worker-tls}" &&
		    echo "$p"
	done
}
# workers_gone PID...: fails the test if any of the PIDs is still a worker.
workers_gone() {
	local p
	p=$(live_workers "$@" | tr '\n' ' ')
	[ -z "$p" ] || fail "worker pids $p left running"
}

# free_port [GIVEN]: a free TCP port on 127.0.0.1 below the kernel's
# ephemeral range: a port of that range, free now, can be taken by any
# outgoing connection (a master's, say) before the server binds it. With
# GIVEN, a file of the ports given before, never one of those (one given
# but not bound yet would look free), and the new one is added to it.
free_port() {
	python3 - "${1:-}" <<'PY'
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
try:
    given = set(open(sys.argv[1]).read().split()) if sys.argv[1] else set()
except FileNotFoundError:
    given = set()
for _ in range(200):
    p = random.randrange(10000, max(low, 10001))
    if str(p) in given:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    if sys.argv[1]:
        with open(sys.argv[1], 'a') as f:
            f.write('%d\n' % p)
    print(p)
    break
else:
    raise SystemExit("no free port below %d" % low)
PY
}
