#!/usr/bin/env bash
# Keep-alive: a master that sends nothing for keep_alive ms gets a request
# link status from the outstation. A master that answers it gets the next
# probe later; one that stays silent for confirm ms more is disconnected
# ("keep-alive timeout"). The answer has confirm ms (2 s: the client's
# answer must not miss it on a busy machine; its reads wait 5 s).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "ka"; filter = "any"; address = 10; master = 1;
    timeouts_ms = { keep_alive = 300; confirm = 2000; }; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

# 05 64 05 | 49 = DIR 0, PRM 1, function 9 | dest 1 | src 10 (then CRC):
# the outstation asks its master for link status.
probe="probe 0564054901000a00"
out=$(lw_client keepalive "$port" 127.0.0.2 10 silent)
[ "${out:0:22}" = "$probe" ] || fail "no keep-alive probe: $out"
[ "$(echo "$out" | tail -1)" = closed ] || fail "silent master not closed: $out"
lw_wait_log "ka: info: disconnected \(keep-alive timeout\) 127\.0\.0\.2:"

out=$(lw_client keepalive "$port" 127.0.0.3 10 answer)
[ "${out:0:22}" = "$probe" ] || fail "no keep-alive probe: $out"
[ "$(echo "$out" | tail -1 | cut -c1-22)" = "again 0564054901000a00" ] ||
	fail "no second probe after an answer: $out"
grep -q "disconnected (keep-alive timeout) 127.0.0.3" "$LW_LOG" &&
	fail "a master that answered was disconnected"

lw_stop
echo "PASS"
