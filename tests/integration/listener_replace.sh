#!/usr/bin/env bash
# One master per outstation: a second matching master replaces the first,
# whose connection sees EOF, and the new one is served. The worker logs
# "disconnected (replaced)" before "connected" for the new peer.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.0/24"; address = 7; master = 1; } );
} );
CONF
# Without DNP3D_WORKER, dnp3d finds dnp3d-worker next to itself.
unset DNP3D_WORKER
lw_start "$LW_TMP/dnp3d.conf"

out=$(lw_client replace "$port" 127.0.0.2 127.0.0.3 7)
want="old: status 7
new: status 7
old after: closed
new again: status 7"
[ "$out" = "$want" ] || fail "replacement: got
$out"

lw_wait_log "solo: info: disconnected \(closed by peer\) 127\.0\.0\.3:"
order=$(grep -oE "(connected|disconnected \([a-z ]+\)) 127\.0\.0\.[23]" "$LW_LOG" | tr '\n' ,)
[ "$order" = "connected 127.0.0.2,disconnected (replaced) 127.0.0.2,connected 127.0.0.3,disconnected (closed by peer) 127.0.0.3," ] ||
	fail "worker log order: $order"
# The worker was not restarted for this: one worker process all along.
[ "$(lw_worker_pids | wc -l)" = 1 ] || fail "worker restarted"

lw_stop
echo "PASS"
