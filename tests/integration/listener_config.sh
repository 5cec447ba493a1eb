#!/usr/bin/env bash
# Refusals before anything runs: -t on overlapping filters (exit 1, both
# outstations named), -t on a good file (exit 0), and a bind conflict
# (named endpoint and reason, non-zero exit, no worker ever started).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
conf() {	# FILTER_OF_B
	cat <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "north"; filter = "127.0.0.*"; address = 10; master = 1; },
    { name = "south"; filter = "$1"; address = 20; master = 1; }
  );
} );
CONF
}
conf 127.0.0.5 >"$LW_TMP/overlap.conf"
conf 10.0.0.5 >"$LW_TMP/good.conf"

out=$("$DNP3D" -t -c "$LW_TMP/overlap.conf" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "-t on overlapping filters exited $rc"
echo "$out" | grep -q '"north"' && echo "$out" | grep -q '"south"' ||
	fail "-t does not name both outstations: $out"

# Started without -t, the same refusal is an error in the log.
out=$(timeout 10 "$DNP3D" -c "$LW_TMP/overlap.conf" 2>&1); rc=$?
[ "$rc" = 1 ] || fail "start on overlapping filters exited $rc"
echo "$out" | grep -q '^dnp3d\[[0-9]*\]: error: .*"south"' ||
	fail "start on overlapping filters, not an error line: $out"

out=$("$DNP3D" -t -c "$LW_TMP/good.conf" 2>&1); rc=$?
[ "$rc" = 0 ] || fail "-t on a good file exited $rc: $out"
echo "$out" | grep -q "configuration OK" || fail "-t said: $out"

# Hold the port, then start dnp3d on it: it must refuse and leave nothing.
python3 - "$port" "$LW_TMP/held" <<'PY' &
import socket, sys, os, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close()
time.sleep(15)
PY
holder=$!
for i in $(seq 1 "$WAIT"); do [ -e "$LW_TMP/held" ] && break; sleep 0.1; done
[ -e "$LW_TMP/held" ] || fail "could not hold port $port"

timeout 10 "$DNP3D" -d -c "$LW_TMP/good.conf" 2>"$LW_LOG"; rc=$?
kill "$holder" 2>/dev/null; wait_pid "$holder" "$WAIT" "the port holder"
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "dnp3d on a taken port exited $rc"
grep -q "dnp3d\[[0-9]*\]: error: cannot listen on 127.0.0.1:$port: Address already in use" "$LW_LOG" ||
	{ cat "$LW_LOG" >&2; fail "bind error not named"; }
[ -z "$(lw_worker_pids)" ] || fail "a worker was started before binding"
echo "PASS"
