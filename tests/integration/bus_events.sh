#!/usr/bin/env bash
# The bus of a running dnp3d, as a user sees it with dnp3-events, plain
# nanocat, dnp3-update and dnp3-master:
#  - the runtime directory is 0750 and the socket 0660, both in the
#    service group (as root);
#  - connected, disconnected (replaced), connected, rejected, disconnected
#    (closed by peer), in that order, for: a master from 127.0.0.2, a second
#    one from the same address replacing it, 127.0.0.9 refused, the master
#    closing; plain nanocat -A shows the same JSON;
#  - an update sent with dnp3-update is read by a master, as a static value
#    and as an event;
#  - every bad message gets its error on the bus (from the hub or the
#    outstation), and the worker keeps serving with the same pid;
#  - a bad frame: link_error (closed), then disconnected (link error);
#  - kill -9 of the worker with a master connected: worker_exited
#    (SIGKILL, restart delay), worker_started with the new pid, whose
#    events start again at seq 1, then connected from the new worker for
#    the same master (its connection was kept and handed back);
#  - SIGTERM with a master connected: disconnected (shutdown) and
#    worker_exited (exit 0) still reach the bus; no seccomp kill at all.
# Everything is on loopback; every wait is bounded; only processes started
# here are stopped, by pid.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$EVENTS" "$UPDATE" "$MASTER"
command -v nanocat >/dev/null || skip "nanocat (nanomsg-utils) is needed"
command -v jq >/dev/null || skip "jq is needed"

EVPID=

