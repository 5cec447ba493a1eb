#!/usr/bin/env bash
# One master per outstation, across real hosts: a second connection from
# the same host takes over (the first sees EOF, the new one is served),
# then a connection from another host in the same filter takes over too.
# The worker logs "disconnected (replaced)" before each new "connected",
# and it is the same worker process all along.
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_netns.sh"

nt_init 2
S4=$NETNS_SRV_V4
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  outstations = ( { name = "solo"; filter = "198.18.0.0/24"; address = 7; master = 1;
    database = { binary_input = { count = 10; class = 1; }; }; } );
} );')
nt_start "$conf"
pid=$(nt_worker_pid solo)

# 20 binary input events (index 0..9 on, then off) go to m1, which reads
# them and never confirms; m2 takes over and must get exactly those 20,
# each once and in order, then (having confirmed) none again.
events_across_takeover() {
	local u=$BUILD/tools/dnp3-update/dnp3-update m=$BUILD/tools/dnp3-master/dnp3-master
	local i on off got want
	[ -x "$u" ] || fail "$u not built"
	in_ns m2 "$m" -a 7 -t 5000 "$S4:20000" class 1 >/dev/null ||
		fail "class 1 read to empty the event buffer"
	on='' off=''
	for i in $(seq 0 9); do
		on="$on{\"type\":\"binary_input\",\"index\":$i,\"value\":true},"
		off="$off{\"type\":\"binary_input\",\"index\":$i,\"value\":false},"
	done
	for b in "${on%,}" "${off%,}"; do
		"$u" -u "ipc://$NT_TMP/run/bus.ipc" -w 200 \
		    --json "{\"op\":\"update\",\"outstation\":\"solo\",\"updates\":[$b]}" ||
			fail "dnp3-update refused the batch"
	done
	nt_wait_count "solo: debug: bus: 10 updates applied" 2
	: >"$NT_TMP/m1.events"
	nt_client m1 unconfirmed "$S4" 20000 7 >"$NT_TMP/m1.events" &
	local reader=$!
	for i in $(seq 1 "$WAIT"); do grep -q '^response' "$NT_TMP/m1.events" && break; sleep 0.1; done
	got=$(head -1 "$NT_TMP/m1.events")
	want="response func=0x81 con=1 events=20 indexes=0,1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9"
	[ "$got" = "$want" ] || { kill "$reader"; fail "m1's unconfirmed read: '$got'"; }
	echo "ok: m1 read 20 events and does not confirm them"

	in_ns m2 "$m" -a 7 -t 5000 "$S4:20000" class 1 >"$NT_TMP/m2.events" ||
		{ kill "$reader"; fail "m2's class 1 read: $(cat "$NT_TMP/m2.events")"; }
	wait_pid "$reader" "$WAIT" "m1's reader"
	[ "$(tail -1 "$NT_TMP/m1.events")" = "after: closed" ] ||
		fail "m1 after m2 took over: $(cat "$NT_TMP/m1.events")"
	got=$(grep '^g2v' "$NT_TMP/m2.events" | sed 's/^g2v[0-9] index=\([0-9]*\) value=\([01]\) .*/\1=\2/' | tr '\n' ,)
	want="0=1,1=1,2=1,3=1,4=1,5=1,6=1,7=1,8=1,9=1,0=0,1=0,2=0,3=0,4=0,5=0,6=0,7=0,8=0,9=0,"
	[ "$got" = "$want" ] || fail "events m2 got after the takeover: $got
$(cat "$NT_TMP/m2.events")"
	echo "ok: m2 took over and got the 20 unconfirmed events, in order"
	in_ns m2 "$m" -a 7 -t 5000 "$S4:20000" class 1 >"$NT_TMP/m2.again" ||
		fail "m2's second class 1 read"
	grep -q '^g2v' "$NT_TMP/m2.again" &&
		fail "events delivered twice: $(cat "$NT_TMP/m2.again")"
	echo "ok: after m2's confirm, a new read has no event"
	events="; events: 20 generated, 20 read unconfirmed by m1, 20 delivered to m2 (0 lost, 0 duplicated), 0 after confirm"
}

want="old: status 7
new: status 7
old after: closed
new again: status 7"
out=$(nt_client m1 replace "$S4" 20000 7)
[ "$out" = "$want" ] || fail "replacement from the same host: got
$out"
echo "ok: same host (m1): the first connection saw EOF, the second is served"

# m2 holds a connection (polling); m1 then takes the outstation over.
nt_client m2 poll "$S4" 20000 7 30 100 >"$NT_TMP/m2.out" &
poller=$!
nt_wait_log "solo: info: connected $(re "$(netns_v4 2)"):[0-9]+"
out=$(nt_client m1 status "$S4" 20000 7)
[ "$out" = "status 7" ] || fail "m1 taking over from m2: '$out'"
ended "$poller" "$WAIT" || { kill "$poller"; fail "m2 did not see its connection closed"; }
wait_pid "$poller" 400 "m2's poller"
out=$(cat "$NT_TMP/m2.out")
echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=[01] .*end=closed$' ||
	fail "m2's polls before the takeover: $out"
echo "ok: other host (m1 over m2): m2 saw EOF after $out"

nt_wait_log "solo: info: disconnected \(closed by peer\) $(re "$(netns_v4 1)"):[0-9]+" 
order=$(grep -oE "solo: info: (connected|disconnected \([a-z ]+\)) 198\.18\.0\.1[12]" "$NT_LOG" |
    sed 's/^solo: info: //' | tr '\n' ,)
want="connected 198.18.0.11,disconnected (replaced) 198.18.0.11,connected 198.18.0.11,disconnected (closed by peer) 198.18.0.11,"
want="${want}connected 198.18.0.12,disconnected (replaced) 198.18.0.12,connected 198.18.0.11,disconnected (closed by peer) 198.18.0.11,"
[ "$order" = "$want" ] || fail "worker log order: $order"
[ "$(nt_worker_pid solo)" = "$pid" ] && kill -0 "$pid" || fail "worker restarted"
echo "ok: worker log order: $order"

events=
nt_need_app m1 7
events_across_takeover
nt_stop
echo "measured: 2 takeovers, old masters saw EOF, one worker process (pid $pid)${events}"
echo PASS
