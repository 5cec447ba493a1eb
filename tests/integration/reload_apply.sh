#!/usr/bin/env bash
# SIGHUP applies a new configuration, outstations matched by name, while a
# master polls the unchanged outstation `keep` over one connection every
# 50 ms and never misses an answer:
#  - keep: the same worker pid before and after, never restarted;
#  - change (its address 20 -> 21): a new worker, its master is told
#    `disconnected` reason "reconfigured", it answers at 21 after;
#  - gone (removed): its master is told "removed", its address is then
#    refused;
#  - fresh (added) and, on a second endpoint added by the reload, second:
#    started and answering;
#  - one `reloaded` event: started [fresh, second], restarted [change],
#    stopped [gone]; then the endpoint added is removed again by another
#    reload and no longer accepts.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_reload.sh"

lw_need_built "$EVENTS"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
port2=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
conf=$LW_TMP/dnp3d.conf
os() { echo "{ name = \"$1\"; filter = \"$2\"; address = $3; master = 1; },"; }
write() {
	{
		echo "runtime_dir = \"$run\"; user = \"nobody\";"
		echo "servers = ( { listen = \"127.0.0.1:$port\";"
		echo "  outstations = ( $1 ); }"
		[ -n "${2:-}" ] && echo ", { listen = \"127.0.0.1:$port2\";
		    outstations = ( $2 ); }"
		echo ");"
	} | sed 's/, )/ )/' >"$conf"
}
write "$(os keep 127.0.0.2 10) $(os change 127.0.0.3 20) $(os gone 127.0.0.4 30)"
lw_start "$conf"
pid_of() {
	sed -n "s/.*worker $1 ready (pid \([0-9]*\)).*/\1/p" "$LW_LOG" | tail -1
}
keep=$(pid_of keep)
[ -n "$keep" ] || fail "keep's pid not logged"

rl_events "$port"
rl_poll_start "$port" 127.0.0.2 10
# Masters of change and gone, held open until told.
PYTHONPATH=$LW_TMP python3 - "$port" >"$LW_TMP/held.out" 2>&1 <<'PY' &
import socket, sys
from lib_dnp3link import status, eof
port = int(sys.argv[1])
held = []
for src, dest in (('127.0.0.3', 20), ('127.0.0.4', 30)):
    s = socket.socket(); s.bind((src, 0)); s.settimeout(20)
    s.connect(('127.0.0.1', port))
    print(src, status(s, dest), flush=True)
    held.append(s)
for s in held:
    print(eof(s), flush=True)
PY
held=$!
LW_BG+=($held)
wait_for "$LW_TMP/held.out" "127.0.0.4 status 30" "$WAIT" ||
    fail "masters of change and gone: $(cat "$LW_TMP/held.out")"

write "$(os keep 127.0.0.2 10) $(os change 127.0.0.3 21) $(os fresh 127.0.0.5 50)" \
    "$(os second 127.0.0.6 60)"
rl_hup 'reloaded .*: 2 started, 1 restarted, 1 stopped'
lw_wait_log 'worker fresh ready'
lw_wait_log 'worker second ready'
lw_wait_log 'worker change ready \(pid [0-9]+\).*' 
rl_poll_more

wait_pid "$held" "$WAIT" "masters of change and gone" ||
    fail "held masters: $(cat "$LW_TMP/held.out")"
[ "$(grep -c closed "$LW_TMP/held.out")" = 2 ] ||
    fail "masters of change and gone not closed: $(cat "$LW_TMP/held.out")"
rl_event '.event == "disconnected" and .outstation == "change" and .reason == "reconfigured"'
rl_event '.event == "disconnected" and .outstation == "gone" and .reason == "removed"'
rl_event '.event == "reloaded" and .started == ["fresh","second"] and .restarted == ["change"] and .stopped == ["gone"]'

out=$(lw_client status "$port" 127.0.0.3 21)
[ "$out" = "status 21" ] || fail "change at its new address: '$out'"
out=$(lw_client status "$port" 127.0.0.5 50)
[ "$out" = "status 50" ] || fail "fresh: '$out'"
out=$(lw_client status "$port2" 127.0.0.6 60)
[ "$out" = "status 60" ] || fail "second on the endpoint added: '$out'"
out=$(lw_client status "$port" 127.0.0.4 30)
[ "$out" = "closed" ] || fail "gone's master still served: '$out'"
lw_wait_log "rejected 127.0.0.4:[0-9]+ on 127.0.0.1:$port: no outstation matches"

# The endpoint added goes again; keep still untouched.
write "$(os keep 127.0.0.2 10) $(os change 127.0.0.3 21) $(os fresh 127.0.0.5 50)"
rl_hup 'reloaded .*: 0 started, 0 restarted, 1 stopped'
lw_wait_log "closed 127.0.0.1:$port2"
python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port2), 2)" \
    2>/dev/null && fail "127.0.0.1:$port2 still accepts"
rl_poll_end
[ "$(pid_of keep)" = "$keep" ] && kill -0 "$keep" ||
    fail "keep's worker changed"
[ "$(grep -c 'worker keep started' "$LW_LOG")" = 1 ] ||
    fail "keep's worker was started more than once"
lw_stop
echo "PASS"
