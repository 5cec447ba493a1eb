#!/usr/bin/env bash
# multidrop = true (issue 18, second mode), through the real listener,
# dnp3d-relay and workers in network namespaces. One master connection
# (multidrop_client.py) reaches outstations 10, 20 and 30 in turn: each
# answers link status and a class 0 read with its own data (1, 2, 3
# binary inputs), every frame it reads whole (CRCs, lengths); a broadcast
# WRITE reaches all three (IIN1.0 set, IIN1.7 cleared in each one's next
# response). The bus shows each outstation's connection and disconnection
# separately with the master's real address. tshark decodes the capture of
# that connection with no malformed frame, exactly as many frames as the
# master counted. A frame to an unknown address is dropped and reported,
# the connection stays. The relay's /proc: not root, no capabilities,
# NoNewPrivs, Seccomp 2, chroot. The relay killed with SIGKILL: its
# connection closes, each of its outstations reports the disconnection,
# another master's multi-drop connection goes on undisturbed, no worker
# restarts, and a new connection is served. dnp3d -t refuses multidrop
# without route = "link_address" and with tls.
set -uf
. "$(dirname "$0")/lib.sh"
need_root
command -v tshark >/dev/null || skip "tshark not installed"
. "$(dirname "$0")/lib_netns.sh"
[ -x "$BUILD/listener/dnp3d-relay" ] || fail "dnp3d-relay not built"
MD=$(cd "$(dirname "$0")" && pwd)/multidrop_client.py

nt_init 2	# m1 = 198.18.0.11, m2 = 198.18.0.12
S4=$NETNS_SRV_V4
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  route = "link_address";
  multidrop = true;
  outstations = (
    { name = "alpha"; filter = "198.18.0.11"; address = 10; master = 1;
      database = { binary_input = { count = 1; }; }; },
    { name = "beta"; filter = "198.18.0.11"; address = 20; master = 1;
      database = { binary_input = { count = 2; }; }; },
    { name = "gamma"; filter = "198.18.0.11"; address = 30; master = 1;
      database = { binary_input = { count = 3; }; }; },
    { name = "delta"; filter = "198.18.0.12"; address = 10; master = 1; },
    { name = "epsilon"; filter = "198.18.0.12"; address = 20; master = 1; }
  );
} );')
nt_start "$conf"
grep -q 'link address classifier' "$NT_LOG" &&
	fail "a classifier was started for a multidrop server"

# md HOST ARGS...: multidrop_client.py in namespace HOST.
md() { local h=$1; shift; in_ns "$h" env PYTHONPATH="$NT_TMP" python3 "$MD" "$@"; }
# relay_pid PEER_RE: the pid of the latest relay started for PEER_RE.
relay_pid() {
	sed -n "s/.*$1 on 0\.0\.0\.0:20000: multi-drop relay (pid \([0-9]*\)), .*/\1/p" \
	    "$NT_LOG" | tail -1
}

EV=$NT_TMP/events.json
# Not through in_ns: $! must be the process itself (ip netns exec execs).
ip netns exec "${NETNS_PREFIX}-srv" timeout -k 2 120 \
    "$BUILD/tools/dnp3-events/dnp3-events" --json -v \
    -u "ipc://$NT_TMP/run/bus.ipc" -e rejected -e connected \
    -e disconnected >"$EV" 2>"$NT_TMP/ev.err" &
evpid=$!
wait_for "$NT_TMP/ev.err" "joined the bus" "$WAIT" || fail "dnp3-events did not join"

cap=$NT_TMP/live.pcap
nt_capture_start "$cap"

# One connection, three outstations, a broadcast, then 5 rounds.
out=$(md m1 drop "$S4" 20000 5 10 20 30) || fail "multi-drop master: $out"
echo "$out"
for t in "10 1" "20 2" "30 3"; do
	# shellcheck disable=SC2086 # split on purpose (globbing is off)
	set -- $t
	echo "$out" | grep -qx "addr $1 status=ok points=$2 restart=1 broadcast=1 restart_after=0" ||
		fail "outstation $1: not its own data, or the broadcast missed it: $out"
done
summary=$(echo "$out" | grep '^frames ')
echo "$summary" | grep -qE '^frames sent=[0-9]+ received=[0-9]+ rounds=5 answered=15 lost=0$' ||
	fail "multi-drop rounds: $summary"
