#!/usr/bin/env bash
# dnp3-master listen: a small fake outstation (Python, 127.0.0.1) sends an
# unsolicited response with CON; dnp3-master must print its point and
# answer with an unsolicited confirm (UNS set, same sequence), exit 0 at
# the end of the listening time. A corrupted frame ends it with exit 1.
# Then dnp3d with unsolicited responses enabled: its first (null)
# unsolicited response, with DEVICE_RESTART, is printed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

M=$BUILD/tools/dnp3-master/dnp3-master
[ -x "$M" ] || fail "$M not built"
TMP=$LW_TMP
FAKE_PID=
cleanup() {
	[ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
	lw_cleanup
}
trap cleanup EXIT

cat >"$TMP/fake.py" <<'PY'
"""Accept one master, send one unsolicited response, print what comes back
as hex user data (CRCs removed), one frame per line. argv: mode (good|bad)."""
import socket, sys
from lib_dnp3link import crc  # beside it in $LW_TMP (lib_listener.sh)

def frame(ctrl, dest, src, data):
    h = bytes([0x05, 0x64, 5 + len(data), ctrl, dest & 0xFF, dest >> 8,
               src & 0xFF, src >> 8])
    out = h + crc(h)
    for i in range(0, len(data), 16):
        out += data[i:i + 16] + crc(data[i:i + 16])
    return out

s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
s.settimeout(60)
c, _ = s.accept()
c.settimeout(60)
# transport FIR FIN seq 0; app FIR FIN CON UNS seq 5, 130, IIN 0000;
# g30v1 start-stop 0..0: flags ONLINE, value 42
app = bytes([0xF5, 0x82, 0x00, 0x00, 0x1E, 0x01, 0x00, 0x00, 0x00,
             0x01, 0x2A, 0x00, 0x00, 0x00])
f = frame(0x44, 1, 10, bytes([0xC0]) + app)
if sys.argv[1] == "bad":
    f = f[:4] + bytes([f[4] ^ 0xFF]) + f[5:]
c.sendall(f)
buf = b""
try:
    while len(buf) < 10 + 3 + 2:
        d = c.recv(4096)
        if not d:
            break
        buf += d
    while c.recv(4096):     # until the master closes (or the timeout)
        pass
except (socket.timeout, ConnectionResetError):
    pass
while len(buf) >= 10:
    n = buf[2] - 5
    size = 10 + n + 2 * ((n + 15) // 16)
    body, data = buf[10:size], b""
    for i in range(0, len(body), 18):
        data += body[i:i + 18][:-2]
    print("%02x %s" % (buf[3], data.hex()), flush=True)
    buf = buf[size:]
PY

# start_fake MODE: sets port once the fake listens (at most $WAIT).
start_fake() {
	local i
	FAKE_OUT=$TMP/fake.$1.out
	python3 "$TMP/fake.py" "$1" >"$FAKE_OUT" 2>&1 &
	FAKE_PID=$!
	for i in $(seq 1 "$WAIT"); do
		port=$(head -1 "$FAKE_OUT" 2>/dev/null)
		[ -n "$port" ] && return 0
		sleep 0.1
	done
	fail "fake outstation did not start"
}

# The listening time: an unsolicited response must come within it from
# the connect, on a busy machine too ($WAIT). A listen without error lasts
# all of it, so the two below (to the fake and to dnp3d) run at once.
LISTEN=$((WAIT / 10))
# listen OUT HOST:PORT [--json]: dnp3-master listening, in the background
# (its pid in MPID), its output in OUT and OUT.err.
listen() {
	timeout $((LISTEN + 60)) "$M" ${3:-} "$2" listen "$LISTEN" >"$1" 2>"$1.err" &
	MPID=$!
	LW_BG+=($MPID)
}

dport=$(lw_port)
cat >"$TMP/dnp3d.conf" <<CONF
runtime_dir = "$TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$dport";
  outstations = ( { name = "unsol"; filter = "any"; address = 10; master = 1;
    unsolicited = { enabled = true; }; } );
} );
CONF
lw_start "$TMP/dnp3d.conf"
listen "$TMP/dnp3d.out" 127.0.0.1:"$dport" --json
to_dnp3d=$MPID

start_fake good
listen "$TMP/out" 127.0.0.1:"$port"
wait_pid "$MPID" $(( (LISTEN + 60) * 10 )) "dnp3-master listen"; rc=$?
wait_pid "$FAKE_PID" "$WAIT" "the fake outstation"; FAKE_PID=
[ "$rc" = 0 ] || fail "listen: exit $rc: $(cat "$TMP/out.err")"
grep -qxF "unsolicited seq=5 iin=0x0000" "$TMP/out" || fail "listen: $(cat "$TMP/out")"
grep -qxF "g30v1 index=0 value=42 flags=ONLINE" "$TMP/out" ||
	fail "listen: no point: $(cat "$TMP/out")"
# C4 = DIR PRM unconfirmed user data; C0 = transport FIR FIN;
# D5 00 = application confirm, FIR FIN UNS, sequence 5
[ "$(sed -n 2p "$FAKE_OUT")" = "c4 c0d500" ] ||
	fail "no unsolicited confirm: $(cat "$FAKE_OUT")"

# a corrupt frame ends the listening at once
start_fake bad
listen "$TMP/out" 127.0.0.1:"$port"
wait_pid "$MPID" $(( (LISTEN + 60) * 10 )) "dnp3-master listen"; rc=$?
wait_pid "$FAKE_PID" "$WAIT" "the fake outstation"; FAKE_PID=
[ "$rc" = 1 ] || fail "corrupt frame: exit $rc, want 1"
grep -q "link error from outstation: bad header CRC" "$TMP/out.err" ||
	fail "corrupt frame: $(cat "$TMP/out.err")"

wait_pid "$to_dnp3d" $(( (LISTEN + 60) * 10 )) "dnp3-master listen to dnp3d"; rc=$?
[ "$rc" = 0 ] || fail "listen to dnp3d: exit $rc: $(cat "$TMP/dnp3d.out.err")"
python3 - "$TMP/dnp3d.out" <<'PY' || fail "listen to dnp3d: $(cat "$TMP/dnp3d.out")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
u = [o for o in objs if o["type"] == "unsolicited"]
assert u and u[0]["fir"] and u[0]["fin"], objs
assert "DEVICE_RESTART" in u[0]["iin_bits"], objs
PY
lw_stop

echo PASS
