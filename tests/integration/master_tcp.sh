#!/usr/bin/env bash
# dnp3-master over TCP on 127.0.0.1.
#
# Part 1, against dnp3d (a config on a free port): link-status (text,
# JSON, --repeat), a wrong outstation address times out with exit 1,
# integrity, reads (text and JSON), clearing the restart IIN, an unknown
# object (exit 3), --repeat.
#
# Part 2, against dnp3-master-testos (the project's outstation core with
# the demo database behind a TCP port): integrity, reads, JSON, controls,
# IIN errors (exit 3), clearing the restart IIN, multi-fragment responses
# with confirms, --repeat, usage errors (exit 2), connection refused.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

M=$BUILD/tools/dnp3-master/dnp3-master
TESTOS=$BUILD/tools/dnp3-master/dnp3-master-testos
[ -x "$M" ] || fail "$M not built"
[ -x "$TESTOS" ] || fail "$TESTOS not built"
OS_PID=

cleanup() {
	[ -n "$OS_PID" ] && kill "$OS_PID" 2>/dev/null
	lw_cleanup
}
trap cleanup EXIT

# run ARGS...: dnp3-master bounded in time; sets rc, out, err.
run() {
	timeout 30 "$M" "$@" >"$LW_TMP/out" 2>"$LW_TMP/err"
	rc=$?
	out=$(cat "$LW_TMP/out")
	err=$(cat "$LW_TMP/err")
}
expect_rc() {
	[ "$rc" = "$1" ] || fail "dnp3-master $2: exit $rc, want $1; out: $out; err: $err"
}
has() {
	grep -qxF -- "$1" "$LW_TMP/out" || fail "$2: no line '$1' in: $out"
}
json_ok() {
	python3 -c 'import json, sys
for line in sys.stdin: json.loads(line)' <"$LW_TMP/out" ||
	    fail "$1: not one JSON object per line: $out"
}

