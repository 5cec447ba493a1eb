#!/bin/bash
# dnp3-events and dnp3-update against a bus hub (tests/integration/
# bus_testhub.c: the hub code of hub/ plus a pretend worker "feeder-1"
# that applies updates with bus_update_decode). Checks what a user sees:
# the lines dnp3-events prints for what nanocat and dnp3-update send, the
# raw JSON plain nanocat shows, dnp3-update's error replies and exit
# codes, filters, a loopback tcp endpoint, and that dnp3-events keeps
# going across a restart of the hub. Everything is local; every wait is
# bounded; only processes started here are stopped, by pid.
set -u
. "$(dirname "$0")/lib.sh"

HUBBIN=$BUILD/tests/integration/bus_testhub
EVENTS=$BUILD/tools/dnp3-events/dnp3-events
UPDATE=$BUILD/tools/dnp3-update/dnp3-update
for b in "$HUBBIN" "$EVENTS" "$UPDATE"; do
	[ -x "$b" ] || fail "$b not built"
done
command -v nanocat >/dev/null || skip "nanocat (nanomsg-utils) is needed"
command -v python3 >/dev/null || skip "python3 is needed"

T=$(mktemp -d /tmp/dnp3d-bus.XXXXXX)
URL=ipc://$T/bus.ipc
PORT=$(free_port)
TCP=tcp://127.0.0.1:$PORT
PIDS=()
HUB=

cleanup() {
	local p
	for p in "${PIDS[@]}" $HUB; do kill "$p" 2>/dev/null; done
	# bounded: what ignores SIGTERM gets SIGKILL after 3 s
	for p in "${PIDS[@]}" $HUB; do
		ended "$p" 30 || {
			pkill -KILL -P "$p" 2>/dev/null
			kill -9 "$p" 2>/dev/null
		}
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

start_hub() {
	local n
	n=$(grep -c "^ready" "$T/hub.out" 2>/dev/null)
	"$HUBBIN" -k feeder-1 -k feeder-2 -w feeder-1 "$URL" "$TCP" \
	    >>"$T/hub.out" 2>>"$T/hub.err" &
	HUB=$!
	# hub.out is the log of every hub started here: this one's "ready"
	wait_count "$T/hub.out" "^ready" $((${n:-0} + 1)) "$WAIT" ||
	    fail "hub did not start: $(cat "$T/hub.err")"
}

# events NAME ARGS...: dnp3-events in the background, until it has joined.
# A count it waits for gets -t "$EV_T": it ends by itself before timeout's
# 310 s. Both bound a hang, not a wait (a collector's message can come
# many process runs after its start): wait_pid waits for the count.
EV_T=300
events() {
	local name=$1
	shift
	# -k: one still running when the 310 s are up, and deaf to the SIGTERM
	# then, gets SIGKILL 10 s later
	timeout -k 10 310 "$EVENTS" -v "$@" >"$T/$name.out" 2>"$T/$name.err" &
	PIDS+=($!)
	wait_for "$T/$name.err" "joined the bus" "$WAIT" ||
	    { cat "$T/$name.err" >&2; fail "dnp3-events $name did not join"; }
}

# expect FILE LINE: FILE has exactly this line.
expect() {
	grep -qxF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2;
	    fail "no line: $2"; }
}

start_hub

# 1. what another client sends, dnp3-events prints readably; --json
#    prints it raw. Joining is a ping answered by the hub's pong: nanocat
#    pings every 0.2 s and has joined at its first pong; dnp3-events never
#    shows its own pong, and others' only with -e pong.
EV='{"event":"connected","outstation":"feeder-1","time":"2026-11-24T11:30:00.123Z","source":"feeder-1","seq":1,"endpoint":"127.0.0.1:20000","peer":"127.0.0.2:40000","id":1}'
events readable -u "$URL" -n 2 -t "$EV_T"
events json -u "$TCP" --json -n 2 -t "$EV_T"
events feeder2 -u "$URL" -o feeder-2 -n 1 -t "$EV_T"
events onlyerr -u "$URL" -e error -n 1 -t "$EV_T"
events pongs -u "$URL" --json -e pong -n 1 -t "$EV_T"
# it sees everything up to step 8 (the bound is for a hang)
timeout 300 nanocat --bus --connect "$URL" -A -i 0.2 \
    -D '{"op":"ping","id":2}' >"$T/nanocat.out" 2>&1 &
