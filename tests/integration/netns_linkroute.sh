#!/usr/bin/env bash
# route = "link_address" (issue 18, first mode), through the real listener
# and dnp3d-classify in network namespaces: one master address reaches
# three outstations (link addresses 10, 20, 30) on one port, one
# connection each, at the same time; replacing one master leaves the
# others alone; another master with the same link address 10 reaches its
# own outstation. Unknown address, garbage, a bad
# header CRC, a broadcast first frame and a silent connection are closed,
# each with its `rejected` reason on the bus. The classifier killed with
# SIGKILL: the connection waiting on it is closed and reported, the
# masters already served lose nothing, a new classifier routes again. Its
# /proc state: not root, no capabilities, NoNewPrivs, Seccomp 2, chroot.
# dnp3d -t refuses a shared filter with a shared link address.
set -uf
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_netns.sh"
[ -x "$BUILD/listener/dnp3d-classify" ] || fail "dnp3d-classify not built"

nt_init 2	# m1 = 198.18.0.11, m2 = 198.18.0.12
S4=$NETNS_SRV_V4
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  route = "link_address";
  route_timeout_ms = 1500;
  outstations = (
    { name = "alpha"; filter = "198.18.0.11"; address = 10; master = 1; },
    { name = "beta"; filter = "198.18.0.0/24"; address = 20; master = 1; },
    { name = "gamma"; filter = "any"; address = 30; master = 1; },
    { name = "delta"; filter = "198.18.0.12"; address = 10; master = 1; }
  );
} );')
nt_start "$conf"
nt_wait_log 'link address classifier ready \(pid [0-9]+\)'
cpid=$(sed -n 's/.*link address classifier ready (pid \([0-9]*\)).*/\1/p' "$NT_LOG" | tail -1)

EV=$NT_TMP/events.json
# Not through in_ns: $! must be the process itself (ip netns exec execs).
ip netns exec "${NETNS_PREFIX}-srv" timeout -k 2 120 \
    "$BUILD/tools/dnp3-events/dnp3-events" --json -v \
    -u "ipc://$NT_TMP/run/bus.ipc" -e rejected >"$EV" 2>"$NT_TMP/ev.err" &
evpid=$!
wait_for "$NT_TMP/ev.err" "joined the bus" "$WAIT" || fail "dnp3-events did not join"

# The classifier's lockdown, seen from outside.
nt_locked_down "$cpid" classifier

# One master address, three outstations, three connections at once.
pids=()
for a in 10 20 30; do
	nt_client m1 poll "$S4" 20000 "$a" 2 20 >"$NT_TMP/poll$a.out" &
	pids+=("$!")
done
for p in "${pids[@]}"; do wait_pid "$p" "$WAIT" "a poll of m1"; done
for t in "10 alpha" "20 beta" "30 gamma"; do
	# shellcheck disable=SC2086 # split on purpose (globbing is off)
	set -- $t
	out=$(cat "$NT_TMP/poll$1.out")
	echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 .* end=done$' ||
		fail "m1 -> address $1: $out"
	nt_wait_log "$2: info: connected 198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000"
	echo "ok: m1 -> link address $1 -> $2: $out"
done
[ "$(grep -cE '(alpha|beta|gamma): info: connected 198\.18\.0\.11' "$NT_LOG")" = 3 ] ||
	fail "not one connection per outstation"
# Replacement is per outstation: a second connection to beta replaces
# the first, while m1's connection to alpha goes on. Alpha's master polls
# until the replacement is over (it prints its line when it ends: none
# yet means it polled across all of it), at most 300 s.
nt_client m1 poll "$S4" 20000 10 300 20 "$NT_TMP/alpha.stop" >"$NT_TMP/alpha.out" &
pa=$!
nt_wait_count "alpha: info: connected 198\.18\.0\.11:" 2
out=$(nt_client m1 replace "$S4" 20000 20 | tr '\n' ' ')
[ "$out" = "old: status 20 new: status 20 old after: closed new again: status 20 " ] ||
	fail "replacement on beta: $out"
nt_wait_log "beta: info: disconnected \(replaced\) 198\.18\.0\.11:"
[ -s "$NT_TMP/alpha.out" ] &&
	fail "alpha's master ended before beta's replacement was over: $(cat "$NT_TMP/alpha.out")"
touch "$NT_TMP/alpha.stop"
wait_pid "$pa" "$WAIT" "alpha's master"
grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 .* end=done$' "$NT_TMP/alpha.out" ||
	fail "alpha's master was disturbed by beta's replacement: $(cat "$NT_TMP/alpha.out")"
echo "ok: beta's master replaced ($out), alpha's undisturbed: $(cat "$NT_TMP/alpha.out")"
# The same link address from another master: its own outstation.
out=$(nt_client m2 status "$S4" 20000 10)
[ "$out" = "status 10" ] || fail "m2 -> 10: $out"
nt_wait_log "delta: info: connected 198\.18\.0\.12:[0-9]+ on 0\.0\.0\.0:20000"
echo "ok: m2 -> link address 10 -> delta"
# The application layer through the classifier (no latency: 30 s,
# lib.sh's WAIT, for each answer).
out=$(in_ns m1 timeout 300 "$BUILD/tools/dnp3-master/dnp3-master" -a 20 \
    -t "$WAIT_MS" --repeat 3 --interval 10 "$S4:20000" integrity 2>&1)