# ---- part 1: dnp3d -------------------------------------------------------
port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "demo"; filter = "any"; address = 10; master = 1;
    database = { binary_input = { count = 10; }; analog_input = { count = 10; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"
T=127.0.0.1:$port

run "$T" link-status
expect_rc 0 link-status
has "link from=10 function=LINK_STATUS" link-status

run --json "$T" link-status
expect_rc 0 "--json link-status"
json_ok "--json link-status"
[ "$out" = '{"type":"link","from":10,"function":"LINK_STATUS"}' ] ||
	fail "--json link-status: $out"

run --repeat 20 "$T" link-status
expect_rc 0 "--repeat 20 link-status"
echo "$out" | grep -qE '^link-status: 20 requests, 0 failed, latency min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms$' ||
	fail "--repeat summary: $out"

run -a 11 -t 300 "$T" link-status
expect_rc 1 "-a 11 link-status"
echo "$err" | grep -q "timeout: no link status within 300 ms" ||
	fail "wrong outstation address: $err"

# A configured outstation starts with value 0 and the RESTART flag on
# every point (dnp3/outstation/database.h) and with IIN1.7 DEVICE_RESTART and IIN1.4
# NEED_TIME set.
run "$T" integrity
expect_rc 0 "integrity against dnp3d"
has "response seq=0 iin=0x0090 NEED_TIME DEVICE_RESTART" "integrity against dnp3d"
has "g1v2 index=9 value=0 flags=RESTART" "integrity against dnp3d"
has "g30v1 index=3 value=0 flags=RESTART" "integrity against dnp3d"
[ "$(grep -c '^g1v2 ' "$LW_TMP/out")" = 10 ] ||
	fail "integrity against dnp3d: not 10 g1v2: $out"
[ "$(grep -c '^g30v1 ' "$LW_TMP/out")" = 10 ] ||
	fail "integrity against dnp3d: not 10 g30v1: $out"

run "$T" clear-restart
expect_rc 0 "clear-restart against dnp3d"
run --json "$T" read 30 1 2 3
expect_rc 0 "--json read 30 1 2 3 against dnp3d"
json_ok "--json read against dnp3d"
[ "$(grep -c '"type":"point","group":30,"variation":1' "$LW_TMP/out")" = 2 ] ||
	fail "--json read 30 1 2 3 against dnp3d: $out"
grep -q DEVICE_RESTART "$LW_TMP/out" && fail "restart IIN not cleared: $out"

# Time over TCP: a write of g50v1 (after delay measurement) clears need-time;
# a cold restart sets it again, and the LAN procedure (FC24 + g50v3) clears it.
grep -q NEED_TIME "$LW_TMP/out" || fail "need-time not set before any sync: $out"
run "$T" timesync
expect_rc 0 "timesync against dnp3d"
run "$T" integrity
grep -q NEED_TIME "$LW_TMP/out" && fail "need-time still set after timesync: $out"
run "$T" restart cold
expect_rc 0 "restart cold against dnp3d"
run "$T" integrity
grep -q NEED_TIME "$LW_TMP/out" || fail "need-time not set after cold restart: $out"
grep -q DEVICE_RESTART "$LW_TMP/out" || fail "restart IIN not set after cold restart: $out"
run "$T" timesync --lan
expect_rc 0 "timesync --lan against dnp3d"
run "$T" integrity
grep -q NEED_TIME "$LW_TMP/out" && fail "need-time still set after LAN timesync: $out"

run "$T" read 99 1
expect_rc 3 "read 99 1 against dnp3d"
echo "$err" | grep -q "OBJECT_UNKNOWN" || fail "read 99 1 against dnp3d: $err"

run --repeat 100 "$T" integrity
expect_rc 0 "--repeat 100 integrity against dnp3d"
echo "$out" | grep -qE '^integrity: 100 requests, 0 failed, latency' ||
	fail "--repeat 100 integrity against dnp3d: $out"
lw_stop

# ---- part 2: the outstation core over TCP --------------------------------
# start_testos ARGS...: until it prints "ready PORT" (at most 30 s), or fails
# saying what it printed.
start_testos() {
	local i
	# The last one's "ready" must not be read as this one's: the
	# redirection below truncates the file only when the background
	# child gets to it, after the loop may have looked.
	rm -f "$LW_TMP/testos"
	# -p 0: it takes a port of the kernel's choice and says which
	"$TESTOS" -p 0 -s 120 "$@" >"$LW_TMP/testos" 2>&1 &
	OS_PID=$!
	for i in $(seq 1 300); do
		grep -qs '^ready [0-9]' "$LW_TMP/testos" && break
		kill -0 "$OS_PID" 2>/dev/null || break
		sleep 0.1
	done
	port=$(sed -n 's/^ready \([0-9]*\)$/\1/p' "$LW_TMP/testos")
	[ -n "$port" ] ||
		fail "testos did not start: $(cat "$LW_TMP/testos")"
	T=127.0.0.1:$port
}
stop_testos() {
	kill "$OS_PID"
	wait_pid "$OS_PID" "$WAIT" "the test outstation"
	OS_PID=
}

start_testos

# The demo database: binary i = i % 2, analog i = i * 1.5 (g30v1 rounds
# 4.5 to 5), counter i = i * 10, octet string i = "os<i>".
run "$T" integrity
expect_rc 0 integrity
has "response seq=0 iin=0x0090 NEED_TIME DEVICE_RESTART" integrity
has "g1v2 index=1 value=1 flags=ONLINE" integrity
has "g1v2 index=2 value=0 flags=ONLINE" integrity
has "g30v1 index=3 value=5 flags=ONLINE" integrity
has "g20v1 index=2 value=20 flags=ONLINE" integrity
has 'g110v3 index=4 value="os4"' integrity
[ "$(grep -c '^g30v1 ' "$LW_TMP/out")" = 10 ] || fail "integrity: not 10 g30v1: $out"

run --json "$T" integrity
expect_rc 0 "--json integrity"
json_ok "--json integrity"
python3 - "$LW_TMP/out" <<'PY' || fail "--json integrity: $out"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
rsp = [o for o in objs if o["type"] == "response"]
pts = [o for o in objs if o["type"] == "point"]
assert len(rsp) == 1 and rsp[0]["fir"] and rsp[0]["fin"], rsp
assert "DEVICE_RESTART" in rsp[0]["iin_bits"], rsp
a3 = [p for p in pts if p["object"] == "g30v1" and p["index"] == 3]
assert a3 and a3[0]["value"] == 5 and a3[0]["flags"] == ["ONLINE"], a3
assert len([p for p in pts if p["group"] == 1]) == 10
PY

run "$T" read 30 5 2 4
expect_rc 0 "read 30 5 2 4"
[ "$(grep '^g30v5' "$LW_TMP/out")" = "g30v5 index=2 value=3 flags=ONLINE
g30v5 index=3 value=4.5 flags=ONLINE
g30v5 index=4 value=6 flags=ONLINE" ] || fail "read 30 5 2 4: $out"

run "$T" read 99 1
expect_rc 3 "read 99 1"
echo "$err" | grep -q "OBJECT_UNKNOWN" || fail "read 99 1: $err"

run "$T" clear-restart
expect_rc 0 clear-restart
run "$T" integrity
expect_rc 0 "integrity after clear-restart"
echo "$out" | grep -q DEVICE_RESTART && fail "restart IIN not cleared: $out"

run "$T" operate 1 latch_on
expect_rc 0 "operate 1 latch_on"
has "g12v1 index=1 op=LATCH_ON count=1 on=100 off=100 status=SUCCESS" operate
has "control status=SUCCESS" operate
# (on for a minute: the pulse's later changes stay out of the reads below)
run "$T" operate 2 pulse_on --select --on 60000 --off 50 --count 2
expect_rc 0 "operate --select"
[ "$(grep -c '^g12v1 index=2 op=PULSE_ON count=2 on=60000 off=50 status=SUCCESS$' "$LW_TMP/out")" = 2 ] ||
	fail "select then operate: $out"
run "$T" analog 1 -5.5 --variation 3
expect_rc 0 "analog 1 -5.5"
has "g41v3 index=1 value=-5.5 status=SUCCESS" analog

# events: the controls above changed output points (class 1): binary
# output 2 was 0 (pulse_on made it 1), analog output 1 was 2.5 (now -5.5,
# -6 in the 32-bit event); binary output 1 was already 1: no event.
run "$T" class 1 2
expect_rc 0 "class 1 2"
echo "$out" | grep -qE '^g11v2 index=2 value=1 flags=ONLINE time=20[0-9-]+T[0-9:.]+Z$' ||
	fail "class 1 2: no binary output event: $out"
has "g42v1 index=1 value=-6 flags=ONLINE" "class 1 2"
echo "$out" | grep -q '^g11v2 index=1' && fail "class 1 2: event without change: $out"
run "$T" class 1
expect_rc 0 "class 1 (confirmed before)"
echo "$out" | grep -q '^g11v2' && fail "events not confirmed: $out"

run --repeat 50 "$T" integrity
expect_rc 0 "--repeat 50 integrity"
echo "$out" | grep -qE '^integrity: 50 requests, 0 failed, latency' ||
	fail "--repeat 50 integrity: $out"

run -h
expect_rc 0 "-h"
echo "$out" | grep -q "^usage: dnp3-master" || fail "-h: $out"

# usage errors: exit 2 and the usage text
for args in "" "$T" "$T nosuch" "$T operate 1 open" "$T integrity --lan" \
    "$T read 30" "$T class 4" "-a 70000 $T integrity" "$T integrity --bogus"; do
	# shellcheck disable=SC2086
	run $args
	expect_rc 2 "$args"
	echo "$err" | grep -q "^usage: dnp3-master" || fail "$args: no usage: $err"
done
stop_testos

# multi-fragment: 200 points of each type in 249-byte fragments
start_testos -n 200 -f 249
run "$T" integrity
expect_rc 0 "multi-fragment integrity"
[ "$(grep -c '^g30v1 ' "$LW_TMP/out")" = 200 ] || fail "multi-fragment: not 200 g30v1"
has "g30v1 index=199 value=299 flags=ONLINE" "multi-fragment"
[ "$(grep -c '^response ' "$LW_TMP/out")" -gt 5 ] ||
	fail "multi-fragment: expected more than 5 fragments: $(grep '^response' "$LW_TMP/out")"
stop_testos

# nobody listening: exit 1
run -t 500 "$T" integrity
expect_rc 1 "connection refused"
echo "$err" | grep -q "connect to $T" || fail "connection refused: $err"

echo PASS
