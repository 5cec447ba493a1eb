#!/usr/bin/env bash
# SIGTERM under load: three masters polling their outstations (link
# status), a fourth with integrity polls, and
# a host flooding connections; dnp3d exits 0 (the time it took is printed), every master sees its
# connection closed, and no process is left (no worker pid alive, nothing
# in the server namespace).
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_netns.sh"

nt_init 5
S4=$NETNS_SRV_V4
S6=$NETNS_SRV_V6
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  outstations = (
    { name = "alpha"; filter = "198.18.0.11"; address = 10; master = 1; },
    { name = "beta"; filter = "198.18.0.12"; address = 20; master = 1; },
    { name = "delta"; filter = "198.18.0.15"; address = 40; master = 1;
      database = { binary_input = { count = 10; }; analog_input = { count = 10; }; }; }
  );
}, {
  listen = "[::]:20000";
  outstations = ( { name = "gamma"; filter = "fd64:d3::d"; address = 30; master = 1; } );
} );')
nt_start "$conf"
workers=$(nt_worker_pids | tr '\n' ' ')
workers=${workers% }
nt_need_app m5 40

nt_client m1 poll "$S4" 20000 10 10 10 >"$NT_TMP/alpha.out" &
p1=$!
nt_client m2 poll "$S4" 20000 20 10 10 >"$NT_TMP/beta.out" &
p2=$!
nt_client m3 poll "$S6" 20000 30 10 10 >"$NT_TMP/gamma.out" &
p3=$!
nt_client m4 flood "$S4" 20000 100000 3 >"$NT_TMP/flood.out" &
p4=$!
nt_integrity m5 40 100000 5 >"$NT_TMP/delta.out" &
p5=$!
for o in alpha beta gamma; do nt_wait_log "$o: info: connected "; done
sleep 0.5
nt_stop
for p in $p1 $p2 $p3 $p4 $p5; do
	ended "$p" "$WAIT" || fail "a test master (pid $p) still runs $((WAIT / 10)) s after dnp3d stopped"
done
# all of them have ended (checked above): these waits return at once
wait $p1 $p2 $p3 $p4
wait "$p5" && fail "dnp3-master's integrity polls did not notice the shutdown"
echo "delta (integrity polls): $(cat "$NT_TMP/delta.out")"
for o in alpha beta gamma; do
	out=$(cat "$NT_TMP/$o.out")
	echo "$o: $out"
	echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=[01] .* end=closed$' ||
		fail "$o's master: $out"
	nt_wait_log "$o: info: disconnected \(shutdown\) "
done
echo "flooder: $(cat "$NT_TMP/flood.out")"
for p in $workers; do
	kill -0 "$p" 2>/dev/null && fail "worker $p still running"
done
left=$(ip netns pids "${NETNS_PREFIX}-srv" | wc -l)
[ "$left" = 0 ] || fail "$left processes left in the server namespace"
echo "measured: dnp3d exit 0 under load, workers ($workers) gone, $left processes left in the server namespace"
echo PASS