PIDS+=($!)
wait_for "$T/nanocat.out" '^\{"event":"pong",.*"id":2\}$' "$WAIT" ||
    fail "nanocat had no pong: $(cat "$T/nanocat.out")"
wait_pid "${PIDS[4]}" "$WAIT" "dnp3-events -e pong" || fail "dnp3-events -e pong exited $?"
grep -qE '^\{"event":"pong","time":"[0-9T:.-]+Z","source":"hub","seq":[0-9]+,"id":2\}$' \
    "$T/pongs.out" || fail "pong: $(cat "$T/pongs.out")"
"$UPDATE" -u "$URL" --json "$EV" 2>"$T/ev.err" ||
    fail "sending an event: $(cat "$T/ev.err")"

# 2. a good update: applied by the pretend worker, no error, exit 0
"$UPDATE" -u "$URL" feeder-1 analog_input 3 12.5 --flags online,over_range \
    2>"$T/up1.err" || { cat "$T/up1.err" >&2; fail "good update: exit $?"; }
wait_for "$T/hub.out" "applied feeder-1 analog_input\[3\] flags=0x21 value=12.5" "$WAIT" ||
    fail "update not applied: $(cat "$T/hub.out")"

wait_pid "${PIDS[0]}" "$WAIT" "dnp3-events -n 2" || fail "dnp3-events -n 2 exited $?"
expect "$T/readable.out" "2026-11-24T11:30:00.123Z feeder-1 connected peer=127.0.0.2:40000 endpoint=127.0.0.1:20000 id=1"
grep -qE "^[0-9T:.-]+Z feeder-1 update id=[0-9]+ type=analog_input index=3 value=12.5 flags=online,over_range$" \
    "$T/readable.out" || fail "update line: $(cat "$T/readable.out")"
wait_pid "${PIDS[1]}" "$WAIT" "dnp3-events --json" || fail "dnp3-events --json -n 2 exited $?"
expect "$T/json.out" "$EV"
grep -q '^{"op":"update","outstation":"feeder-1","id":[0-9]*,"type":"analog_input","index":3,"value":12.5,"flags":\["online","over_range"\]}$' \
    "$T/json.out" || fail "json update: $(cat "$T/json.out")"

# 3. a bad index: the worker's error comes back, dnp3-update says so, exit 1
if "$UPDATE" -u "$URL" -w "$WAIT_MS" feeder-1 analog_input 40 1 2>"$T/up2.err"; then
	fail "bad index: exit 0"
fi
expect "$T/up2.err" "dnp3-update: feeder-1 says: index out of range: index 40, but analog_input has 10 points"
wait_pid "${PIDS[3]}" "$WAIT" "dnp3-events -e error" || fail "dnp3-events -e error exited $?"
grep -qE "^[0-9T:.-]+Z feeder-1 error error=\"index out of range\" detail=\"index 40, but analog_input has 10 points\" op=update id=[0-9]+$" \
    "$T/onlyerr.out" || fail "error line: $(cat "$T/onlyerr.out")"
[ "$(wc -l <"$T/onlyerr.out")" = 1 ] || fail "-e error printed more"

# 4. an outstation that exists nowhere: the hub answers
if "$UPDATE" -u "$URL" -w "$WAIT_MS" feeder-9 counter 1 5 2>"$T/up3.err"; then
	fail "unknown outstation: exit 0"
fi
expect "$T/up3.err" 'dnp3-update: hub says: unknown outstation: no outstation is named "feeder-9"'

# 5. a known outstation without a worker here: nobody complains, exit 0;
#    dnp3-events -o feeder-2 saw exactly that message (and step 8 checks
#    that no error for it came later)
"$UPDATE" -u "$URL" -w 300 feeder-2 binary_input 0 on 2>"$T/up4.err" ||
    fail "feeder-2 update: exit $? $(cat "$T/up4.err")"
