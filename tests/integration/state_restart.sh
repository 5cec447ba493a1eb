#!/usr/bin/env bash
# The outstations' state across a stop and start of dnp3d (state_dir):
#  1. events published to "keep" and "chg"; a master confirms the first
#     batch of keep's, reads the first fragment of the second without
#     confirming it, and goes; SIGTERM: each region is saved to
#     <state_dir>/<name>.state, of the size the log gave for the region;
#  2. started again with chg's event class changed: keep's region is back
#     (state kept, as dnp3-status shows it from the hub, which kept the
#     `restarted` event published before any client could join; the
#     file is removed once loaded;
#     files of outstations no longer configured are removed, others left
#     alone): a master polling class 1 gets every value of the second
#     batch exactly once and in order, the static value is the last
#     published, and keep never says DEVICE_RESTART; chg starts clean
#     ("clean: configuration changed" in dnp3-status's table and JSON,
#     DEVICE_RESTART);
#  3. a saved file cut short and one of garbage: dnp3d starts, both
#     outstations start clean with the reason ("saved state unusable",
#     "not a state region");
#  4. an unclean stop (dnp3d killed with SIGKILL, as at a power loss):
#     no saved file is left (the one of the last clean stop was removed
#     when loaded), so the next start is clean, with DEVICE_RESTART and
#     no state kept (nor any restart of the process in dnp3-status).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_state.sh"

STATE=$LW_TMP/state
BATCH=500	# 1,000 events across the stop and start
STATUS=$BUILD/tools/dnp3-status/dnp3-status
lw_need_built "$STATUS"

# conf CHG_CLASS: keep (address 7, master from 127.0.0.2) and chg
# (address 8, from 127.0.0.3, its analog inputs' events in CHG_CLASS).
conf() {
	cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
state_dir = "$STATE";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "keep"; filter = "127.0.0.2"; address = 7; master = 1;
      fragment = { tx = 249; };
      database = { counter = { count = 1; class = 1; }; };
      event_buffer = { counter = 1000; }; },
    { name = "chg"; filter = "127.0.0.3"; address = 8; master = 1;
      database = { analog_input = { count = 3; class = $1; }; }; }
  );
} );
CONF
}

# chg_master ARGS...: dnp3-master against chg.
chg_master() {
	timeout -k 1 30 "$MASTER" -a 8 -b 127.0.0.3 -t 5000 \
	    "127.0.0.1:$port" "$@"
}

# start: dnp3d with a new log (lw_start waits for a line of the new one).
run=0
start() {
	[ -f "$LW_LOG" ] && mv "$LW_LOG" "$LW_TMP/dnp3d-$run.log"
	run=$((run + 1))
	lw_start "$LW_TMP/dnp3d.conf"
}

# publish FIRST LAST: keep's counter 0 takes FIRST..LAST in one batch;
# until a static read shows LAST.
publish() {
	local items i
	items=$(seq "$1" "$2" | jq -cs 'map({type: "counter", index: 0,
	    value: .})')
	"$UPDATE" -u "$URL" -w 0 --json \
	    "{\"op\":\"update\",\"outstation\":\"keep\",\"updates\":$items}" ||
		fail "batch $1..$2: dnp3-update exited $?"
	for i in $(seq 1 "$WAIT"); do
		st_master read 20 0 0 0 2>/dev/null | grep -qE \
		    "^g20v[0-9]+ index=0 value=$2 " && return 0
		sleep 0.1
	done
	fail "batch $1..$2 never applied"
}

# values FILE: the counter event values in FILE, one a line.
values() { grep -oE '^g22v[0-9]+ index=0 value=[0-9]+' "$1" | sed 's/.*value=//'; }

# drain FILE: keep's class 1 events polled (with confirms) into FILE until
# a response carries none (bounded).
drain() {
	local i out
	: >"$1"
	for i in $(seq 1 20); do
		out=$(st_master class 1) || fail "poll: $out"
		echo "$out" >>"$1"
		echo "$out" | grep -qE '^g22v' || return 0
	done
	fail "keep's events never ran out"
}

