#!/usr/bin/env bash
# Link error modes across real hosts. Server 0.0.0.0:20000 in mode "close":
# a frame with a bad header CRC closes the master's socket (and the log
# says why), a new connection is served again. Server [::]:20000 in mode
# "discard": junk bytes and a bad frame are skipped, and the valid request
# that follows on the same connection is answered.
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_netns.sh"

nt_init 1
S4=$NETNS_SRV_V4
S6=$NETNS_SRV_V6
m4=$(re "$(netns_v4 1)")
m6=$(re "[$(netns_v6 1)]")
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000"; link_error_mode = "close";
  outstations = ( { name = "strict"; filter = "198.18.0.11"; address = 10; master = 1; } );
}, {
  listen = "[::]:20000"; link_error_mode = "discard";
  outstations = ( { name = "lenient"; filter = "fd64:d3::b"; address = 11; master = 1; } );
} );')
nt_start "$conf"

out=$(nt_client m1 garbage "$S4" 20000 10)
[ "$out" = closed ] || fail "close mode answered after a bad frame: '$out'"
nt_wait_log "strict: warning: link error from $m4:[0-9]+: [a-z ]*CRC[a-z ]*, closing"
nt_wait_log "strict: info: disconnected \(link error\) $m4:[0-9]+"
out=$(nt_client m1 status "$S4" 20000 10)
[ "$out" = "status 10" ] || fail "close mode: a new connection after the error: '$out'"
echo "ok: close: bad header CRC closed the socket; a new connection is served"

out=$(nt_client m1 garbage "$S6" 20000 11 junk)
[ "$out" = "status 11" ] || fail "discard mode: '$out'"
nt_wait_log "lenient: debug: link error from $m6:[0-9]+: bad start, discarded"
nt_wait_log "lenient: debug: link error from $m6:[0-9]+: bad header CRC, discarded"
grep -qE "lenient: info: disconnected \(link error\)" "$NT_LOG" &&
	fail "discard mode closed a connection"
echo "ok: discard: junk and a bad frame skipped, the next frame answered on the same connection"

nt_stop
echo "measured: close mode 1 connection closed on error; discard mode 2 errors skipped, 0 closed"
echo PASS
