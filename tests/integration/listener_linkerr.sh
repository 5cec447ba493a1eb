#!/usr/bin/env bash
# Link error modes, per server: "close" closes the connection on a frame
# with a bad header CRC (and says why); "discard" skips it and answers the
# good frame that follows.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

p1=$(lw_port)
p2=$(lw_port)
[ "$p1" != "$p2" ] || p2=$((p1 + 1))
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = (
  { listen = "127.0.0.1:$p1"; link_error_mode = "close";
    outstations = ( { name = "strict"; filter = "any"; address = 10; master = 1; } ); },
  { listen = "127.0.0.1:$p2"; link_error_mode = "discard";
    outstations = ( { name = "lenient"; filter = "any"; address = 11; master = 1; } ); }
);
CONF
lw_start "$LW_TMP/dnp3d.conf"

out=$(lw_client garbage "$p1" 127.0.0.2 10)
[ "$out" = "closed" ] || fail "close mode answered after a bad frame: '$out'"
lw_wait_log "strict: warning: link error from 127\.0\.0\.2:[0-9]+: [a-z ]*CRC[a-z ]*, closing"
lw_wait_log "strict: info: disconnected \(link error\) 127\.0\.0\.2"

out=$(lw_client garbage "$p2" 127.0.0.2 11 junk)
[ "$out" = "status 11" ] || fail "discard mode: '$out'"
lw_wait_log "lenient: debug: link error from 127\.0\.0\.2:[0-9]+: bad start, discarded"
lw_wait_log "lenient: debug: link error from 127\.0\.0\.2:[0-9]+: bad header CRC, discarded"

lw_stop
echo "PASS"