echo "$out" | grep -q '^integrity: 3 requests, 0 failed' ||
	fail "integrity polls of beta failed: $out"
echo "ok: 3 integrity polls of beta (link address 20) from m1"

# reject HOW REASON: a connection from m1 closed with REASON in the log
# and on the bus.
reject() {
	local how=$1 reason=$2
	nt_wait_log "rejected 198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000: $(re "$reason")$"
	wait_for "$EV" "\"reason\":\"$(re "$reason")\"" "$WAIT" ||
		fail "no rejected event with reason '$reason' ($how)"
	echo "ok: $how: closed, rejected \"$reason\""
}
out=$(nt_client m1 status "$S4" 20000 40)
[ "$out" = closed ] || fail "unknown address 40: $out"
reject "unknown address 40" "no outstation with link address 40 for this master"
out=$(nt_client m1 status "$S4" 20000 65535)
[ "$out" = closed ] || fail "broadcast: $out"
reject "broadcast first frame" "first frame to broadcast address 65535"
out=$(nt_client m1 garbage "$S4" 20000 10)
[ "$out" = closed ] || fail "bad header CRC: $out"
reject "bad header CRC" "malformed first frame: bad header CRC"
out=$(in_ns m1 python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 20000), 10)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
s.settimeout(10)
try:
    print("closed" if s.recv(1) == b"" else "data")
except ConnectionResetError:
    print("closed")' "$S4")
[ "$out" = closed ] || fail "garbage: $out"
reject "garbage" "malformed first frame: bad start"
t0=$(date +%s%N)
out=$(nt_client m1 silent "$S4" 20000)
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$out" = closed ] || fail "silent: $out"
[ "$ms" -ge 1400 ] || fail "silent connection closed after $ms ms, before the timeout"
reject "silent (closed after $ms ms)" "no link frame within 1500 ms"

# SIGKILL of the classifier while m2 polls beta (until the new
# classifier is ready, as alpha's master above) and a silent connection
# from m1 waits on it.
nt_client m2 poll "$S4" 20000 20 300 20 "$NT_TMP/beta.stop" >"$NT_TMP/beta.out" &
pb=$!
nt_wait_log "beta: info: connected 198\.18\.0\.12:"
waiting='198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000: to the link address classifier'
n=$(grep -cE "$waiting" "$NT_LOG")
nt_client m1 silent "$S4" 20000 >"$NT_TMP/silent.out" &
ps=$!
nt_wait_count "$waiting" $((n + 1))
ready='link address classifier ready \(pid [0-9]+\)'
nready=$(grep -cE "$ready" "$NT_LOG")
kill -9 "$cpid"
nt_wait_log "link address classifier \(pid $cpid\) killed by signal SIGKILL; restarting in [0-9]+ ms"
wait_pid "$ps" "$WAIT" "silent master"
[ "$(cat "$NT_TMP/silent.out")" = closed ] || fail "waiting connection: $(cat "$NT_TMP/silent.out")"
reject "waiting on the killed classifier" "link address classifier exited"
# one "ready" line more: the ones before are the killed classifier's
nt_wait_count "$ready" $((nready + 1))
npid=$(sed -n 's/.*link address classifier ready (pid \([0-9]*\)).*/\1/p' "$NT_LOG" | tail -1)
[ "$npid" != "$cpid" ] || fail "no new classifier"
[ -s "$NT_TMP/beta.out" ] &&
	fail "beta's master ended before the classifier was back: $(cat "$NT_TMP/beta.out")"
touch "$NT_TMP/beta.stop"
wait_pid "$pb" "$WAIT" "beta's master"
out=$(cat "$NT_TMP/beta.out")
echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 .* end=done$' ||
	fail "beta's master was disturbed: $out"
out2=$(nt_client m1 status "$S4" 20000 30)
[ "$out2" = "status 30" ] || fail "after the restart, m1 -> 30: $out2"
echo "ok: classifier $cpid killed, $npid routes again; beta's master undisturbed: $out"
grep -qE 'worker [a-z]+ \(pid [0-9]+\) .*restarting' "$NT_LOG" &&
	fail "a worker was restarted"

# dnp3d -t: a shared filter needs distinct link addresses.
printf '%s\n' 'servers = ( { listen = "0.0.0.0:20000"; route = "link_address";' \
    'outstations = ( { name = "a"; filter = "198.18.0.0/24"; address = 10; master = 1; },' \
    '{ name = "b"; filter = "198.18.0.11"; address = 10; master = 1; } ); } );' >"$NT_TMP/bad.conf"
out=$("$DNP3D" -t -c "$NT_TMP/bad.conf" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "dnp3d -t accepted a shared link address (rc $rc)"
echo "$out" | grep -qF 'outstations "a" and "b" both match 198.18.0.11 and have link address 10' ||
	fail "dnp3d -t: $out"
sed -i 's/route = "link_address";//' "$NT_TMP/bad.conf"
sed -i 's/address = 10; master = 1; } ); } );/address = 20; master = 1; } ); } );/' "$NT_TMP/bad.conf"
out=$("$DNP3D" -t -c "$NT_TMP/bad.conf" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "dnp3d -t accepted overlapping filters without route (rc $rc)"
echo "$out" | grep -qF 'outstations "a" and "b" both match 198.18.0.11' || fail "dnp3d -t: $out"
echo "ok: dnp3d -t refuses both"

stop_timed "$evpid" "dnp3-events"
nt_stop
echo PASS
