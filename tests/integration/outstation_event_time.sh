#!/usr/bin/env bash
# The embedded default's events carry their time: the configuration text
# compiled into dnp3d (taken from the binary, run with this test's port,
# runtime directory and user) gives, for a change of every type, a class 1
# poll answered with g2v2, g4v2, g11v2, g22v5, g23v5, g32v3 and g42v3,
# each with a time (dnp3-master --json). Loopback only; bounded waits.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$UPDATE" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
URL=ipc://$LW_TMP/run/bus.ipc
python3 - "$DNP3D" >"$LW_TMP/embedded.conf" <<'PY' || fail "no embedded default in $DNP3D"
import sys
data = open(sys.argv[1], "rb").read()
i = data.index(b"# dnp3d embedded default")
sys.stdout.write(data[i:data.index(b"\0", i)].decode())
PY
grep -q '"127.0.0.1:20000"' "$LW_TMP/embedded.conf" ||
	fail "embedded default: $(cat "$LW_TMP/embedded.conf")"
{
	echo "runtime_dir = \"$LW_TMP/run\";"
	echo 'user = "nobody";'
	sed "s/\"127.0.0.1:20000\"/\"127.0.0.1:$port\"/" "$LW_TMP/embedded.conf"
} >"$LW_TMP/dnp3d.conf"
lw_start "$LW_TMP/dnp3d.conf"

# Drain the demo values' state first: a poll of class 1 confirms nothing
# left, so that only the changes below are events.
timeout 10 "$MASTER" -a 10 -t 3000 "127.0.0.1:$port" class 1 >/dev/null ||
	fail "first class 1 poll"

for u in "binary_input 1 on" "double_bit_input 1 on" "binary_output 1 on" \
    "counter 1 4242" "frozen_counter 1 4243" "analog_input 1 77" \
    "analog_output 1 78"; do
	# shellcheck disable=SC2086
	"$UPDATE" -u "$URL" -w 200 -- demo $u >"$LW_TMP/up.out" 2>&1 ||
		fail "dnp3-update demo $u: exit $?: $(cat "$LW_TMP/up.out")"
done

want=$(printf '%s\n' g2v2 g4v2 g11v2 g22v5 g23v5 g32v3 g42v3 | sort)
for i in $(seq 1 50); do
	timeout 10 "$MASTER" -a 10 -t 3000 --json "127.0.0.1:$port" class 1 \
	    >>"$LW_TMP/events.json" || fail "class 1 poll: exit $?"
	got=$(jq -r 'select(.type == "point" and .index == 1 and
	    (.object | test("^g(2|4|11|22|23|32|42)v"))) | .object' \
	    "$LW_TMP/events.json" | sort -u)
	[ "$got" = "$want" ] && break
	sleep 0.1
done
[ "$got" = "$want" ] || fail "event objects:
$got
want:
$want
$(cat "$LW_TMP/events.json")"
# every one of them has its time
n=$(jq -r 'select(.index == 1 and (.object | test("^g(2|4|11|22|23|32|42)v"))) |
    select(.time == null) | .object' "$LW_TMP/events.json")
[ -z "$n" ] || fail "events without time: $n"

lw_stop
echo "PASS"
