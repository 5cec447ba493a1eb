#!/usr/bin/env bash
# A TLS session, captured on loopback, decrypted by tshark with the key log
# dnp3-master writes (SSLKEYLOGFILE): every TLS record of the session
# carries DNP3 that tshark decodes with no malformed packet and no expert
# warning or error, and the number of DNP3 frames matches what the master
# exchanged (one request and one response per link-status round trip).
# Without the key log, tshark sees TLS application data and no DNP3.
set -u
. "$(dirname "$0")/lib.sh"
need_root
command -v tshark >/dev/null || skip "tshark not installed"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_tls.sh"
lw_need_built "$MASTER"

C=$LW_TMP/certs
mkdir -p "$C"
tls_certs "$C"
port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  $(tls_server_group "$C")
  outstations = ( { name = "secure"; filter = "any"; address = 10; master = 1;
    database = { analog_input = { count = 5; }; binary_input = { count = 5; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

cap=$LW_TMP/tls.pcap
# The master comes from 127.0.0.7: other tests may use loopback meanwhile.
# The test stops tshark; its own bound is the test's (a busy machine
# made a 60 s bound end the capture early).
tshark -n -q -i lo -f "host 127.0.0.7 and (tcp port $port or tcp port 9)" \
    -a duration:300 -F pcap -w "$cap" 2>"$LW_TMP/tshark.err" &
TS=$!
LW_BG+=($TS)
# "Capturing on" comes before packets are really seen (a capture that
# missed the first handshake decrypted nothing of that session): probe
# port 9 (refused) until the capture file has a packet.
probe() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.7", 0)); s.settimeout(1)
try: s.connect(("127.0.0.1", 9))
except OSError: pass'
}
for i in $(seq 1 "$WAIT"); do
	kill -0 "$TS" 2>/dev/null || fail "tshark: $(cat "$LW_TMP/tshark.err")"
	probe
	[ "$(stat -c %s "$cap" 2>/dev/null || echo 0)" -gt 24 ] && break
	sleep 0.1
done
[ "$(stat -c %s "$cap" 2>/dev/null || echo 0)" -gt 24 ] ||
	fail "tshark captured nothing: $(cat "$LW_TMP/tshark.err")"

KL=$LW_TMP/keys.log
m() {
	SSLKEYLOGFILE=$KL timeout 30 "$MASTER" -b 127.0.0.7 --tls-ca "$C/ca.pem" \
	    --tls-cert "$C/master.pem" --tls-key "$C/master.key" \
	    "127.0.0.1:$port" "$@" >"$LW_TMP/m.out" 2>&1 ||
		fail "dnp3-master $*: $(cat "$LW_TMP/m.out")"
}
m --repeat 10 link-status
grep -q "^link-status: 10 requests, 0 failed" "$LW_TMP/m.out" ||
	fail "dnp3-master: $(cat "$LW_TMP/m.out")"
m integrity
[ -s "$KL" ] || fail "SSLKEYLOGFILE $KL is empty"

# The capture ends when both sessions' ends are in it (FIN, then FIN or RST).
for i in $(seq 1 "$WAIT"); do
	n=$(tshark -n -r "$cap" -Y "tcp.flags.fin == 1 || tcp.flags.reset == 1" \
	    2>/dev/null | wc -l)
	[ "$n" -ge 4 ] && break
	sleep 0.1
done
kill -INT "$TS"
wait_pid "$TS" "$WAIT" tshark || fail "tshark exited $?: $(cat "$LW_TMP/tshark.err")"

# A segment TCP retransmitted (a busy machine) is not decoded twice.
ts() {
	tshark -n -r "$cap" -o tcp.check_checksum:FALSE \
	    -o tcp.no_subdissector_on_error:TRUE -d "tcp.port==$port,tls" \
	    "$@" 2>>"$LW_TMP/ts.err"
}
plain=$(ts -Y dnp3 | wc -l)
[ "$plain" = 0 ] || fail "$plain DNP3 packets readable without the key log"
apps=$(ts -Y "tls.app_data" | wc -l)
# at least the 11 requests, each written alone (the master waits)
[ "$apps" -ge 11 ] || fail "only $apps TLS application data packets"

dec() { ts -o "tls.keylog_file:$KL" -d "tls.port==$port,dnp3" "$@"; }
frames=$(dec -Y dnp3 -T fields -e dnp3.start | tr ',' '\n' | grep -c .)
# Warnings (0x00600000) and errors; TCP's own (a reset at the end, a
# retransmission: expert group "Sequence", 0x02000000) aside.
bad='(tls || dnp3) && (_ws.malformed || _ws.expert.severity >= 0x00600000) &&
    !(all _ws.expert.group == 0x02000000 && !_ws.malformed)'
n=$(dec -Y "$bad" | wc -l)
[ "$n" = 0 ] || fail "$n malformed or warned packets: $(dec -Y "$bad" -V | grep -iE 'expert|malformed' | head -5)"
# 10 link-status requests and answers, the integrity request and its
# response (at least one frame each).
[ "$frames" -ge 22 ] || fail "$frames DNP3 frames decrypted, want at least 22"
ls=$(dec -Y "dnp3.ctl.prifunc == 9 || dnp3.ctl.secfunc == 11" | wc -l)
[ "$ls" = 20 ] || fail "$ls link-status frames decrypted, want 20"
echo "measured: $apps TLS application records, $frames DNP3 frames inside, all decoded clean, none without the key log"
lw_stop
echo PASS
