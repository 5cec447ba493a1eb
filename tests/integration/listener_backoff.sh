#!/usr/bin/env bash
# A worker that cannot start is restarted with a doubling delay (100, 200,
# 400, 800 ms, ...) and, while it is down, its masters are closed with the
# reason logged; SIGTERM still ends dnp3d with exit 0. Then, with real
# workers, dnp3d is killed with SIGKILL: its workers must follow
# (PR_SET_PDEATHSIG and the channel's EOF).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

port=$(lw_port)
lw_conf2 "$port" broken 127.0.0.3 20 other 127.0.0.4 21
# A stand-in for dnp3d-worker that dies at once.
printf '#!/bin/sh\nexit 3\n' >"$LW_TMP/broken.sh"
chmod +x "$LW_TMP/broken.sh"

DNP3D_WORKER=$LW_TMP/broken.sh "$DNP3D" -d -c "$LW_TMP/dnp3d.conf" 2>"$LW_LOG" &
LW_PID=$!
for ms in 100 200 400 800; do
	lw_wait_log "worker broken \(pid [0-9]+\) exited with status 3; restarting in $ms ms"
done
out=$(lw_client silent "$port" 127.0.0.3)
[ "$out" = "closed" ] || fail "master of a dead worker not closed: '$out'"
lw_wait_log "rejected 127\.0\.0\.3:[0-9]+ on 127\.0\.0\.1:$port: outstation broken is not running"
lw_stop

# Real workers; the listener dies without a chance to clean up.
: >"$LW_LOG"
lw_start "$LW_TMP/dnp3d.conf"
pids=$(lw_worker_pids)
[ "$(echo "$pids" | wc -w)" = 2 ] || fail "expected 2 workers: $pids"
kill -9 "$LW_PID"
wait_pid "$LW_PID" "$WAIT" "dnp3d after SIGKILL"
LW_PID=
for i in $(seq 1 "$WAIT"); do
	alive=
	for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
	[ -z "$alive" ] && break
	sleep 0.1
done
[ -z "$alive" ] || fail "workers outlived a killed listener:$alive"
echo "PASS"
