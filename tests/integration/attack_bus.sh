#!/usr/bin/env bash
# Issue 21, findings 7, 8, 4 and the hub's restart, through the real
# processes: dnp3d runs tests/attack/evil_bus in place of dnp3d-worker, so
# outstation "evil" is a compromised worker (real set-up, real lockdown)
# and "good" a normal one.
#  1. evil publishes a control_request (trip) for "good", a worker_exited
#     signed "listener" and a connected signed "listener": the first two
#     never reach a client (the hub reports them as `refused`, naming
#     evil), the third arrives stamped source "evil";
#  2. a flood of updates for evil, which never reads its bus socket,
#     costs "good" nothing: all 300 updates interleaved with it reach
#     good's master; the hub reports evil's drops (`dropped`, with the
#     count; once more after the flood, since the bus may drop the
#     report made during it on its way to a client), none for good;
#  3. kill -9 of the hub: it is restarted (hub_exited, hub_started on the
#     bus), the workers rejoin: an update afterwards is read by a master,
#     and a worker's events come out again;
#  4. 1,100 bus connections tried: the hub takes what its descriptor
#     limit allows (the connections beyond wait and time out), the
#     listener goes on accepting and handing off masters, and the hub
#     serves clients again once they are gone.
# Everything is on loopback; every wait is bounded; only processes
# started here are stopped, by pid.
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_listener.sh"

export DNP3D_WORKER=$BUILD/tests/attack/evil_bus
lw_need_built "$DNP3D_WORKER" "$EVENTS" "$UPDATE" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"
cp "$(dirname "${BASH_SOURCE[0]}")/lib_sp.py" "$LW_TMP/" || fail "lib_sp.py"
sp() { python3 "$LW_TMP/lib_sp.py" "$@"; }

port=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "good"; filter = "127.0.0.2"; address = 10; master = 1;
      database = { analog_input = { count = 300; }; }; },
    { name = "evil"; filter = "127.0.0.3"; address = 20; master = 1; }
  );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"
lw_wait_log "bus hub ready"
hubpid=$(sed -n 's/.*hub started (pid \([0-9]*\)).*/\1/p' "$LW_LOG" | tail -1)
[ -n "$hubpid" ] || fail "no hub pid in the log"

# Every event of the test, across the hub's restart (the bound is for a
# hang; lw_cleanup ends it).
timeout -k 2 300 "$EVENTS" -v --json -u "$URL" >"$LW_TMP/all.out" \
    2>"$LW_TMP/all.err" &
LW_BG+=($!)
wait_for "$LW_TMP/all.err" "joined the bus" "$WAIT" || fail "dnp3-events did not join"

