#!/usr/bin/env bash
# A reload that cannot be applied changes nothing, while a master polls
# outstation `keep` over one connection every 50 ms and never misses an
# answer. Each is logged with its reason and published as `reload_failed`:
#  - a file with an error: FILE:LINE: KEY in the log and the event;
#  - a setting that cannot change while running (runtime_dir, state_dir),
#    by name;
#  - two outstations of one server whose filters overlap;
#  - an endpoint added whose port is taken: the whole reload is refused,
#    so the outstation it also removes (other) still answers.
# Then a good reload applies, and keep's worker is the same process.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_reload.sh"

lw_need_built "$EVENTS"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
conf=$LW_TMP/dnp3d.conf
lw_conf2 "$port" keep 127.0.0.2 10 other 127.0.0.3 20
lw_start "$conf"
keep=$(sed -n 's/.*worker keep ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG")
[ -n "$keep" ] || fail "keep's pid not logged"
cp "$conf" "$LW_TMP/good.conf"
rl_events "$port"
rl_poll_start "$port" 127.0.0.2 10

# refused PATTERN: SIGHUP with $conf; the log and the event give PATTERN.
refused() {
	rl_hup "reload failed, configuration unchanged: $1"
	rl_event ".event == \"reload_failed\" and (.reason | test(\"$1\"))"
	rl_poll_more
	out=$(lw_client status "$port" 127.0.0.3 20)
	[ "$out" = "status 20" ] || fail "other after a refused reload: '$out'"
}

sed 's/address = 20;/address = 70000;/' "$LW_TMP/good.conf" >"$conf"
refused "$conf:[0-9]+: servers..0..outstations..1..address: 70000 is out of range"

sed "s|^runtime_dir = .*|runtime_dir = \"$LW_TMP/run2\";|" \
    "$LW_TMP/good.conf" >"$conf"
refused "$conf: runtime_dir: cannot change while running"

{ echo "state_dir = \"$LW_TMP/state\";"; cat "$LW_TMP/good.conf"; } >"$conf"
refused "$conf: state_dir: cannot change while running"

sed 's/filter = "127.0.0.3"/filter = "127.0.0.0\/24"/' "$LW_TMP/good.conf" \
    >"$conf"
refused "$conf:[0-9]+: servers..0..outstations..1..filter: outstations .keep. and .other. both match"

# A port held by this test: the endpoint cannot be bound.
python3 -c "
import socket, time, sys
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)" >"$LW_TMP/held.port" &
LW_BG+=($!)
wait_for "$LW_TMP/held.port" '^[0-9]+$' "$WAIT" || fail "no port held"
taken=$(cat "$LW_TMP/held.port")
cat >"$conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "keep"; filter = "127.0.0.2"; address = 10;
    master = 1; } );
}, {
  listen = "127.0.0.1:$taken";
  outstations = ( { name = "third"; filter = "127.0.0.4"; address = 30;
    master = 1; } );
} );
CONF
refused "$conf: cannot listen on 127.0.0.1:$taken: Address already in use"
grep -q 'worker third started' "$LW_LOG" && fail "third started anyway"

# The same without the taken port applies.
sed "s/127.0.0.1:$taken/127.0.0.1:$(lw_port)/" -i "$conf"
rl_hup 'reloaded .*: 1 started, 0 restarted, 1 stopped'
rl_poll_end
[ "$(grep -c 'worker keep started' "$LW_LOG")" = 1 ] && kill -0 "$keep" ||
    fail "keep's worker changed"
lw_stop
echo "PASS"
