#!/usr/bin/env bash
# Routing by source address: two outstations on one port, each answering
# request link status with its own link address, and a third on the same
# port number on ::1; a peer that matches no filter is closed and named in
# the log; workers inherit no stray descriptor; SIGTERM ends everything,
# exit 0.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "alpha"; filter = "127.0.0.2"; address = 10; master = 1; },
    { name = "beta"; filter = ["127.0.0.3", "127.0.0.4"]; address = 20; master = 1; }
  );
}, {
  listen = "[::1]:$port";
  outstations = ( { name = "gamma"; filter = "::1"; address = 30; master = 1; } );
} );
CONF
# A descriptor dnp3d inherits must not reach the workers.
exec 9>"$LW_TMP/inherited"
lw_start "$LW_TMP/dnp3d.conf"
exec 9>&-
workers=$(lw_live_workers)
[ "$(echo "$workers" | grep -c .)" = 3 ] ||
	fail "want 3 workers running, found: $(echo $workers)"
for p in $workers; do
	ls -l "/proc/$p/fd" 2>/dev/null | grep -q "$LW_TMP/inherited" &&
		fail "worker $p inherited a descriptor of dnp3d's parent"
done

out=$(lw_client status "$port" 127.0.0.2 10)
[ "$out" = "status 10" ] || fail "alpha from 127.0.0.2: got '$out'"
out=$(lw_client status "$port" 127.0.0.3 20)
[ "$out" = "status 20" ] || fail "beta from 127.0.0.3: got '$out'"
out=$(lw_client status "$port" 127.0.0.4 20)
[ "$out" = "status 20" ] || fail "beta from 127.0.0.4: got '$out'"
# The same port on ::1 is another server, with its own outstations.
out=$(lw_client status "$port" ::1 30)
[ "$out" = "status 30" ] || fail "gamma from ::1: got '$out'"
lw_wait_log "gamma: info: connected \[::1\]:[0-9]+ on \[::1\]:$port"
# A frame for another link address is dropped, not answered.
out=$(lw_client status "$port" 127.0.0.2 20)
[ "$out" = "timeout" ] || fail "alpha answered for address 20: '$out'"
lw_wait_log "alpha: info: connected 127\.0\.0\.2:[0-9]+ on 127\.0\.0\.1:$port"
lw_wait_log "beta: info: connected 127\.0\.0\.3:[0-9]+ on 127\.0\.0\.1:$port"

out=$(lw_client silent "$port" 127.0.0.9)
[ "$out" = "closed" ] || fail "unmatched 127.0.0.9 not closed: '$out'"
lw_wait_log "rejected 127\.0\.0\.9:[0-9]+ on 127\.0\.0\.1:$port: no outstation matches"

lw_stop
echo "PASS"
