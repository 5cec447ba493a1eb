#!/usr/bin/env bash
# dnp3d serves DNP3 over TCP end to end: a master (outstation_client.py,
# which builds its own link frames, transport segments and requests) polls
# the outstations of a running dnp3d and checks the answers: integrity
# poll (function 129, IIN1.7, every static group), controls echoed into
# g10 (also from a broadcast, never answered, IIN1.0 after), unconfirmed
# events that survive a replaced connection, a 1,000-point database in
# several confirmed fragments, unsolicited responses, a master that does
# not read its responses closed, and the demo values of the embedded
# default when its port (20000) is free.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

# run NAME ARGS...: the client, its output shown; its status decides.
run() {
	local name=$1 out
	shift
	# No __pycache__ of lib_dnp3link.py in the source tree. 150 s: above
	# the flood's 120 s for the outstation's close (outstation_client.py).
	out=$(PYTHONDONTWRITEBYTECODE=1 timeout 150 python3 \
	    "$(dirname "$0")/outstation_client.py" "$@")
	local rc=$?
	echo "$out" | sed "s/^/  $name: /"
	[ "$rc" = 0 ] || { echo "--- log:" >&2; cat "$LW_LOG" >&2; fail "$name"; }
}

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "small"; filter = "127.0.0.1"; address = 10; master = 1;
      database = {
        binary_input = { count = 4; }; double_bit_input = { count = 4; };
        binary_output = { count = 4; class = 1; }; counter = { count = 4; };
        frozen_counter = { count = 4; }; analog_input = { count = 4; };
        analog_output = { count = 4; };
      };
      timeouts_ms = { confirm = 2000; };
    },
    { name = "big"; filter = "127.0.0.2"; address = 11; master = 1;
      database = {
        binary_input = { count = 1000; }; analog_input = { count = 1000; };
      };
      fragment = { rx = 2048; tx = 2048; };
    },
    { name = "spont"; filter = "127.0.0.3"; address = 12; master = 1;
      database = { binary_output = { count = 4; class = 1; }; };
      unsolicited = { enabled = true; retries = 2; };
    }
  );
} );
CONF
unset DNP3D_WORKER
lw_start "$LW_TMP/dnp3d.conf"

run integrity integrity "$port" 10
run control control "$port" 10
run broadcast broadcast "$port" 10
run replace replace "$port" 10
lw_wait_log "small: info: disconnected \(replaced\) 127\.0\.0\.1:"

# The big outstation answers the master on 127.0.0.2.
run multi multi "$port" 11 1000 127.0.0.2
run unsol unsol "$port" 12 127.0.0.3
# Requests without reading the responses: queued output is bounded.
run flood flood "$port" 11 127.0.0.2 20000
lw_wait_log "big: warning: 127\.0\.0\.2:[0-9]+ does not read its responses: [0-9]+ bytes queued, closing"
lw_wait_log "big: info: disconnected \(master not reading\) 127\.0\.0\.2:"
run multi-again multi "$port" 11 1000 127.0.0.2

# Each worker is the one it was at the start: no SIGSYS, no restart.
[ "$(lw_worker_pids | wc -l)" = 3 ] || fail "a worker was restarted"
died=$(grep -m1 -E "worker [a-z]+ \(pid [0-9]+\) .*restarting" "$LW_LOG")
[ -z "$died" ] || fail "$died"
lw_stop

# The embedded default: outstation "demo" on 127.0.0.1:20000, demo values,
# run as user "dnp3d": where that user does not exist, root refuses to start
# (issue 21, finding 5; listener_user.sh tests the refusal in full).
if [ "$(id -u)" = 0 ] && ! getent passwd dnp3d >/dev/null; then
	"$DNP3D" -d 2>"$LW_LOG"; rc=$?
	[ "$rc" = 1 ] && grep -q 'user "dnp3d" does not exist' "$LW_LOG" ||
		fail "embedded default without user dnp3d: exit $rc, $(cat "$LW_LOG")"
	echo "  demo: no user dnp3d here: the embedded default refused to start"
elif python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",20000))' 2>/dev/null; then
	"$DNP3D" -d 2>"$LW_LOG" &
	LW_PID=$!
	lw_wait_log 'info: [0-9]+ outstations? ready'
	run demo integrity 20000 10 demo
	lw_stop
else
	echo "  demo: port 20000 busy, embedded default not checked"
fi
echo "PASS"
