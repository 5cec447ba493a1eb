#!/usr/bin/env bash
# dnp3-status against a running dnp3d with two outstations: `busy`, whose
# master (127.0.0.2) polls it over one connection all along, and `idle`,
# which has none. What a user sees:
#  - the table: both workers running with their pids, busy's master
#    address, idle's "none";
#  - --json: busy's master and since, frames in and out that count up
#    between two rounds while the master polls, events waiting in class 1
#    after dnp3-update changed points, the listener's accepted and handed
#    off connections;
#  - -w 1 -n 2: two rounds, exit 0; -w 1 until SIGINT: exit 0;
#  - a stopped worker (SIGSTOP) is shown as not answering, and the tool
#    ends within its -t bound; answers forged on the bus with the right
#    id but bad fields (a liar member of the bus) are ignored and counted.
# The metrics (--prometheus) are checked by status_prometheus.sh.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_reload.sh"

STATUS=$BUILD/tools/dnp3-status/dnp3-status
lw_need_built "$STATUS" "$UPDATE"
command -v jq >/dev/null || skip "jq is needed"
command -v nanocat >/dev/null || skip "nanocat (nanomsg-utils) is needed"

port=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run"; user = "nobody";
servers = ( { listen = "127.0.0.1:$port"; outstations = (
  { name = "busy"; filter = "127.0.0.2"; address = 10; master = 1;
    database = { binary_input = { count = 4; class = 1; }; }; },
  { name = "idle"; filter = "127.0.0.3"; address = 20; master = 1;
    timeouts_ms = { worker_liveness = 600000; }; } ); } );
CONF
# idle's worker is stopped (SIGSTOP) from step 5 to the end: with the
# default worker_liveness (5 s) the listener would kill it as unresponsive
# when steps 5 and 6 take longer than that on a busy machine, and the
# hub's true answer for it would be "restarting" (attack_liveness.sh tests
# that kill).
lw_start "$LW_TMP/dnp3d.conf"
pid_of() {
	sed -n "s/.*worker $1 ready (pid \([0-9]*\)).*/\1/p" "$LW_LOG" | tail -1
}
busy=$(pid_of busy)
idle=$(pid_of idle)
[ -n "$busy" ] && [ -n "$idle" ] || fail "worker pids not logged"

# A round ends as soon as every running worker has answered: its bound
# (-t, $WAIT here) costs nothing then, and no answer is missed on a busy
# machine. Only a round with idle stopped (5.) lasts its -t.
status() { "$STATUS" -u "$URL" -t $WAIT_MS "$@"; }
# js FILTER: one --json round, the filter's value (jq -r).
js() { status --json | jq -r "$1"; }

# 1. the table before any master: both running, no master (the
# listener tells the hub within 100 ms that they are)
for i in $(seq 1 "$WAIT"); do
	out=$(status) || fail "dnp3-status: exit $?: $out"
	[ "$(echo "$out" | grep -c ' running ')" = 2 ] && break
	sleep 0.1
done
echo "$out" | grep -qE "^busy +running +$busy +0 +none " ||
	fail "busy's row: $out"
echo "$out" | grep -qE "^idle +running +$idle +0 +none " ||
	fail "idle's row: $out"
echo "$out" | grep -qE "^dnp3d since .*: 2 outstations;" ||
	fail "the listener's line: $out"

# 2. a master polls busy: its address, since when, frames counting up
rl_poll_start "$port" 127.0.0.2 10
peer=
for i in $(seq 1 "$WAIT"); do
	peer=$(js '.outstations[] | select(.name == "busy") | .master')
	[ "$peer" != null ] && [ -n "$peer" ] && break
	sleep 0.1
