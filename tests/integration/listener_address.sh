#!/usr/bin/env bash
# A master with the wrong link addresses: the outstation drops its frames
# (a secondary answers only its own master), but says so once per
# connection, naming the address received and the one expected, in the
# log and as a link_error event on the bus; good frames on the same
# connection are still answered.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$EVENTS"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
run=$LW_TMP/run
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( { listen = "127.0.0.1:$port";
  outstations = ( { name = "ten"; filter = "any"; address = 10; master = 1; } ); } );
CONF
lw_start "$LW_TMP/dnp3d.conf"

timeout -k 2 70 "$EVENTS" -v --json -u "ipc://$run/bus.ipc" -e link_error \
    -n 2 -t 60 >"$LW_TMP/ev.out" 2>"$LW_TMP/ev.err" &
evpid=$!
wait_for "$LW_TMP/ev.err" "joined the bus" "$WAIT" || fail "dnp3-events did not join"

# For another outstation (11), twice; then a good request.
out=$(lw_client misaddressed "$port" 127.0.0.2 11 1 10)
[ "$out" = "status 10" ] || fail "good frame after misaddressed ones: '$out'"
# From another master (2), twice, on a new connection.
out=$(lw_client misaddressed "$port" 127.0.0.3 10 2 10)
[ "$out" = "status 10" ] || fail "good frame after a wrong source: '$out'"

lw_wait_log "ten: warning: 127\.0\.0\.2:[0-9]+: frame for link address 11, this outstation is 10 \(dropped; further ones not logged on this connection\)"
lw_wait_log "ten: warning: 127\.0\.0\.3:[0-9]+: frame from link address 2, expected master 1 \(dropped; further ones not logged on this connection\)"
[ "$(grep -c "further ones not logged" "$LW_LOG")" = 2 ] ||
	fail "reported more than once per connection: $(grep "further ones" "$LW_LOG")"

wait_pid "$evpid" "$WAIT" "dnp3-events" || fail "dnp3-events exited $?: $(cat "$LW_TMP/ev.out" "$LW_TMP/ev.err")"
got=$(jq -r '[.what, .action, (.discarded | tostring),
    (.peer | sub(":[0-9]+$"; ""))] | join(" | ")' "$LW_TMP/ev.out")
want="frame for link address 11, this outstation is 10 | discarded | 10 | 127.0.0.2
frame from link address 2, expected master 1 | discarded | 10 | 127.0.0.3"
[ "$got" = "$want" ] || fail "link_error events:
$got
want:
$want"

lw_stop
echo "PASS"