# 1. forgeries
out=$(lw_client silent "$port" 127.0.0.3)
[ "$out" = closed ] || fail "evil kept the master: $out"
# The hub reports its count of refusals at most once a second: the two
# come in one report, or in two when the hub or evil was held up between
# them (the second report then gives the reason of the second forgery).
# Their counts add up to 2; the first report has the first one's reason.
refused='[.[] | select(.event == "refused")]'
wait_jq "$LW_TMP/all.out" "$refused | map(.count) | add // 0 >= 2"
v=$(jq -r -s "$refused"' | (map(.source + " " + .outstation) | unique |
    join(",")) + " " + (map(.count) | add // 0 | tostring) + " " +
    (.[0].reason // "")' "$LW_TMP/all.out")
[ "$v" = "hub evil 2 names another outstation" ] ||
	fail "refused: $v: $(grep refused "$LW_TMP/all.out")"
v=$(jq -r 'select(.peer == "forged") | [.event, .source, .outstation] |
    join(" ")' "$LW_TMP/all.out")
[ "$v" = "connected evil evil" ] || fail "forged connected: '$v'"
jq -e -s 'any(.[]; .event == "control_request" or .event == "worker_exited"
    or .op == "trip")' "$LW_TMP/all.out" >/dev/null &&
	fail "a forgery reached a client: $(cat "$LW_TMP/all.out")"

# 2. a flood for evil; good gets every one of its updates
coproc FLOOD { sp flood "$run/bus.ipc" good evil 300; }
LW_BG+=($FLOOD_PID)
read -r -t 60 sent <&"${FLOOD[0]}" || fail "the flood did not end"
[ "$sent" = "sent 300" ] || fail "flood: $sent"
got=0
for i in $(seq 1 100); do
	out=$("$MASTER" -a 10 -b 127.0.0.2 "127.0.0.1:$port" read 30 0 0 299) ||
		fail "good's master: exit $?"
	got=$(echo "$out" | awk '{ split($2, a, "="); split($3, b, "=");
	    if (b[2] == a[2] + 1) n++ } END { print n + 0 }')
	[ "$got" = 300 ] && break
	sleep 0.2
done
[ "$got" = 300 ] || fail "good's master read $got of 300 updates"
# The flood fills dnp3-events' own queue too, and the bus drops what
# does not fit there: the hub's `dropped` report made during the flood
# can be among it. Now that the bus is calm, one more update for evil
# (its socket is still full) is counted and reported again.
"$UPDATE" -u "$URL" evil analog_input 0 1 || fail "one more for evil"
wait_for "$LW_TMP/all.out" '"event":"dropped".*"outstation":"evil"' "$WAIT" ||
	fail "no dropped event for evil"
v=$(jq -r 'select(.event == "dropped" and .outstation == "evil") |
    [.source, .reason, (.count > 0)] | join(" ")' "$LW_TMP/all.out" | head -1)
[ "$v" = "hub worker not reading true" ] || fail "dropped: $v"
eval "exec ${FLOOD[1]}>&-"
wait_pid "$FLOOD_PID" "$WAIT" "the flood"
jq -e -s 'any(.[]; (.event == "dropped" or .event == "refused") and
    .outstation == "good")' "$LW_TMP/all.out" >/dev/null &&
	fail "good lost messages: $(grep good "$LW_TMP/all.out" | grep -E 'dropped|refused')"

# 3. kill -9 of the hub: restarted, workers rejoin
kill -9 "$hubpid"
lw_wait_log "hub \(pid $hubpid\) killed by signal SIGKILL; restarting"
for i in $(seq 1 "$WAIT"); do
	newpid=$(sed -n 's/.*hub started (pid \([0-9]*\)).*/\1/p' "$LW_LOG" | tail -1)
	[ "$newpid" != "$hubpid" ] && break
	sleep 0.1
done
[ "$newpid" != "$hubpid" ] || fail "no new hub"
lw_wait_log "bus hub ready \(pid $newpid\)"
wait_for "$LW_TMP/all.out" '"event":"hub_started"' "$WAIT" ||
	fail "no hub_started: $(tail -5 "$LW_TMP/all.out")"
v=$(jq -r 'select(.event == "hub_exited") | [.source, .pid, .signal,
    (.restart_in_ms > 0)] | join(" ")' "$LW_TMP/all.out")
[ "$v" = "listener $hubpid SIGKILL true" ] || fail "hub_exited: '$v'"
v=$(jq -r 'select(.event == "hub_started") | .pid' "$LW_TMP/all.out")
[ "$v" = "$newpid" ] || fail "hub_started names '$v', want $newpid"
# The update waits in good's new bus socket until good has it: read
# until the value is there (bounded).
"$UPDATE" -u "$URL" good analog_input 5 4242 ||
	fail "update after the restart: exit $?"
out=$(read_until "^g30v[0-9] index=5 value=4242 " \
    "$MASTER" -a 10 -b 127.0.0.2 "127.0.0.1:$port" read 30 0 5 5) ||
	fail "the update after the restart did not reach good: exit $?: $out"
wait_for "$LW_TMP/all.out" \
    '"event":"connected","time":"[^"]*","source":"good"' "$WAIT" ||
	fail "no event of good after the restart"

# 4. 1,100 bus connections; the listener still hands masters off
lines=$(wc -l <"$LW_LOG")
coproc HOLD { sp hold "$run/bus.ipc" 1100; }
LW_BG+=($HOLD_PID)
read -r -t 60 held <&"${HOLD[0]}" || fail "holder did not report"
echo "bus connections: $held"
# The hub takes what its descriptor limit allows, no more.
nofile=$(sed -n 's/.*dnp3d-hub.*locked down:.*nofile=\([0-9]*\).*/\1/p' \
    "$LW_LOG" | tail -1)
set -- $held
[ "$4" -gt 400 ] && [ "$4" -le "$nofile" ] ||
	fail "the hub answered $4 connections (nofile $nofile)"
for i in 1 2 3; do
	out=$(lw_client status "$port" 127.0.0.2 10)
	[ "$out" = "status 10" ] || fail "master $i with 1100 bus connections: '$out'"
done
[ $(($(wc -l <"$LW_LOG") - lines)) -lt 100 ] ||
	fail "the listener's log grew by $(($(wc -l <"$LW_LOG") - lines)) lines"
kill -0 "$LW_PID" || fail "the listener died"
eval "exec ${HOLD[1]}>&-"
wait_pid "$HOLD_PID" "$WAIT" "the holder"
timeout -k 2 70 "$EVENTS" -v --json -u "$URL" -e connected -n 1 -t 60 \
    >"$LW_TMP/after.out" 2>"$LW_TMP/after.err" &
apid=$!
wait_for "$LW_TMP/after.err" "joined the bus" "$WAIT" ||
	fail "no client joins after the connections closed"
"$MASTER" -a 10 -b 127.0.0.2 "127.0.0.1:$port" link-status >/dev/null ||
	fail "good does not answer"
wait_pid "$apid" "$WAIT" "dnp3-events after the flood of connections" ||
	fail "no event after the connections closed: $(cat "$LW_TMP/after.out")"

grep -E "killed by seccomp" "$LW_LOG" && fail "a seccomp kill"
lw_stop
echo "PASS"