# told OUTSTATION WANT: dnp3-status --json, asked after the start (its
# `restarted` event went out before any client could join: the hub kept
# it), says WANT: "kept", "clean: REASON", or "-" for none (bounded: $WAIT).
told() {
	local i got=
	for i in $(seq 1 "$WAIT"); do
		got=$("$STATUS" -u "$URL" --json | jq -r --arg n "$1" '
		    .outstations[] | select(.name == $n) |
		    if .state_kept == null then "-" elif .state_kept then
		    "kept" else "clean: " + .state_reason end')
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	fail "$1: dnp3-status says '$got', not '$2'"
}

# 1. Events, some confirmed, some read and not confirmed; SIGTERM.
conf 1
start
size=$(sed -n 's/.*keep: state region of \([0-9]*\) bytes.*/\1/p' "$LW_LOG")
csize=$(sed -n 's/.*chg: state region of \([0-9]*\) bytes.*/\1/p' "$LW_LOG")
[ -n "$size" ] && [ -n "$csize" ] || fail "no region sizes in the log"
st_master clear-restart >/dev/null || fail "clear-restart keep"
chg_master clear-restart >/dev/null || fail "clear-restart chg"
"$UPDATE" -u "$URL" chg analog_input 1 4321 || fail "update chg"
# chg holds the value before the stop: its 0 after the next start is then
# the clean start's, not an update that never came
out=$(read_until "^g30v[0-9]+ index=1 value=4321 " chg_master read 30 0 1 1) ||
	fail "chg's update never applied: exit $?: $out"
publish 1 "$BATCH"
drain "$LW_TMP/polls1.out"
[ "$(values "$LW_TMP/polls1.out" | tr '\n' ' ')" = "$(seq -s ' ' 1 "$BATCH") " ] ||
	fail "first batch: $(values "$LW_TMP/polls1.out" | tr '\n' ' ')"
publish $((BATCH + 1)) $((2 * BATCH))
# A master reads the first fragment of the second batch, no confirm (30
# s, lib.sh's WAIT, for the answer; timeout's bound has Python's start).
PYTHONPATH=$LW_TMP:$(dirname "$0") timeout -k 1 90 python3 -c '
import sys
from outstation_client import Master, response
m = Master(int(sys.argv[1]), 7, "127.0.0.2")
m.request(1, bytes([60, 2, 0x06]))
ac, _, _, objs = response(m, timeout=30.0)
assert ac & 0xe0 == 0xa0, "not a first fragment asking a confirm"
print(" ".join(str(int.from_bytes(b[1:5], "little")) for g, v, i, b in objs))
' "$port" >"$LW_TMP/held.out" 2>&1 || fail "unconfirmed read: $(cat "$LW_TMP/held.out")"
held=$(cat "$LW_TMP/held.out")
[ "$held" = "$(seq -s ' ' $((BATCH + 1)) $((BATCH + $(echo "$held" | wc -w))))" ] &&
	[ "$(echo "$held" | wc -w)" -lt "$BATCH" ] ||
	fail "first fragment of the second batch: $held"
lw_stop
for n in keep chg; do
	[ -f "$STATE/$n.state" ] || fail "no $STATE/$n.state after SIGTERM"
done
[ "$(stat -c %s "$STATE/keep.state")" = "$size" ] ||
	fail "keep.state is not the region's $size bytes"
[ "$(stat -c %s "$STATE/chg.state")" = "$csize" ] ||
	fail "chg.state is not the region's $csize bytes"
grep -q 'outstation keep: state saved' "$LW_LOG" || fail "no save logged"
[ "$(stat -c %a "$STATE/keep.state")" = 600 ] || fail "keep.state not 0600"

# 2. chg's configuration changed (not its size); leftovers of other outstations.
conf 2
printf 'x' >"$STATE/gone.state"
printf 'x' >"$STATE/keep.state.tmp"
printf 'x' >"$STATE/notes.txt"
start
told keep kept
told chg "clean: configuration changed"
"$STATUS" -u "$URL" | grep -qE "^chg .* clean: configuration changed " ||
	fail "the table: $("$STATUS" -u "$URL")"
"$STATUS" -u "$URL" | grep -qE "^keep .* kept " ||
	fail "the table: $("$STATUS" -u "$URL")"
lw_wait_log "outstation keep: saved state loaded \($size bytes\)"
[ -z "$(ls "$STATE" | grep -v '^notes.txt$')" ] ||
	fail "files left in the state directory: $(ls "$STATE")"
[ -f "$STATE/notes.txt" ] || fail "a file not of dnp3d's was removed"
drain "$LW_TMP/polls2.out"
[ "$(values "$LW_TMP/polls2.out" | tr '\n' ' ')" = \
    "$(seq -s ' ' $((BATCH + 1)) $((2 * BATCH))) " ] ||
	fail "after the restart: $(values "$LW_TMP/polls2.out" | tr '\n' ' ')"
grep -q DEVICE_RESTART "$LW_TMP/polls2.out" && fail "keep: DEVICE_RESTART"
out=$(st_master read 20 0 0 0) || fail "static read: $out"
echo "$out" | grep -qE "^g20v[0-9]+ index=0 value=$((2 * BATCH)) " ||
	fail "keep's value is not the last published: $out"
echo "$out" | grep -q DEVICE_RESTART && fail "keep: DEVICE_RESTART: $out"
out=$(chg_master read 30 0 0 2) || fail "chg read: $out"
echo "$out" | grep -q DEVICE_RESTART || fail "chg: no DEVICE_RESTART: $out"
echo "$out" | grep -qE "^g30v[0-9]+ index=1 value=0 " ||
	fail "chg kept its value: $out"
lw_stop

# 3. One file cut short, one of garbage of the right size.
truncate -s -1 "$STATE/keep.state" || fail "truncate"
yes garbage | head -c "$csize" >"$STATE/chg.state"
start
told keep "clean: saved state unusable"
told chg "clean: not a state region"
lw_wait_log "outstation keep: saved state of $((size - 1)) bytes, $size expected: discarded"
st_master read 20 0 0 0 | grep -q DEVICE_RESTART || fail "keep: no DEVICE_RESTART"
chg_master read 30 0 0 2 | grep -q DEVICE_RESTART || fail "chg: no DEVICE_RESTART"
st_master clear-restart >/dev/null || fail "clear-restart keep"
publish 500 510

# 4. Unclean: the listener dies with SIGKILL, its workers after it.
workers=$(lw_worker_pids)
kill -9 "$LW_PID"
wait_pid "$LW_PID" "$WAIT" dnp3d
LW_PID=
for p in $workers; do
	ended "$p" "$WAIT" || fail "worker $p outlived dnp3d"
done
[ -z "$(ls "$STATE" | grep -v '^notes.txt$')" ] ||
	fail "a saved state outlived its start: $(ls "$STATE")"
start
out=$(st_master read 20 0 0 0) || fail "static read: $out"
echo "$out" | grep -q DEVICE_RESTART || fail "keep: no DEVICE_RESTART: $out"
echo "$out" | grep -qE "^g20v[0-9]+ index=0 value=0 " ||
	fail "keep resumed a stale value: $out"
grep -q "state kept" "$LW_LOG" && fail "a state was kept after the kill"
told keep -
grep "killed by seccomp" "$LW_TMP"/dnp3d*.log && fail "a worker broke its seccomp filter"
lw_stop
echo "PASS"
