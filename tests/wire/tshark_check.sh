#!/bin/bash
# tshark_check.sh [--corrupt-header|--corrupt-body|--live] GENERATOR OUT.pcap
#
# Runs a wire generator (it prints "frames N"), then has tshark decode the
# pcap. Fails when any packet is malformed or carries an expert warning or
# error, or when tshark decodes a different number of DNP3 link frames than
# the generator wrote.
#
# --live is for a capture of real TCP on a busy machine: there TCP itself
# may retransmit (a retransmission, a D-SACK): a packet whose only expert
# items are TCP's sequence analysis is not a problem of our bytes, and a
# retransmitted segment is not decoded (or counted) twice.
#
# Self-test of the check (for gen_link, whose first data packets are a
# request link status, its link status, then user data): --corrupt-header
# flips one bit of the first frame's header CRC, --corrupt-body one bit of
# the third frame's user data; the verdict is inverted, the check must fail.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"

corrupt=0 live=0
case "${1:-}" in
--corrupt-header) corrupt=1; shift ;;
--corrupt-body) corrupt=2; shift ;;
--live) live=1; shift ;;
esac
[ $# -eq 2 ] || {
	echo "usage: $0 [--corrupt-header|--corrupt-body|--live] GENERATOR OUT.pcap" >&2
	exit 2
}
gen=$1
pcap=$2
command -v tshark >/dev/null || skip "tshark not installed"

out=$("$gen" "$pcap") || fail "$gen exited with $?"
want=$(printf '%s\n' "$out" | sed -n 's/^frames \([0-9][0-9]*\)$/\1/p')
[ -n "$want" ] || fail "$gen printed no frame count: $out"

if [ $corrupt != 0 ]; then
	# pcap header 24, three handshake packets of 16 + 54 bytes, then data
	# packets (record 16 + headers 54 + payload): one frame each here.
	first=$((24 + 3 * 70 + 16 + 54))
	if [ $corrupt = 1 ]; then
		off=$((first + 8))		# header CRC, low byte
	else
		off=$((first + 2 * (16 + 54 + 10) + 10 + 3))	# user data
	fi
	byte=$(od -An -tu1 -j $off -N1 "$pcap" | tr -d ' ')
	printf "$(printf '\\%03o' $((byte ^ 1)))" |
	    dd of="$pcap" bs=1 seek=$off conv=notrunc status=none ||
	    fail "cannot corrupt $pcap"
fi

# tshark's stdout only; its complaints go to OUT.pcap.err, and a failing
# tshark (unreadable file, bad filter) fails the check rather than count 0.
ts() { tshark -n -r "$pcap" -o tcp.check_checksum:FALSE \
    -o tcp.no_subdissector_on_error:$([ $live = 1 ] && echo TRUE || echo FALSE) \
    "$@" 2>"$pcap.err"; }

# Wireshark's DNP3 dissector (4.0) expects a transport byte after the
# header of every frame whose function is not reset link states, ACK,
# request link status or link status, so a correct 5-byte NACK, test link
# states or NOT_SUPPORTED (and reset of user process, function 1) is shown
# "malformed". Only that exact case is tolerated: one frame in the packet,
# LEN 5, good header CRC, and the malformed mark its only expert item.
tolerated='_ws.malformed && count(_ws.expert) == 1 && count(dnp3.start) == 1
    && dnp3.len == 5 && dnp.hdr.CRC.status == 1
    && (dnp3.ctl.prifunc in {1, 2} || dnp3.ctl.secfunc in {1, 15})'
problem="(_ws.malformed || _ws.expert.severity >= 0x600000) && !($tolerated)"
# 0x02000000: Wireshark's expert group "Sequence" (TCP's analysis)
[ $live = 1 ] && problem="$problem && !(all _ws.expert.group == 0x02000000
    && !_ws.malformed)"

verdict() {
	local bad got
	bad=$(ts -Y "$problem" -T fields -e frame.number) ||
	    { echo "tshark failed: $(cat "$pcap.err")"; return 1; }
	got=$(ts -T fields -E occurrence=a -E aggregator=, -e dnp3.start) ||
	    { echo "tshark failed: $(cat "$pcap.err")"; return 1; }
	bad=$(printf '%s' "$bad" | grep -c .)
	got=$(printf '%s' "$got" | tr ',' '\n' | grep -c .)
	if [ "$bad" -ne 0 ]; then
		echo "$bad packet(s) malformed or with expert warnings/errors:"
		ts -Y "$problem" -V | grep -E '^Frame |Expert Info|Malformed' |
		    head -40
		return 1
	fi
	if [ "$got" -ne "$want" ]; then
		echo "tshark decoded $got DNP3 frames, generator wrote $want"
		return 1
	fi
	echo "ok: $want DNP3 frames, none malformed, no expert warnings"
	return 0
}

if [ $corrupt = 0 ]; then
	verdict || fail "$pcap"
	exit 0
fi
if msg=$(verdict); then
	fail "check passed a corrupted pcap: $msg"
fi
echo "ok: corrupted pcap rejected:"
printf '%s\n' "$msg" | sed 's/^/  /'
exit 0