sent=$(echo "$summary" | sed 's/^frames sent=\([0-9]*\) .*/\1/')
recvd=$(echo "$summary" | sed 's/.* received=\([0-9]*\) .*/\1/')
frames=$((sent + recvd))
p1=$(relay_pid '198\.18\.0\.11:[0-9]*')
[ -n "$p1" ] || fail "no relay started for m1"
port=$(sed -n 's/.*198\.18\.0\.11:\([0-9]*\) on 0\.0\.0\.0:20000: multi-drop relay.*/\1/p' "$NT_LOG" | tail -1)
peer="198.18.0.11:$port"
nt_wait_log "multi-drop relay \(pid $p1\) for $(re "$peer") on 0\.0\.0\.0:20000 ended"
for o in alpha beta gamma; do
	nt_wait_log "$o: info: connected $(re "$peer") on 0\.0\.0\.0:20000"
	nt_wait_log "$o: info: disconnected \(closed by peer\) $(re "$peer")"
	for e in connected disconnected; do
		wait_for "$EV" "\"event\":\"$e\",.*\"outstation\":\"$o\",.*\"peer\":\"$peer\"" "$WAIT" ||
			fail "no $e event of $o with peer $peer"
	done
done
grep -qE '(delta|epsilon): info: connected' "$NT_LOG" &&
	fail "an outstation of another master was connected"
echo "ok: one connection from $peer: alpha, beta, gamma each connected and disconnected on the bus"

# The capture: every frame on the wire whole, as many as the master
# counted, and tshark decodes them cleanly.
nt_capture_stop "$cap"
onwire=$(nt_wire_frames "$cap") || fail "parsing the capture: $onwire"
[ "$onwire" = "$frames" ] ||
	fail "$onwire whole frames on the wire, the master counted $frames"
out=$(nt_tshark_check "$cap" "$frames") || fail "tshark check: $out"
echo "$out"
echo "ok: $frames frames on the wire, all whole, tshark decodes them cleanly"

# A frame to an address with no outstation on the connection: dropped
# and reported, the connection goes on.
out=$(md m1 unknown "$S4" 20000 40 20)
[ "$out" = "unknown 40: timeout; 20: status 20" ] || fail "unknown address: $out"
reason="frame to link address 40 dropped: no outstation on this connection"
nt_wait_log "rejected 198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000: $(re "$reason")$"
wait_for "$EV" "\"reason\":\"$(re "$reason")\"" "$WAIT" || fail "no rejected event: $reason"
echo "ok: $out, reported \"$reason\""

# A worker that dies takes no other outstation of the connection down;
# its restarted worker gets a new link to the same connection.
stop=$NT_TMP/stop
md m1 stay "$S4" 20000 30 "$stop" 10 20 30 >"$NT_TMP/m1.out" &
pm1=$!
nt_wait_count "198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000: multi-drop relay \(pid [0-9]+\), 3 outstations" 3
rp=$(relay_pid '198\.18\.0\.11:[0-9]*')
peer=$(sed -n "s/.*\(198\.18\.0\.11:[0-9]*\) on 0\.0\.0\.0:20000: multi-drop relay (pid $rp).*/\1/p" "$NT_LOG")
nt_wait_log "beta: info: connected $(re "$peer") "
wb=$(nt_worker_pid beta)
kill -9 "$wb"
nt_wait_log "outstation beta: the worker closed its link"
nt_wait_log "$(re "$peer") on 0\.0\.0\.0:20000: outstation beta again on its multi-drop relay \(pid $rp\)"
nt_wait_count "beta: info: connected $(re "$peer") " 2
touch "$stop"
wait_pid "$pm1" "$WAIT" "m1's master"
out=$(cat "$NT_TMP/m1.out")
echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=[0-9]+ end=done$' ||
	fail "m1's connection did not survive beta's worker: $out"
for a in 10 30; do
	echo "$out" | grep -qE "^addr $a lost=0 " || fail "outstation $a was disturbed by beta's worker: $out"
done
echo "$out" | grep -qE '^addr 20 lost=[0-9]+ answered_after_loss=[1-9][0-9]*$' ||
	fail "beta not served again on the connection: $out"
wait_for "$EV" "\"event\":\"disconnected\",.*\"outstation\":\"beta\",.*\"peer\":\"$peer\",\"reason\":\"worker died\"" "$WAIT" ||
	fail "no disconnected event (worker died) of beta"
