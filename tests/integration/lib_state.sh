# Helpers for the state_*.sh tests (sourced after lib_listener.sh): one
# outstation "solo" (link address 7, master 1 from 127.0.0.2) served on
# 127.0.0.1:$port, the bus at $URL, the `restarted` events in
# $LW_TMP/restarted.out.

lw_need_built "$EVENTS" "$UPDATE" "$MASTER"
command -v jq >/dev/null || skip "jq is needed"

port=$(lw_port)
URL=ipc://$LW_TMP/run/bus.ipc

# st_conf SETTINGS: $LW_TMP/dnp3d.conf with solo and these settings.
st_conf() {
	cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.2"; address = 7;
    master = 1; $1 } );
} );
CONF
}

# st_master ARGS...: dnp3-master against solo (bounded; an answer may take
# 5 s, for the ASan build on a busy machine).
st_master() {
	timeout -k 1 30 "$MASTER" -a 7 -b 127.0.0.2 -t 5000 \
	    "127.0.0.1:$port" "$@"
}

# st_worker_pid: the worker that said ready last.
st_worker_pid() {
	sed -n 's/.*worker solo ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG" |
	    tail -1
}

# st_restarted N SECONDS: dnp3-events collects the next N restarted
# events (in the background, $ST_EVPID) for at most SECONDS.
ST_EVPID=
st_restarted() {
	: >"$LW_TMP/restarted.out"	# nothing of the one before (wait_for)
	: >"$LW_TMP/restarted.err"
	timeout -k 2 $(($2 + 10)) "$EVENTS" -v --json -u "$URL" -e restarted \
	    -n "$1" -t "$2" >"$LW_TMP/restarted.out" \
	    2>"$LW_TMP/restarted.err" &
	ST_EVPID=$!
	LW_BG+=($ST_EVPID)
	wait_for "$LW_TMP/restarted.err" "joined the bus" "$WAIT" ||
		fail "dnp3-events did not join: $(cat "$LW_TMP/restarted.err")"
}

# st_restarted_wait N: until N restarted events have come ($WAIT).
st_restarted_wait() {
	local i
	for i in $(seq 1 "$WAIT"); do
		[ "$(grep -c . "$LW_TMP/restarted.out")" -ge "$1" ] && return 0
		sleep 0.1
	done
	fail "no restarted event number $1: $(cat "$LW_TMP/restarted.out")"
}