done
[[ "$peer" =~ ^127\.0\.0\.2:[0-9]+$ ]] || fail "busy's master: '$peer'"
j1=$(status --json) || fail "dnp3-status --json: exit $?"
rl_poll_more
j2=$(status --json) || fail "dnp3-status --json: exit $?"
b() { echo "$1" | jq -r ".outstations[] | select(.name == \"busy\") | .$2"; }
[ "$(b "$j1" since)" != null ] || fail "no since: $j1"
for k in frames_in frames_out; do
	[ "$(b "$j1" $k)" -gt 0 ] && [ "$(b "$j2" $k)" -gt "$(b "$j1" $k)" ] ||
	    fail "$k did not count up: $(b "$j1" $k) then $(b "$j2" $k)"
done
[ "$(b "$j2" connections)" = 1 ] || fail "connections: $j2"
[ "$(echo "$j2" | jq -r '.outstations[] | select(.name == "idle") | .master')" = null ] ||
	fail "idle has a master: $j2"
[ "$(echo "$j2" | jq -r '.server.accepted')" -ge 1 ] &&
    [ "$(echo "$j2" | jq -r '.server.handed_off')" -ge 1 ] ||
	fail "the listener's figures: $j2"
out=$(status)
echo "$out" | grep -qE "^busy +running +$busy +0 +$peer +20[0-9-]+T" ||
	fail "busy's row with its master: $out"

# 3. events waiting: two changes of binary inputs, class 1 by default
"$UPDATE" -u "$URL" busy binary_input 0 true || fail "dnp3-update"
"$UPDATE" -u "$URL" busy binary_input 1 true || fail "dnp3-update"
for i in $(seq 1 "$WAIT"); do
	[ "$(js '.outstations[] | select(.name == "busy") | .events_class1')" = 2 ] &&
	    break
	sleep 0.1
done
[ "$(js '.outstations[] | select(.name == "busy") | .events_class1')" = 2 ] ||
	fail "events waiting: $(status --json)"
status | grep -qE "^busy .* 2/0/0 " || fail "events in the table: $(status)"

# 4. watch: two rounds and exit 0; until SIGINT, exit 0
out=$(timeout 120 "$STATUS" -u "$URL" -t $WAIT_MS -w 1 -n 2) ||
	fail "-w 1 -n 2: exit $?"
[ "$(echo "$out" | grep -c '^dnp3d since')" = 2 ] || fail "-w 1 -n 2: $out"
"$STATUS" -u "$URL" -w 1 --json >"$LW_TMP/watch.out" 2>&1 &
w=$!
LW_BG+=($w)
wait_for "$LW_TMP/watch.out" '"outstations"' "$WAIT" || fail "watch printed nothing"
kill -INT $w
wait_pid $w "$WAIT" "dnp3-status -w" || fail "-w ended with $? on SIGINT"

# 5. idle's worker stopped: a round shows it as not answering and busy
# with its master, and ends at its -t (T). Idle never answers, so this
# round and the one among liars (6.) each last T; they run at once. T is
# the bound on busy's answer, which comes within it on a busy machine.
T=$WAIT_MS
kill -STOP "$idle"

# 6. a liar on the bus answers a round for idle and for the hub, with the
# round's id and bad fields. That round's dnp3-status is started stopped,
# before its exec: its pid gives the round's id (main.c: pid << 20, plus
# the round), and the lies are on the bus (a listening nanocat has seen
# each) before it asks. The listener has joined at its first pong.
timeout 300 nanocat --bus --connect "$URL" -A -i 0.2 \
    -D '{"op":"ping","id":5}' >"$LW_TMP/bus.out" 2>&1 &
LW_BG+=($!)
wait_for "$LW_TMP/bus.out" '"event":"pong"' "$WAIT" || fail "nanocat did not join"
sh -c 'kill -STOP $$ && exec "$@"' sh "$STATUS" -u "$URL" -t "$T" --json \
    >"$LW_TMP/liar.out" 2>"$LW_TMP/liar.err" &
