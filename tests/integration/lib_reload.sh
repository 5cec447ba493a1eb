# Helpers for the reload_*.sh tests (sourced after lib_listener.sh): a
# master that polls one outstation over one connection all along, so a
# test can show that a reload did not touch it.

RL_POLL=
RL_EVPID=

# rl_poll_start PORT SRC DEST: request link status every 50 ms on one
# connection until $LW_TMP/poll.stop exists (at most 600 s, a test's
# ctest timeout: that ends a poller left behind, never a test's polls).
# Each answer must come within 30 s ($WAIT: a missing answer, not a slow
# one, is what a reload must not cause); the count so far is in
# $LW_TMP/poll.count. Exits 1 (with the reason in poll.out) at the first
# missing answer or EOF.
rl_poll_start() {
	rm -f "$LW_TMP/poll.stop" "$LW_TMP/poll.count"
	PYTHONPATH=$LW_TMP python3 - "$@" "$LW_TMP" >"$LW_TMP/poll.out" 2>&1 <<'PY' &
import os, socket, sys, time
from lib_dnp3link import status
port, src, dest, tmp = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
s = socket.socket()
s.bind((src, 0))
s.settimeout(30)
s.connect(('127.0.0.1', port))
n, end = 0, time.monotonic() + 600
while not os.path.exists(tmp + '/poll.stop') and time.monotonic() < end:
    got = status(s, dest)
    if got != 'status %d' % dest:
        print('poll %d: %s' % (n + 1, got))
        sys.exit(1)
    n += 1
    with open(tmp + '/poll.count.new', 'w') as f:
        f.write('%d\n' % n)
    os.replace(tmp + '/poll.count.new', tmp + '/poll.count')
    time.sleep(0.05)
print('polled %d' % n)
PY
	RL_POLL=$!
	LW_BG+=($RL_POLL)
	rl_poll_more
}

rl_poll_count() { cat "$LW_TMP/poll.count" 2>/dev/null || echo 0; }

# rl_poll_more: until the poller has had 3 more answers (bounded: $WAIT).
rl_poll_more() {
	local want=$(( $(rl_poll_count) + 3 )) i
	for i in $(seq 1 "$WAIT"); do
		[ "$(rl_poll_count)" -ge "$want" ] && return 0
		kill -0 "$RL_POLL" 2>/dev/null || break
		sleep 0.1
	done
	fail "the polling master stopped: $(cat "$LW_TMP/poll.out")"
}

# rl_poll_end: the poller must have had every answer.
rl_poll_end() {
	rl_poll_more
	touch "$LW_TMP/poll.stop"
	wait_pid "$RL_POLL" "$WAIT" "polling master" ||
	    fail "polling master: $(cat "$LW_TMP/poll.out")"
	grep -q '^polled [0-9]*$' "$LW_TMP/poll.out" ||
	    fail "polling master: $(cat "$LW_TMP/poll.out")"
}

# rl_events PORT: dnp3-events --json on URL in the background into
# $LW_TMP/events.out; it is listening once it has seen the rejection of a
# master from 127.0.0.9 (tried again until then, bounded).
rl_events() {
	local i
	: >"$LW_TMP/events.out"	# nothing of an earlier one (wait_for)
	: >"$LW_TMP/events.err"
	timeout -k 2 120 "$EVENTS" -v --json -u "$URL" \
	    >"$LW_TMP/events.out" 2>"$LW_TMP/events.err" &
	RL_EVPID=$!
	LW_BG+=($RL_EVPID)
	for i in $(seq 1 150); do
		lw_client status "$1" 127.0.0.9 1 >/dev/null 2>&1
		wait_for "$LW_TMP/events.out" '"rejected"' 2 && return 0
	done
	fail "dnp3-events saw nothing: $(cat "$LW_TMP/events.err")"
}

# rl_event JQ_FILTER: until events.out has an event the filter selects
# (jq -e 'select(FILTER)'); bounded: $WAIT.
rl_event() {
	local i
	for i in $(seq 1 "$WAIT"); do
		jq -ce "select($1)" "$LW_TMP/events.out" 2>/dev/null |
		    grep -q . && return 0
		sleep 0.1
	done
	fail "no event $1 in: $(cat "$LW_TMP/events.out")"
}

# rl_hup PATTERN: SIGHUP, then until the log has this reload's outcome
# (a "reloaded" or "reload failed" line past the earlier ones; bounded:
# $WAIT), which must match PATTERN.
rl_hup() {
	local before out
	before=$(grep -cE 'reloaded |reload failed' "$LW_LOG")
	kill -HUP "$LW_PID"
	wait_count "$LW_LOG" 'reloaded |reload failed' $((before + 1)) "$WAIT" ||
		fail "reload: no outcome in the log within $((WAIT / 10)) s"
	out=$(grep -E 'reloaded |reload failed' "$LW_LOG" | sed -n "$((before + 1))p")
	echo "$out" | grep -qE "$1" ||
	    fail "reload: want '$1', log has: $out"
}
