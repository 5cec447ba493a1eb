#!/usr/bin/env bash
# tshark on live traffic: a capture on the server namespace's eth0 (TCP
# port 20000, bounded by -a duration) while masters on IPv4 and IPv6 poll
# their outstations, and dnp3-master polls a third (link status,
# integrity polls, reads, controls). Then tests/wire/tshark_check.sh
# decodes the capture: no packet malformed, no expert warning or error,
# and exactly as many DNP3 frames as the payload holds (parsed here; at
# least the link frames the masters counted plus the application traffic).
set -u
. "$(dirname "$0")/lib.sh"
need_root
command -v tshark >/dev/null || skip "tshark not installed"
. "$(dirname "$0")/lib_netns.sh"
[ -f "$(dirname "$0")/../wire/tshark_check.sh" ] || fail "tests/wire/tshark_check.sh missing"
M=${BUILD:-}/tools/dnp3-master/dnp3-master
[ -x "$M" ] || fail "$M not built"

nt_init 3
S4=$NETNS_SRV_V4
S6=$NETNS_SRV_V6
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  outstations = (
    { name = "alpha"; filter = "198.18.0.11"; address = 10; master = 1; },
    { name = "gamma"; filter = "198.18.0.13"; address = 30; master = 1;
      database = { binary_input = { count = 10; }; analog_input = { count = 10; };
        counter = { count = 4; }; binary_output = { count = 2; };
        analog_output = { count = 2; }; octet_string = { count = 2; }; }; }
  );
}, {
  listen = "[::]:20000";
  outstations = ( { name = "beta"; filter = "fd64:d3::c"; address = 20; master = 1; } );
} );')
nt_start "$conf"
nt_need_app m3 30

cap=$NT_TMP/live.pcap
nt_capture_start "$cap"

nt_client m1 poll "$S4" 20000 10 1 20 >"$NT_TMP/alpha.out" &
p1=$!
nt_client m2 poll "$S6" 20000 20 1 20 >"$NT_TMP/beta.out" &
p2=$!
in_ns m3 timeout 10 "$M" -a 30 --repeat 10 "$S4:20000" link-status \
    >"$NT_TMP/tool.out" 2>&1 ||
	fail "dnp3-master link-status: $(cat "$NT_TMP/tool.out")"
grep -q "^link-status: 10 requests, 0 failed" "$NT_TMP/tool.out" ||
	fail "dnp3-master: $(cat "$NT_TMP/tool.out")"
tool=20
for c in "--repeat 10 integrity" "operate 1 latch_on" "analog 0 2.5" \
    "read 30 5" "class 1 2 3"; do
	# shellcheck disable=SC2086
	in_ns m3 timeout 10 "$M" -a 30 "$S4:20000" $c >"$NT_TMP/tool.out" 2>&1 ||
		fail "dnp3-master $c: $(cat "$NT_TMP/tool.out")"
done
wait_pid "$p1" "$WAIT" "alpha's master"
wait_pid "$p2" "$WAIT" "beta's master"
frames=$tool
for o in alpha beta; do
	out=$(cat "$NT_TMP/$o.out")
	echo "$o: $out"
	echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 .*end=done$' ||
		fail "$o's master: $out"
	sent=$(echo "$out" | sed 's/^poll sent=\([0-9]*\) .*/\1/')
	frames=$((frames + 2 * sent))
done
nt_capture_stop "$cap"
echo "captured $(tshark -n -r "$cap" -Y 'tcp.port == 20000' 2>/dev/null | wc -l) packets on port 20000; the masters counted $frames link frames ($tool from dnp3-master link-status)"

# The frames on the wire, counted without Wireshark's DNP3 dissector
# (nt_wire_frames). With link-layer traffic only, this must be exactly
# what the masters counted.
onwire=$(nt_wire_frames "$cap") || fail "parsing the capture: $onwire"
[ "$onwire" -ge $((frames + 20)) ] ||
	fail "$onwire frames on the wire, want at least $frames + 20 (application layer); tshark: $(cat "$NT_TMP/tshark.err")"
echo "$onwire frames on the wire: $frames link-layer, $((onwire - frames)) from dnp3-master's application requests"
frames=$onwire

out=$(nt_tshark_check "$cap" "$frames") || fail "tshark check: $out"
echo "$out"
# The count is really checked: one frame more than seen must fail.
nt_tshark_check "$cap" $((frames + 1)) >/dev/null 2>&1 &&
	fail "tshark check accepted a wrong frame count"

nt_stop
echo "measured: $frames DNP3 frames on the wire (IPv4 and IPv6; link layer and application layer), all decoded, none malformed, no expert warnings"
echo PASS