echo "ok: beta's worker $wb killed: alpha and gamma undisturbed, beta again on the same connection ($(echo "$out" | tr '\n' ' '))"

# The relay's lockdown, seen from outside, while it serves m1; m2 has a
# multi-drop connection of its own (delta, epsilon).
md m1 stay "$S4" 20000 30 - 10 20 30 >"$NT_TMP/m1.out" &
pm1=$!
md m2 stay "$S4" 20000 4 - 10 20 >"$NT_TMP/m2.out" &
pm2=$!
nt_wait_log "198\.18\.0\.12:[0-9]+ on 0\.0\.0\.0:20000: multi-drop relay \(pid [0-9]+\), 2 outstations"
nt_wait_count "198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000: multi-drop relay \(pid [0-9]+\), 3 outstations" 4
rp=$(relay_pid '198\.18\.0\.11:[0-9]*')
nt_wait_log "relay\[$rp\]: info: locked down"
nt_locked_down "$rp" relay

# SIGKILL of m1's relay: its connection only.
n=$(grep -cE 'alpha: info: disconnected' "$NT_LOG")
kill -9 "$rp"
nt_wait_log "multi-drop relay \(pid $rp\) for 198\.18\.0\.11:[0-9]+ on 0\.0\.0\.0:20000 killed by signal SIGKILL; its connection is closed"
wait_pid "$pm1" "$WAIT" "m1's master"
grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=[0-9]+ end=closed$' "$NT_TMP/m1.out" ||
	fail "m1's connection was not closed: $(cat "$NT_TMP/m1.out")"
# alpha's link ends either way: EOF, or ECONNRESET when its last answer
# was still unread in the killed relay's socket (Linux resets a unix
# stream whose peer closed with data queued).
nt_wait_count 'alpha: info: disconnected \((closed by peer|socket error)\) 198\.18\.0\.11:' $((n + 1))
wait_pid "$pm2" "$WAIT" "m2's master"
out=$(cat "$NT_TMP/m2.out")
echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 end=done$' ||
	fail "m2's connection was disturbed: $out"
out1=$(md m1 drop "$S4" 20000 1 10 20 30 | tail -1)
[ "$out1" = "frames sent=$((6 + 1 + 3 + 6)) received=$((3 * 5)) rounds=1 answered=3 lost=0" ] ||
	fail "after the kill, m1: $out1"
[ "$(grep -cE 'worker [a-z]+ \(pid [0-9]+\) .*restarting' "$NT_LOG")" = 1 ] ||
	fail "a worker other than beta's was restarted"
echo "ok: relay $rp killed: m1's connection closed, m2's undisturbed ($(echo "$out" | head -1)), m1 served again"

# dnp3d -t: multidrop needs route = "link_address", and no tls.
printf '%s\n' 'servers = ( { listen = "0.0.0.0:20000"; multidrop = true;' \
    'outstations = ( { name = "a"; filter = "any"; address = 10; master = 1; } ); } );' \
    >"$NT_TMP/bad.conf"
out=$("$DNP3D" -t -c "$NT_TMP/bad.conf" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "dnp3d -t accepted multidrop without route (rc $rc)"
echo "$out" | grep -qF 'servers.[0].multidrop: needs route = "link_address"' || fail "dnp3d -t: $out"
. "$(dirname "$0")/lib_tls.sh"
C=$NT_TMP/certs
mkdir -p "$C"
tls_ca "$C" ca
tls_leaf "$C" server ca /CN=dnp3d-test DNS:dnp3d-test
chmod 600 "$C"/*.key
printf '%s\n' 'servers = ( { listen = "0.0.0.0:20000"; multidrop = true;' \
    "route = \"link_address\"; $(tls_server_group "$C")" \
    'outstations = ( { name = "a"; filter = "any"; address = 10; master = 1; } ); } );' \
    >"$NT_TMP/bad.conf"
out=$("$DNP3D" -t -c "$NT_TMP/bad.conf" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "dnp3d -t accepted multidrop with tls (rc $rc)"
echo "$out" | grep -qF 'servers.[0].route: "link_address" cannot be combined with tls' ||
	fail "dnp3d -t: $out"
echo "ok: dnp3d -t refuses both"

stop_timed "$evpid" "dnp3-events"
nt_stop
echo PASS