port=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.2"; address = 7;
    master = 1; database = { analog_input = { count = 4; class = 1; };
    counter = { count = 2; }; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"
wpid=$(lw_worker_pids)
[ "$(echo "$wpid" | wc -w)" = 1 ] || fail "expected one worker, got '$wpid'"

# 1. who may join: 0750 directory, 0660 socket, the service group's
if [ "$(id -u)" = 0 ]; then
	grp=$(id -gn dnp3d 2>/dev/null || id -gn nobody)
	v=$(stat -c '%a %U %G' "$run")
	[ "$v" = "750 root $grp" ] || fail "$run: '$v', want '750 root $grp'"
	v=$(stat -c '%a %U %G %F' "$run/bus.ipc")
	[ "$v" = "660 root $grp socket" ] ||
		fail "bus.ipc: '$v', want '660 root $grp socket'"
else
	echo "not root: permissions not checked" >&2
fi

# events NAME ARGS...: dnp3-events --json in the background until joined.
# Its -t bounds a hang, not a wait: finish waits for the events themselves.
events() {
	local name=$1
	shift
	timeout -k 2 310 "$EVENTS" -v --json -u "$URL" -t 300 "$@" \
	    >"$LW_TMP/$name.out" 2>"$LW_TMP/$name.err" &
	EVPID=$!
	LW_BG+=($EVPID)
	wait_for "$LW_TMP/$name.err" "joined the bus" "$WAIT" ||
	    fail "dnp3-events $name did not join: $(cat "$LW_TMP/$name.err")"
}

# finish NAME: the last dnp3-events started must exit 0 (COUNT seen).
finish() {
	wait_pid "$EVPID" 350 "dnp3-events $1" ||
	    fail "dnp3-events $1 exited $?: $(cat "$LW_TMP/$1.out" "$LW_TMP/$1.err")"
}

# collected NAME FILTER: until the events of the last dnp3-events started
# (NAME, without -n) satisfy the jq -s FILTER (bounded), then it is
# stopped and must exit 0; the caller checks what it got. For a collector
# that may also get an event of what came before it: dnp3-events prints
# what reaches it before its join is made, and an event of a master that
# ended just before can be on its way then.
collected() {
	wait_jq "$LW_TMP/$1.out" "$2"
	stop_timed "$EVPID" "dnp3-events $1" ||
	    fail "dnp3-events $1 exited $?: $(cat "$LW_TMP/$1.out" "$LW_TMP/$1.err")"
}

# 2. the connection events, in order
events conn -e connected -e disconnected -e rejected -n 5
# nanocat pings the hub (every 0.2 s): its first pong says it has joined
timeout -k 2 20 nanocat --bus --connect "$URL" -A -i 0.2 \
    -D '{"op":"ping","id":1}' >"$LW_TMP/nanocat.out" 2>&1 &
LW_BG+=($!)
wait_for "$LW_TMP/nanocat.out" '"event":"pong"' "$WAIT" ||
	fail "nanocat did not join: $(cat "$LW_TMP/nanocat.out")"
PYTHONPATH=$LW_TMP python3 - "$port" "$LW_TMP/conn.out" <<'PY' || fail "masters did not behave"
import socket, struct, sys, time
from lib_dnp3link import crc
port = int(sys.argv[1])

def seen(text, n):
    """Wait (10 s at most) until dnp3-events has shown text n times."""
    for _ in range(100):
        with open(sys.argv[2]) as f:
            if f.read().count(text) >= n:
                return
        time.sleep(0.1)
    sys.exit("dnp3-events never showed %s %d times" % (text, n))

def link_status(s):
    h = bytes([0x05, 0x64, 5, 0xC9]) + struct.pack('<HH', 7, 1)
    s.sendall(h + crc(h))
    r = s.recv(10)
    assert r[:3] == b'\x05\x64\x05' and r[3] & 0x0F == 0x0B, r.hex()

def master(src):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(10)
    s.connect(('127.0.0.1', port))
    return s

a = master('127.0.0.2'); link_status(a); seen('"connected"', 1)
b = master('127.0.0.2'); link_status(b); seen('"connected"', 2)
assert a.recv(1) == b'', 'replaced master not closed'
c = master('127.0.0.9')
assert c.recv(1) == b'', 'refused master not closed'
# the listener's event and the worker's take different ways to the hub
seen('"rejected"', 1)
b.close()
PY
finish conn
got=$(jq -r '[.event, .reason // "", .peer // ""] | join(" ")' \
    "$LW_TMP/conn.out" | sed 's/:[0-9]*$//')
want="connected  127.0.0.2
disconnected replaced 127.0.0.2
connected  127.0.0.2
rejected no outstation matches 127.0.0.9
disconnected closed by peer 127.0.0.2"
[ "$got" = "$want" ] || fail "connection events:
$got
want:
$want"
# The worker's events name outstation, endpoint and source; seq goes up.
v=$(jq -r 'select(.source == "solo") | [.outstation, .endpoint] |
    join(" ")' "$LW_TMP/conn.out" | sort -u)
[ "$v" = "solo 127.0.0.1:$port" ] || fail "worker event fields: $v"
jq -e -s '[.[] | select(.source == "solo") | .seq] as $s |
    $s == ($s | sort) and ($s | length) == 4' "$LW_TMP/conn.out" >/dev/null ||
	fail "worker event seq not increasing: $(cat "$LW_TMP/conn.out")"
jq -e -s 'all(.[]; .time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$"))' \
    "$LW_TMP/conn.out" >/dev/null || fail "bad event time: $(cat "$LW_TMP/conn.out")"
# The old connection's disconnected comes before the new one's connected
# (checked above), and with the old peer's port.
p1=$(jq -r 'select(.event == "connected") | .peer' "$LW_TMP/conn.out" | head -1)
p2=$(jq -r 'select(.reason == "replaced") | .peer' "$LW_TMP/conn.out")
[ "$p1" = "$p2" ] || fail "replaced names $p2, first master was $p1"

# 3. plain nanocat -A showed the same JSON
wait_for "$LW_TMP/nanocat.out" '"event":"rejected"' "$WAIT" ||
	fail "nanocat: $(cat "$LW_TMP/nanocat.out")"
grep -qF "$(jq -c 'select(.reason == "replaced")' "$LW_TMP/conn.out")" \
    "$LW_TMP/nanocat.out" || fail "nanocat did not show the replaced event"

# 4. an update is what a master reads, as a value and as an event. The
#    update reaches the worker through the hub after dnp3-update is done:
#    the static value is read until it is there (bounded); the event was
#    made with it.
"$UPDATE" -u "$URL" solo analog_input 2 1234 2>"$LW_TMP/up.err" ||
	fail "good update: exit $? $(cat "$LW_TMP/up.err")"
out=$(read_until "^g30v[0-9] index=2 value=1234 flags=ONLINE$" \
    "$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" read 30 0 2 2) ||
	fail "static value not updated: exit $?:
$out"
out=$("$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" class 1 2 3) ||
	fail "class poll: exit $?: $out"
echo "$out" | grep -qE "^g32v[0-9] index=2 value=1234 " ||
	fail "no analog input event with the value:
$out"

# 5. bad messages: each gets its error, from the hub or the outstation
events err -e error -n 6
expect_err() {	# WHO WHAT ARGS...: dnp3-update must exit 1 with that error
	local who=$1 what=$2
	shift 2
	"$UPDATE" -u "$URL" -w "$WAIT_MS" "$@" 2>"$LW_TMP/bad.err" &&
		fail "dnp3-update $*: exit 0"
	grep -qF "dnp3-update: $who says: $what" "$LW_TMP/bad.err" ||
		fail "dnp3-update $*: $(cat "$LW_TMP/bad.err")"
}
expect_err hub "not JSON" --json 'not json'
expect_err hub "unknown outstation" nosuch counter 0 1
expect_err solo "unknown type" --json \
    '{"op":"update","outstation":"solo","type":"bogus","index":0,"value":1}'
expect_err solo "index out of range: index 9, but analog_input has 4 points" \
    solo analog_input 9 1
expect_err solo "wrong value type" solo counter 1 notanumber
head -c 70000 /dev/zero | tr '\0' 'x' >"$LW_TMP/big"
timeout -k 2 5 nanocat --bus --connect "$URL" -d 1 -F "$LW_TMP/big" >/dev/null 2>&1
finish err
got=$(jq -r '[.source, .error] | join(": ")' "$LW_TMP/err.out")
want="hub: not JSON
hub: unknown outstation
solo: unknown type
solo: index out of range
solo: wrong value type
hub: message too big"
[ "$got" = "$want" ] || fail "error events:
$got
want:
$want"
# ... and the worker kept serving, the same process
out=$("$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" link-status) ||
	fail "link status after bad messages: exit $?: $out"
[ "$(lw_worker_pids)" = "$wpid" ] || fail "worker restarted: $(lw_worker_pids)"
kill -0 "$wpid" 2>/dev/null || fail "worker $wpid is gone"
# nothing of the bad batch was applied
out=$("$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" read 30 0 0 3)
[ "$(echo "$out" | grep -c "value=1234 ")" = 1 ] || fail "values changed: $out"

# 6. a bad frame (link error mode close): link_error, then disconnected.
#    The events of that connection (its peer): the master of the read
#    above may have its disconnected on the way still.
events linkerr -e link_error -e disconnected
peer=$(python3 - "$port" <<'PY'
import socket, sys
s = socket.socket()
s.bind(('127.0.0.2', 0))
s.settimeout(10)
s.connect(('127.0.0.1', int(sys.argv[1])))
s.sendall(bytes.fromhex('056405c9070001000000'))	# header CRC zeroed
assert s.recv(1) == b''
print('%s:%d' % s.getsockname())
PY
) || fail "bad frame: the connection was not closed"
collected linkerr "any(.[]; .peer == \"$peer\" and .event == \"disconnected\")"
got=$(jq -r --arg p "$peer" 'select(.peer == $p) |
    [.event, .action // .reason, .what // ""] | join(" ")' "$LW_TMP/linkerr.out")
[ "$got" = "link_error closed bad header CRC
disconnected link error " ] || fail "link error events of $peer: $got
all: $(cat "$LW_TMP/linkerr.out")"
[ "$(lw_worker_pids)" = "$wpid" ] || fail "worker restarted on a bad frame"

# 7. kill -9 with a master connected: worker_exited with SIGKILL and the
#    delay, worker_started, then the new worker's connected for the same
#    master: the listener kept its connection (dnp3d(8) STATE)
# hold_master: a master from 127.0.0.2 that stays connected until the
# test ends (lw_cleanup kills it; 300 s bounds a hang), never by a time that
# a slow worker restart could outlast. Returns when the worker has logged
# it; held is its address:port.
MCONN="worker solo: master 127\.0\.0\.2:[0-9]+ connected"
hold_master() {
	local n
	n=$(grep -cE "$MCONN" "$LW_LOG")
	timeout -k 2 310 python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.2", 0))
s.connect(("127.0.0.1", int(sys.argv[1]))); time.sleep(300)' "$port" &
	LW_BG+=($!)
	wait_count "$LW_LOG" "$MCONN" $((n + 1)) "$WAIT" ||
		fail "the held master was not connected"
	held=$(sed -n 's/.*worker solo: master \(127\.0\.0\.2:[0-9]*\) connected.*/\1/p' \
	    "$LW_LOG" | tail -1)
}
hold_master
# Joined after the held master's own connected was logged; that event
# itself may still reach it: what counts starts at worker_exited, and only
# that event may come before.
events life -e disconnected -e worker_exited -e worker_started -e connected
kill -9 "$wpid"
from_exit='(map(.event) | index("worker_exited")) as $i |
    if $i == null then [] else .[$i:] end'
collected life "$from_exit | length >= 3"
v=$(jq -r -s "(map(.event) | index(\"worker_exited\")) as \$i |
    .[:\$i // 0][] | [.event, .peer] | join(\" \")" "$LW_TMP/life.out" | sort -u)
[ -z "$v" ] || [ "$v" = "connected $held" ] ||
	fail "before worker_exited: $v"
got=$(jq -r -s "$from_exit | .[] | [.event, .source, .peer // \"\"] | join(\" \")" \
    "$LW_TMP/life.out")
[ "$got" = "worker_exited listener 
worker_started listener 
connected solo $held" ] || fail "events of a killed worker:
$got"
lw_wait_log "solo: master $held kept for the next worker"
v=$(jq -r 'select(.event == "worker_exited") | [.outstation, .pid, .signal,
    .signal_number, (.restart_in_ms > 0)] | join(" ")' "$LW_TMP/life.out")
[ "$v" = "solo $wpid SIGKILL 9 true" ] || fail "worker_exited: $v"
npid=$(jq -r 'select(.event == "worker_started") | .pid' "$LW_TMP/life.out")
[ -n "$npid" ] && [ "$npid" != "$wpid" ] || fail "worker_started: '$npid'"
lw_wait_log "worker solo ready \(pid $npid\)"
# The new worker joined the bus: its events start again at seq 1, which
# is its `restarted` event (kind process, its state kept), then the held
# master's connected (2); a new master replaces it: disconnected (3),
# connected (4). The held master's connected may reach the collector too:
# the new master's is the one of another peer.
events again -e connected
"$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" link-status >/dev/null ||
	fail "new worker does not answer"
collected again "any(.[]; .peer != \"$held\")"
v=$(jq -r --arg h "$held" 'select(.peer != $h) | [.source, .seq] |
    join(" ")' "$LW_TMP/again.out")
[ "$v" = "solo 4" ] || fail "new worker's connected: $v
all: $(cat "$LW_TMP/again.out")"

grep "killed by seccomp" "$LW_LOG" && fail "a worker broke its seccomp filter"

# 8. SIGTERM with a master connected: its disconnected (shutdown) and the
#    worker's exit still reach the bus before the hub closes. The events
#    of the held master and the worker: the disconnected of the master
#    before may be on its way still.
events stop -e disconnected -e worker_exited
hold_master
mine="select(.event == \"worker_exited\" or .peer == \"$held\")"
lw_stop
collected stop "[.[] | $mine] | length >= 2"
got=$(jq -r "$mine"' | [.event, .reason // (.exit_code | tostring)] |
    join(" ")' "$LW_TMP/stop.out")
[ "$got" = "disconnected shutdown
worker_exited 0" ] || fail "at shutdown: $got"
echo "PASS"
