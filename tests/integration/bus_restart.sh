#!/usr/bin/env bash
# Restarts on the bus, as an application and a master see them:
#  - dnp3-update --file sends a snapshot (one batch update): a master's
#    integrity poll reads every value of it; a file that is no batch
#    update is refused (exit 2) and nothing changes;
#  - a master's cold restart publishes `restarted` kind "cold" (with the
#    master's peer): the points are back at their defaults (0, RESTART)
#    until the application sends its snapshot again;
#  - a warm restart publishes kind "warm" and the values stay.
# Loopback only; every wait is bounded; only processes started here are
# stopped, by pid.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$EVENTS" "$UPDATE" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
URL=ipc://$LW_TMP/run/bus.ipc
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "fed"; filter = "127.0.0.2"; address = 7;
    master = 1; database = { binary_input = { count = 2; };
      counter = { count = 2; }; analog_input = { count = 2; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

# (its bound only ends a test that hangs: the events come while the test
# runs, and each is waited for below)
timeout -k 2 600 "$EVENTS" -v --json -u "$URL" -e restarted \
    >"$LW_TMP/ev.out" 2>"$LW_TMP/ev.err" &
LW_BG+=($!)
wait_for "$LW_TMP/ev.err" "joined the bus" "$WAIT" ||
	fail "dnp3-events did not join: $(cat "$LW_TMP/ev.err")"

cat >"$LW_TMP/snapshot.json" <<'JSON'
{"op":"update","outstation":"fed","updates":[
  {"type":"binary_input","index":0,"value":true},
  {"type":"binary_input","index":1,"value":false},
  {"type":"counter","index":0,"value":1200},
  {"type":"counter","index":1,"value":7},
  {"type":"analog_input","index":0,"value":12},
  {"type":"analog_input","index":1,"value":-3}
]}
JSON
snapshot="g1v2 0 1 ONLINE
g1v2 1 0 ONLINE
g20v1 0 1200 ONLINE
g20v1 1 7 ONLINE
g30v1 0 12 ONLINE
g30v1 1 -3 ONLINE"
defaults="g1v2 0 0 RESTART
g1v2 1 0 RESTART
g20v1 0 0 RESTART
g20v1 1 0 RESTART
g30v1 0 0 RESTART
g30v1 1 0 RESTART"

# points: "object index value flags" of every static point an integrity
# poll returns (the answer is waited for 30 s, lib.sh's WAIT).
points() {
	timeout 60 "$MASTER" -a 7 -b 127.0.0.2 -t "$WAIT_MS" --json \
	    "127.0.0.1:$port" integrity |
	    jq -r 'select(.type == "point") | [.object, (.index | tostring),
		(.value | tostring | sub("\\.0$"; "")), (.flags | join(","))] |
		join(" ")'
}

# poll_until WANT WHAT: an integrity poll reads WANT (bounded wait).
poll_until() {
	local got= i
	for i in $(seq 1 "$WAIT"); do
		got=$(points)
		[ "$got" = "$1" ] && return 0
		sleep 0.1
	done
	fail "$2: a master reads:
$got
want:
$1"
}

# restart KIND: the master restarts the outstation; one more `restarted`
# event of that kind with the master's address follows.
restart() {
	local n=$2 out
	out=$(timeout 60 "$MASTER" -a 7 -b 127.0.0.2 -t "$WAIT_MS" --json \
	    "127.0.0.1:$port" restart "$1") || fail "restart $1: exit $?: $out"
	echo "$out" | jq -e 'select(.object == "g52v2")' >/dev/null ||
		fail "restart $1: no time delay object: $out"
	wait_count "$LW_TMP/ev.out" '"restarted"' "$n" "$WAIT" ||
		fail "restart $1: no restarted event number $n: $(cat "$LW_TMP/ev.out")"
	got=$(jq -r 'select(.event == "restarted") | [.source, .outstation,
	    .kind, (.peer | sub(":[0-9]+$"; "")), (.state_kept // "-" |
	    tostring)] | join(" ")' "$LW_TMP/ev.out" | sed -n "${n}p")
	[ "$got" = "fed fed $1 127.0.0.2 -" ] ||
		fail "restart $1: event number $n is '$got': $(cat "$LW_TMP/ev.out")"
}

# 1. the snapshot: every value of it
poll_until "$defaults" "before the snapshot"
out=$("$UPDATE" -u "$URL" --file "$LW_TMP/snapshot.json" 2>&1) ||
	fail "dnp3-update --file: exit $?: $out"
poll_until "$snapshot" "after dnp3-update --file"

# ... a file that is no batch update: exit 2, nothing sent
echo '{"op":"update","outstation":"fed","type":"counter","index":0,"value":1}' \
    >"$LW_TMP/single.json"
"$UPDATE" -u "$URL" --file "$LW_TMP/single.json" >"$LW_TMP/bad.out" 2>&1
rc=$?
[ "$rc" = 2 ] || fail "--file with a single update: exit $rc $(cat "$LW_TMP/bad.out")"
grep -q "not a batch update" "$LW_TMP/bad.out" ||
	fail "--file with a single update: $(cat "$LW_TMP/bad.out")"
[ "$(points)" = "$snapshot" ] || fail "a refused file changed a point"

# 2. a warm restart: an event, the values stay
restart warm 1
[ "$(points)" = "$snapshot" ] || fail "a warm restart changed a point: $(points)"

# 3. a cold restart: an event, every point at its default, until the
# application publishes its snapshot again
restart cold 2
[ "$(points)" = "$defaults" ] || fail "after a cold restart: $(points)"
"$UPDATE" -u "$URL" --file - <"$LW_TMP/snapshot.json" >"$LW_TMP/up.out" 2>&1 ||
	fail "dnp3-update --file -: exit $?: $(cat "$LW_TMP/up.out")"
poll_until "$snapshot" "the snapshot again after the cold restart"

[ "$(jq -r .event "$LW_TMP/ev.out" | sort -u)" = restarted ] ||
	fail "events: $(cat "$LW_TMP/ev.out")"
grep "killed by seccomp" "$LW_LOG" && fail "a worker broke its seccomp filter"
lw_stop
echo "PASS"
