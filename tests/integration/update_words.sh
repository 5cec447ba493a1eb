#!/usr/bin/env bash
# Every value word dnp3-update(1) lists, for every point type, through the
# real processes: dnp3-update -> bus -> the outstation's worker, then a
# master's read of that point (dnp3-master --json) shows the value. Also
# that a word a type does not take is refused with the worker's error and
# exit 1. Loopback only; every wait is bounded.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$UPDATE" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
URL=ipc://$LW_TMP/run/bus.ipc
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "words"; filter = "127.0.0.2"; address = 7;
    master = 1; database = {
      binary_input = { count = 2; }; double_bit_input = { count = 2; };
      binary_output = { count = 2; }; counter = { count = 2; };
      frozen_counter = { count = 2; }; analog_input = { count = 2; };
      analog_output = { count = 2; }; octet_string = { count = 2; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

# value GROUP[:VARIATION]: the value of index 1 of GROUP (variation 0
# unless given) as a master reads it (its response timeout bounds a hang
# of the worker, not how fast a loaded one answers).
value() {
	local g=${1%%:*} v=0
	[ "$g" != "$1" ] && v=${1#*:}
	timeout 40 "$MASTER" -a 7 -b 127.0.0.2 -t "$WAIT_MS" --json \
	    "127.0.0.1:$port" read "$g" "$v" 1 1 |
	    jq -r 'select(.type == "point" and .index == 1) | .value'
}

# word TYPE GROUP WORD WANT: dnp3-update sets index 1 of TYPE to WORD, and
# a master then reads WANT (it waits for the value itself, bounded).
word() {
	local type=$1 group=$2 w=$3 want=$4 got= i
	"$UPDATE" -u "$URL" -w 200 -- words "$type" 1 "$w" >"$LW_TMP/update.out" 2>&1 ||
	    fail "dnp3-update words $type 1 $w: exit $?: $(cat "$LW_TMP/update.out")"
	for i in $(seq 1 "$WAIT"); do
		got=$(value "$group")
		[ "$got" = "$want" ] && return 0
		sleep 0.1
	done
	fail "$type word '$w': a master reads '$got', expected '$want'"
}

# Each type once to a value other than the one under test first, so that
# every word below is seen to change the point.
word binary_input 1 false 0
for w in true on 1; do word binary_input 1 "$w" 1; word binary_input 1 off 0; done
for w in false off 0; do word binary_input 1 on 1; word binary_input 1 "$w" 0; done

word binary_output 10 false 0
for w in true on 1; do word binary_output 10 "$w" 1; word binary_output 10 off 0; done
for w in false off 0; do word binary_output 10 on 1; word binary_output 10 "$w" 0; done

# double-bit states: intermediate 0, off 1, on 2, indeterminate 3
word double_bit_input 3 intermediate 0
word double_bit_input 3 off 1
word double_bit_input 3 on 2
word double_bit_input 3 indeterminate 3
for n in 0 1 2 3; do word double_bit_input 3 "$n" "$n"; done

word counter 20 41 41
word counter 20 4294967295 4294967295
word frozen_counter 21 17 17
# analogs read as floats (g30v5, g40v3) so that a fraction shows
word analog_input 30:5 -12 -12
word analog_input 30:5 2.5 2.5
word analog_output 40:3 99 99
word analog_output 40:3 -0.25 -0.25
word octet_string 110 hello hello

# A word the type does not take: the worker's error, exit 1, no change.
"$UPDATE" -u "$URL" -w "$WAIT_MS" -- words binary_input 1 intermediate >"$LW_TMP/bad.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "binary_input intermediate: exit $rc, expected 1: $(cat "$LW_TMP/bad.out")"
grep -q "binary_input" "$LW_TMP/bad.out" ||
    fail "binary_input intermediate: no error naming the type: $(cat "$LW_TMP/bad.out")"
"$UPDATE" -u "$URL" -w "$WAIT_MS" -- words double_bit_input 1 true >"$LW_TMP/bad2.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "double_bit_input true: exit $rc, expected 1: $(cat "$LW_TMP/bad2.out")"
[ "$(value 3)" = "3" ] || fail "a refused word changed the point: $(value 3)"
echo "ok: every dnp3-update word of every type reached a master's read"
