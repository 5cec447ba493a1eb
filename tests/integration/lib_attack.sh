# Helpers for the attack_*.sh tests (sourced after lib.sh and
# lib_listener.sh): the listener runs tests/attack/evil_worker in place of
# dnp3d-worker; outstation $LA_TARGET attacks once per start with the
# vectors listed (see tests/attack/lib_attack.h), the others serve.
EVIL=$BUILD/tests/attack/evil_worker
[ -x "$EVIL" ] || fail "$EVIL not built"
[ "$(id -u)" = 0 ] || skip "needs root (the worker's real lockdown)"

# la_setup TARGET VECTORS: the environment dnp3d passes on to its workers.
la_setup() {
	LA_TARGET=$1
	export DNP3D_WORKER=$EVIL DNP3D_WORKER_TLS=$EVIL DNP3D_ATTACK_TARGET=$1
	export DNP3D_ATTACK=$2
	export DNP3D_ATTACK_DIR=$LW_TMP
}

# la_logonly: a sanitizer build, whose seccomp filter only logs (see
# SECURITY.md): there an attack that seccomp stops goes through, and the
# tests assert what holds without it, saying what they leave out.
la_logonly() { grep -q "SECCOMP IS LOG-ONLY" "$LW_LOG"; }

# la_kills: how often the target died of seccomp so far (log-only: how
# often it exited after an attack that went through).
la_kills() {
	if la_logonly; then
		grep -c "worker $LA_TARGET (pid [0-9]*) \(killed by seccomp\|exited with status\)" \
		    "$LW_LOG"
	else
		grep -c "worker $LA_TARGET (pid [0-9]*) killed by seccomp (SIGSYS)" \
		    "$LW_LOG"
	fi
}

# la_wait_kills N: until the target has died of SIGSYS N times (30 s: a
# restart after a few quick deaths waits up to 800 ms of backoff, and a
# busy machine makes every start slow).
la_wait_kills() {
	local i
	la_logonly && echo "# log-only seccomp (sanitizer build): SIGSYS not asserted"
	for i in $(seq 1 300); do
		[ "$(la_kills)" -ge "$1" ] && return 0
		sleep 0.1
	done
	cat "$LW_LOG" >&2
	fail "$LA_TARGET was not killed by seccomp $1 times"
}

# la_wait_ready N: until N workers of the target have said "ready" in
# their log and the listener has the last one ready (30 s). The
# listener's own "ready" line is not counted: a worker that attacks right
# after saying ready may die before the listener has read it.
la_wait_ready() {
	local i pid
	for i in $(seq 1 300); do
		pid=$(sed -n "s/.*\[\([0-9]*\)\] $LA_TARGET: info: ready: .*/\1/p" \
		    "$LW_LOG" | sed -n "$1p")
		[ -n "$pid" ] &&
		    grep -q "worker $LA_TARGET ready (pid $pid)" "$LW_LOG" &&
			return 0
		sleep 0.1
	done
	cat "$LW_LOG" >&2
	fail "$LA_TARGET was not ready $1 times"
}

# la_master PORT SRC: a master from SRC that sends nothing; the attacker
# takes it and dies, which closes it (log-only: it may be reset or kept).
la_master() {
	local got
	got=$(lw_client silent "$1" "$2" 2>&1)
	if la_logonly; then
		echo "# log-only seccomp (sanitizer build): the master saw: $got"
	elif [ "$got" != closed ]; then
		fail "the attacking worker's master was not closed: $got"
	fi
	return 0
}

# la_said TEXT: the target reported TEXT (a fixed string).
la_said() {
	grep -qF "$LA_TARGET: info: attack $1" "$LW_LOG" ||
		{ cat "$LW_LOG" >&2; fail "no report: attack $1"; }
}

# la_serves PORT SRC ADDR: a master from SRC gets ADDR's link status.
la_serves() {
	local got
	got=$(lw_client status "$1" "$2" "$3")
	[ "$got" = "status $3" ] || fail "outstation $3 from $2: got '$got'"
}

# la_end: no attack got through, then SIGTERM is answered (lw_stop).
la_end() {
	la_logonly ||
	! grep -q "attack .*: survived" "$LW_LOG" ||
		fail "an attack survived: $(grep 'survived' "$LW_LOG")"
	grep -q "bad message" "$LW_LOG" &&
		fail "the listener saw a bad message: $(grep 'bad message' "$LW_LOG")"
	lw_stop
}
