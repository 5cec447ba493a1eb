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
CHECK=$(cd "$(dirname "$0")/../wire" && pwd)/tshark_check.sh
[ -f "$CHECK" ] || fail "$CHECK missing"
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

# tshark runs in d3t-srv: nt_exit's netns_cleanup ends it, if need be.
cap=$NT_TMP/live.pcap
# The test stops tshark; its own bound is the test's timeout.
ip netns exec "${NETNS_PREFIX}-srv" tshark -n -q -i eth0 \
    -f 'tcp port 20000 or tcp port 9' -a duration:300 -F pcap -w "$cap" \
    2>"$NT_TMP/tshark.err" &
TS_PID=$!
# "Capturing on" comes before packets are really seen, and the file is
# written in chunks: probe port 9 (refused) until the capture has packets.
for i in $(seq 1 100); do
	kill -0 "$TS_PID" 2>/dev/null || fail "tshark: $(cat "$NT_TMP/tshark.err")"
	_netns_reachable m1 "$S4"
	[ "$(stat -c %s "$cap" 2>/dev/null || echo 0)" -gt 24 ] && break
	sleep 0.05
done
[ "$(stat -c %s "$cap" 2>/dev/null || echo 0)" -gt 24 ] ||
	fail "tshark captured nothing: $(cat "$NT_TMP/tshark.err")"
echo "capture running after $i probe(s) to port 9"

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
wait_pid "$p1" 100 "alpha's master"
wait_pid "$p2" 100 "beta's master"
frames=$tool
for o in alpha beta; do
	out=$(cat "$NT_TMP/$o.out")
	echo "$o: $out"
	echo "$out" | grep -qE '^poll sent=[0-9]+ answered=[0-9]+ lost=0 .*end=done$' ||
		fail "$o's master: $out"
	sent=$(echo "$out" | sed 's/^poll sent=\([0-9]*\) .*/\1/')
	frames=$((frames + 2 * sent))
done
# Every connection closed at the server: its last FIN and the masters'
# last ACKs have passed eth0, where tshark captures.
for i in $(seq 1 100); do
	open=$(ip netns exec "${NETNS_PREFIX}-srv" ss -Htn state established \
	    state close-wait state last-ack state fin-wait-1 state fin-wait-2 \
	    state closing '( sport = :20000 )' | wc -l)
	[ "$open" = 0 ] && break
	sleep 0.05
done
[ "$open" = 0 ] || fail "$open connections still open at the server"
# tshark writes its file some time after it saw the packets: probe port
# 9 again until a probe is in the file; everything before it is too.
probes() {
	tshark -n -r "$cap" -Y 'tcp.dstport == 9' 2>/dev/null | wc -l
}
n0=$(probes)
for i in $(seq 1 50); do
	_netns_reachable m1 "$S4"
	[ "$(probes)" -gt "$n0" ] && break
	sleep 0.1
done
[ "$(probes)" -gt "$n0" ] ||
	fail "no probe reached the capture file: $(cat "$NT_TMP/tshark.err")"
kill -INT "$TS_PID"
for i in $(seq 1 50); do kill -0 "$TS_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$TS_PID" 2>/dev/null && fail "tshark did not stop"
wait "$TS_PID" || fail "tshark exited $?: $(cat "$NT_TMP/tshark.err")"
[ -s "$cap" ] || fail "no capture"
echo "captured $(tshark -n -r "$cap" -Y 'tcp.port == 20000' 2>/dev/null | wc -l) packets on port 20000; the masters counted $frames link frames ($tool from dnp3-master link-status)"

# The frames on the wire, counted without Wireshark's DNP3 dissector: the
# TCP payloads of each direction of each connection, parsed as link frames
# (start bytes, header CRC, length). With link-layer traffic only, this
# must be exactly what the masters counted.
onwire=$(tshark -n -r "$cap" -Y 'tcp.port == 20000 && tcp.len > 0 &&
    !tcp.analysis.retransmission && !tcp.analysis.spurious_retransmission' \
    -T fields -e tcp.stream -e tcp.srcport -e tcp.payload 2>/dev/null |
    PYTHONPATH=$NT_TMP python3 -c '
import sys
from lib_dnp3link import crc
streams = {}
for line in sys.stdin:
    st, port, hexdata = line.split()
    streams[(st, port)] = streams.get((st, port), b"") + bytes.fromhex(hexdata.replace(":", ""))
n = 0
for data in streams.values():
    while data:
        if len(data) < 10 or data[:2] != b"\x05\x64" or crc(data[:8]) != data[8:10]:
            sys.exit("not a DNP3 frame: " + data[:10].hex())
        u = data[2] - 5
        size = 10 + u + 2 * ((u + 15) // 16)
        if len(data) < size:
            sys.exit("truncated frame")
        data, n = data[size:], n + 1
print(n)') || fail "parsing the capture: $onwire"
[ "$onwire" -ge $((frames + 20)) ] ||
	fail "$onwire frames on the wire, want at least $frames + 20 (application layer); tshark: $(cat "$NT_TMP/tshark.err")"
echo "$onwire frames on the wire: $frames link-layer, $((onwire - frames)) from dnp3-master's application requests"
frames=$onwire

# tshark_check.sh takes a generator that writes the pcap and prints
# "frames N": here one that hands over the live capture, without the
# probes (a refused SYN is a TCP expert warning).
cat >"$NT_TMP/gen_live" <<GEN
#!/bin/sh
tshark -n -r "$cap" -Y 'tcp.port == 20000' -F pcap -w "\$1" 2>/dev/null &&
    echo "frames $frames"
GEN
chmod +x "$NT_TMP/gen_live"
out=$(bash "$CHECK" --live "$NT_TMP/gen_live" "$NT_TMP/check.pcap") || fail "tshark check: $out"
echo "$out"
# The count is really checked: one frame more than seen must fail.
sed -i "s/frames $frames/frames $((frames + 1))/" "$NT_TMP/gen_live"
bash "$CHECK" --live "$NT_TMP/gen_live" "$NT_TMP/check.pcap" >/dev/null 2>&1 &&
	fail "tshark check accepted a wrong frame count"

nt_stop
echo "measured: $frames DNP3 frames on the wire (IPv4 and IPv6; link layer and application layer), all decoded, none malformed, no expert warnings"
echo PASS
