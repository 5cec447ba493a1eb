#!/usr/bin/env bash
# Pulse outputs with controls = "echo", through dnp3d and its worker:
# `dnp3-master operate 1 pulse_on --on 200 --off 200 --count 2` is
# answered SUCCESS; a master polling class 1 then gets the g11v2 events
# on, off, on, off of binary output 1 in that order, 200 ms apart by
# their times, and the status reads off at the end. While a pulse runs,
# another control of the same output is answered ALREADY_ACTIVE (exit 3),
# and a pulse over the caps OUT_OF_RANGE.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
trap lw_cleanup EXIT
lw_need_built "$MASTER"

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "pulses"; filter = "any"; address = 10;
    master = 1;
    database = { binary_output = { count = 4; class = 1;
      event_variation = 2; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

# m NAME ARGS...: one dnp3-master exchange; its exit status.
m() {
	local name=$1
	shift
	timeout -k 2 20 "$MASTER" -t 5000 "127.0.0.1:$port" "$@" \
	    >"$LW_TMP/$name.out" 2>"$LW_TMP/$name.err"
}

m op operate 1 pulse_on --on 200 --off 200 --count 2 ||
	fail "pulse_on: exit $? $(cat "$LW_TMP/op.out" "$LW_TMP/op.err")"
grep -qx "g12v1 index=1 op=PULSE_ON count=2 on=200 off=200 status=SUCCESS" \
    "$LW_TMP/op.out" || fail "pulse_on: $(cat "$LW_TMP/op.out")"

# Poll class 1 (each poll confirms what it got) until 4 events came, at
# most 50 polls 0.1 s apart.
: >"$LW_TMP/events"
for i in $(seq 1 50); do
	m poll class 1 || fail "class 1: exit $? $(cat "$LW_TMP/poll.err")"
	grep '^g11v2 index=1 ' "$LW_TMP/poll.out" >>"$LW_TMP/events"
	[ "$(wc -l <"$LW_TMP/events")" -ge 4 ] && break
	sleep 0.1
done
python3 - "$LW_TMP/events" <<'PY' || fail "events: $(cat "$LW_TMP/events")"
import datetime, re, sys
ev = []
for line in open(sys.argv[1]):
    m = re.fullmatch(r"g11v2 index=1 value=(\d) flags=ONLINE "
                     r"time=(\S+)Z\n", line)
    assert m, line
    t = datetime.datetime.strptime(m.group(2), "%Y-%m-%dT%H:%M:%S.%f")
    ev.append((int(m.group(1)), t))
assert [v for v, _ in ev] == [1, 0, 1, 0], ev
gaps = [(b[1] - a[1]).total_seconds() for a, b in zip(ev, ev[1:])]
assert gaps == [0.2, 0.2, 0.2], gaps
PY
m status read 10 2 1 1 || fail "read 10 2: exit $?"
grep -qx "g10v2 index=1 value=0 flags=ONLINE" "$LW_TMP/status.out" ||
	fail "status after the pulse: $(cat "$LW_TMP/status.out")"

# A pulse of a minute runs; a second control of its output is refused.
m long operate 2 pulse_on --on 60000 --off 0 --count 1 ||
	fail "long pulse: exit $? $(cat "$LW_TMP/long.err")"
m again operate 2 latch_off
rc=$?
[ "$rc" = 3 ] || fail "control during a pulse: exit $rc, want 3"
grep -qx "g12v1 index=2 op=LATCH_OFF count=1 on=100 off=100 status=ALREADY_ACTIVE" \
    "$LW_TMP/again.out" || fail "control during a pulse: $(cat "$LW_TMP/again.out")"
m status read 10 2 2 2 || fail "read 10 2: exit $?"
grep -qx "g10v2 index=2 value=1 flags=ONLINE" "$LW_TMP/status.out" ||
	fail "status during the pulse: $(cat "$LW_TMP/status.out")"

m caps operate 3 pulse_on --on 3600001 --count 1
rc=$?
[ "$rc" = 3 ] || fail "pulse over the cap: exit $rc, want 3"
grep -q "status=OUT_OF_RANGE$" "$LW_TMP/caps.out" ||
	fail "pulse over the cap: $(cat "$LW_TMP/caps.out")"

lw_stop
echo PASS
