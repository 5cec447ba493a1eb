#!/usr/bin/env bash
# kill -9 of one worker while masters on two other hosts poll their own
# outstations (one of them with integrity polls): the killed outstation answers again within 1 s (measured
# from the kill to the first link status of the new worker), and the other
# two lose no poll and keep their connections and worker processes.
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_netns.sh"

nt_init 3
S4=$NETNS_SRV_V4
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  outstations = (
    { name = "alpha"; filter = "198.18.0.11"; address = 10; master = 1; },
    { name = "beta"; filter = "198.18.0.12"; address = 20; master = 1; },
    { name = "gamma"; filter = "198.18.0.13"; address = 30; master = 1;
      database = { binary_input = { count = 10; }; analog_input = { count = 10; }; }; }
  );
} );')
nt_start "$conf"
apid=$(nt_worker_pid alpha)
bpid=$(nt_worker_pid beta)
gpid=$(nt_worker_pid gamma)

# 3 s of polls every 20 ms from m2 (link status) and m3 (integrity polls
# with dnp3-master); alpha is killed 1 s in.
nt_need_app m3 30
nt_client m2 poll "$S4" 20000 20 3 20 >"$NT_TMP/beta.out" &
p2=$!
nt_integrity m3 30 150 20 >"$NT_TMP/gamma.out" &
p3=$!
sleep 1
out=$(nt_client m1 recover "$S4" 20000 10 "$apid")
wait_pid "$p2" "$WAIT" "beta's master"
wait_pid "$p3" "$WAIT" "gamma's master" || fail "gamma's master: $(cat "$NT_TMP/gamma.out")"
ms=$(echo "$out" | sed -n 's/^recovered ms=\([0-9]*\) .*/\1/p')
[ -n "$ms" ] || fail "alpha after kill -9: $out"
[ "$ms" -lt 1000 ] || fail "alpha answered only $ms ms after kill -9"
echo "ok: alpha killed (pid $apid), new worker answered after $ms ms ($out)"
nt_wait_log "worker alpha \(pid $apid\) killed by signal SIGKILL; restarting in [0-9]+ ms"

out=$(cat "$NT_TMP/gamma.out")
echo "$out" | grep -qE '^integrity: 150 requests, 0 failed' ||
	fail "gamma's master lost integrity polls: $out"
echo "ok: gamma: $out"
lost_gamma="0 of 150 integrity polls"
for o in beta; do
	out=$(cat "$NT_TMP/$o.out")
	echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 .* end=done$' ||
		fail "$o's master lost polls: $out"
	sent=$(echo "$out" | sed 's/^poll sent=\([0-9]*\) .*/\1/')
	[ "$sent" -ge 50 ] || fail "$o's master sent only $sent polls: $out"
	echo "ok: $o: $out"
done
[ "$(nt_worker_pid beta)" = "$bpid" ] && kill -0 "$bpid" || fail "beta's worker changed"
[ "$(nt_worker_pid gamma)" = "$gpid" ] && kill -0 "$gpid" || fail "gamma's worker changed"
grep -qE "worker (beta|gamma) \(pid [0-9]+\) .*restarting" "$NT_LOG" &&
	fail "beta or gamma was restarted"

nt_stop
echo "measured: restart (kill -9 to answer) $ms ms; polls lost: beta $(sed 's/.*lost=\([0-9]*\).*/\1/' "$NT_TMP/beta.out") of $(sed 's/^poll sent=\([0-9]*\) .*/\1/' "$NT_TMP/beta.out") link polls, gamma $lost_gamma"
echo PASS
