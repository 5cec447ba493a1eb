#!/usr/bin/env bash
# Finding 4, the accept half (issue 21): the listener out of descriptors
# with no spare left to shed a connection, as when a bus member filled its
# table and nanomsg took the spare's slot: its RLIMIT_NOFILE is lowered
# (prlimit) to the number of its spare descriptor, so that every lower
# number is taken and the spare's own is out of reach. (Not lower: poll()
# itself needs the limit to be at least its number of descriptors.) A
# flood of 300 connections then waits in the backlog:
#  - the listener does not spin: under 10% of a CPU over 3 s, and at most
#    two accept failure lines a second (one, and "accept failed N more
#    times in the last second");
#  - once descriptors are available again, it serves a master at once.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

command -v prlimit >/dev/null || skip "prlimit (util-linux) is needed"
port=$(lw_port)
run=$LW_TMP/run
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( { listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.2"; address = 7; master = 1; } ); } );
CONF
lw_start "$LW_TMP/dnp3d.conf"
r=$(lw_client status "$port" 127.0.0.2 7)
[ "$r" = "status 7" ] || fail "before: '$r'"

soft=$(prlimit --pid "$LW_PID" --nofile --noheadings --output SOFT)
# The spare: the listener's first /dev/null above stdio (server.c).
spare=
for fd in $(ls "/proc/$LW_PID/fd" | sort -n); do
	[ "$fd" -gt 2 ] && [ "$(readlink "/proc/$LW_PID/fd/$fd")" = /dev/null ] &&
		{ spare=$fd; break; }
done
[ -n "$spare" ] || fail "no spare descriptor in $(ls -l "/proc/$LW_PID/fd")"
prlimit --pid "$LW_PID" --nofile="$spare": || fail "prlimit"
ticks() { awk '{ print $14 + $15 }' "/proc/$LW_PID/stat"; }
python3 - "$port" <<'PY' || fail "flood client failed"
import socket, sys
port = int(sys.argv[1])
for i in range(300):
    s = socket.socket()
    s.bind(('127.0.0.3', 0))
    s.settimeout(10)
    s.connect(('127.0.0.1', port))
    s.close()
PY
lw_wait_log "warning: accept on 127\.0\.0\.1:$port: Too many open files"
t0=$(ticks)
n0=$(grep -c "accept" "$LW_LOG")
sleep 3
cpu=$(( $(ticks) - t0 ))
n=$(( $(grep -c "accept" "$LW_LOG") - n0 ))
[ "$cpu" -lt 30 ] || fail "listener used $cpu ticks of CPU in 3 s out of descriptors"
[ "$n" -le 8 ] || fail "$n accept lines in 3 s: $(grep accept "$LW_LOG" | tail -5)"
grep -q "accept failed [0-9]* more times in the last second" "$LW_LOG" ||
	fail "no summary of accept failures"

prlimit --pid "$LW_PID" --nofile="$soft": || fail "prlimit"
r=$(lw_client status "$port" 127.0.0.2 7)
[ "$r" = "status 7" ] || fail "after: '$r'"
lw_stop
echo "PASS: out of descriptors for 3 s: $cpu ticks of CPU, $n accept lines"