st=$!
LW_BG+=($st)
# stopped: state T in /proc/PID/stat, after "(comm)"
wait_for "/proc/$st/stat" '\) T ' "$WAIT" ||
	fail "dnp3-status among liars did not wait to be started"
id=$(( (st << 20) + 1 ))
lie() { echo "{\"event\":\"$1\",\"source\":\"$2\",\"outstation\":\"idle\",\"id\":$id,$3}"; }
{
	lie status idle '"master":"connected","frames_in":"lots"'
	lie status idle '"master":"connected","frames_in":-1,"peer":"x\u0007y"'
	lie status idle '"master":"maybe"'
	lie worker_status hub '"state":"dancing","restarts":1'
	echo "{\"event\":\"server_status\",\"source\":\"hub\",\"id\":$id,\"outstations\":99999}"
	echo "{\"event\":\"status\",\"source\":\"idle\",\"outstation\":\"../x\",\"id\":$id}"
} >"$LW_TMP/lies"
liars=()
while read -r l; do
	timeout 300 nanocat --bus --connect "$URL" --data "$l" -i 0.05 \
	    >/dev/null 2>&1 &
	liars+=($!)
	LW_BG+=($!)
done <"$LW_TMP/lies"
while read -r l; do
	wait_for "$LW_TMP/bus.out" "$(re "$l")" "$WAIT" ||
		fail "a liar did not join: $l"
done <"$LW_TMP/lies"

# Both rounds. The clock times round 5 from its process's start to its
# exit: T plus 20 s for that start and exit (an ASan build on a loaded
# machine); a round that waited for idle past its -t would take longer.
start=$(date +%s%N)
"$STATUS" -u "$URL" -t "$T" >"$LW_TMP/stopped.out" 2>"$LW_TMP/stopped.err" &
tb=$!
LW_BG+=($tb)
kill -CONT "$st"
wait_pid "$tb" $(( (T + 30000) / 100 )) "dnp3-status with idle stopped" ||
	fail "with idle stopped: exit $?: $(cat "$LW_TMP/stopped.err")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt $((T + 20000)) ] || fail "took $ms ms with -t $T"
out=$(cat "$LW_TMP/stopped.out")
echo "$out" | grep -qE "^idle +running +$idle +0 +\(not answering\)" ||
	fail "idle not shown as not answering: $out"
echo "$out" | grep -qE "^busy +running +$busy +0 +$peer " ||
	fail "busy with idle stopped: $out"

wait_pid $st $(( (T + 30000) / 100 )) "dnp3-status among liars" ||
	fail "exit $?: $(cat "$LW_TMP/liar.err")"
kill "${liars[@]}"
grep -q "\"op\":\"status\",\"id\":$id[,}]" "$LW_TMP/bus.out" ||
	fail "the round among liars did not ask with id $id: $(grep '"op":"status"' "$LW_TMP/bus.out" | head -3)"
last=$(tail -1 "$LW_TMP/liar.out")
[ "$(echo "$last" | jq -r '.outstations[] | select(.name == "idle") | .answered')" = false ] ||
	fail "a lie was taken: $last"
[ "$(echo "$last" | jq -r '.outstations[] | select(.name == "idle") | .worker')" = running ] ||
	fail "a lie about the worker was taken: $last"
[ "$(echo "$last" | jq -r '.server.outstations')" = 2 ] ||
	fail "a lie about the server was taken: $last"
[ "$(echo "$last" | jq -r '.outstations | length')" = 2 ] ||
	fail "a lie about an outstation was taken: $last"
[ "$(echo "$last" | jq -r '.outstations[] | select(.name == "busy") | .master')" = "$peer" ] ||
	fail "busy's answer among the lies: $last"
grep -qE "answers ignored: not valid" "$LW_TMP/liar.err" ||
	fail "the lies were not counted: $(cat "$LW_TMP/liar.err")"
kill -CONT "$idle"

rl_poll_end
lw_stop
echo "PASS"