wait_pid "${PIDS[2]}" "$WAIT" "dnp3-events -o feeder-2" || fail "dnp3-events -o feeder-2 exited $?"
grep -qE " feeder-2 update id=[0-9]+ type=binary_input index=0 value=true$" \
    "$T/feeder2.out" || fail "-o line: $(cat "$T/feeder2.out")"
f2id=$(sed -n 's/.* feeder-2 update id=\([0-9]*\) .*/\1/p' "$T/feeder2.out")

# 6. --json that is not JSON, and a wrong value type
if "$UPDATE" -u "$URL" -w "$WAIT_MS" --json 'not json' 2>"$T/up5.err"; then
	fail "not JSON: exit 0"
fi
expect "$T/up5.err" "dnp3-update: hub says: not JSON: line 1 column 3: invalid token near 'not'"
if "$UPDATE" -u "$URL" -w "$WAIT_MS" --json '{"op":"update","outstation":"feeder-1","updates":[{"type":"counter","index":0,"value":1},{"type":"counter","index":1,"value":"x"}]}' 2>"$T/up6.err"; then
	fail "wrong value type: exit 0"
fi
expect "$T/up6.err" "dnp3-update: feeder-1 says: wrong value type: updates[1]: counter value must be an integer from 0 to 4294967295"
grep -q "applied feeder-1 counter\[0\]" "$T/hub.out" && fail "half a bad batch was applied"

# 7. usage errors exit 2
"$UPDATE" feeder-1 analog_input 2>/dev/null; [ $? = 2 ] || fail "usage: not 2"
"$EVENTS" -n 0 2>/dev/null; [ $? = 2 ] || fail "usage -n 0: not 2"

# 8. plain nanocat -A sees the events and updates too
grep -qF "$EV" "$T/nanocat.out" || fail "nanocat: $(cat "$T/nanocat.out")"
wait_for "$T/nanocat.out" '"error":"unknown outstation"' "$WAIT" ||
    fail "nanocat saw no error event"
# ... and no error for the feeder-2 update: the hub took it before the
# 'not json' of step 6, so an error for it would have reached nanocat
# before that one's
wait_for "$T/nanocat.out" '"error":"not JSON"' "$WAIT" ||
    fail "nanocat saw no not JSON error"
grep -E '^\{"event":"error",.*"id":'"$f2id"'[,}]' "$T/nanocat.out" &&
    fail "the feeder-2 update got an error"
# ... and no dnp3-events showed a pong unasked
grep -l '"pong"\| pong ' "$T"/readable.out "$T"/json.out "$T"/feeder2.out \
    "$T"/onlyerr.out && fail "a pong was shown without -e pong"

# 9. dnp3-events keeps going across a restart of the hub, and ends on TERM
events restart -u "$URL"
kill "$HUB"; wait_pid "$HUB" "$WAIT" "the hub after SIGTERM"; HUB=
wait_for "$T/restart.err" "lost the bus" "$WAIT" || fail "hub loss not seen"
start_hub
# the second join: after "lost", the hub answered a ping again
wait_count "$T/restart.err" "joined the bus" 2 "$WAIT" ||
    fail "dnp3-events did not rejoin: $(cat "$T/restart.err")"
"$UPDATE" -u "$URL" feeder-1 counter 2 77 || fail "update after restart"
wait_for "$T/restart.out" " feeder-1 update id=[0-9]+ type=counter index=2 value=77$" "$WAIT" ||
    fail "no event after restart: $(cat "$T/restart.out")"
RPID=${PIDS[-1]}			# timeout(1); the tool is its child
t0=$(date +%s%N)
stop_timed "$RPID" "dnp3-events after SIGTERM"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$rc" = 0 ] || fail "dnp3-events on SIGTERM exited $rc after $ms ms"

echo "PASS: bus tools (dnp3-events ended $ms ms after SIGTERM)"
