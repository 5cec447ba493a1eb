#!/usr/bin/env bash
# dnp3-status with 250 outstations: a status request makes about 500
# answers at once, more than the bus holds toward one client (nanomsg
# drops what does not fit). The tool asks again by name for what did not
# come, so every round shows all 250 workers running and answered, well
# within its -t bound.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

STATUS=$BUILD/tools/dnp3-status/dnp3-status
lw_need_built "$STATUS"
command -v jq >/dev/null || skip "jq is needed"
N=250
port=$(lw_port)
run=$LW_TMP/run
{
	echo "runtime_dir = \"$run\"; user = \"nobody\";"
	echo "servers = ( { listen = \"127.0.0.1:$port\"; outstations = ("
	for i in $(seq 1 $N); do
		echo "{ name = \"o$i\"; filter = \"127.1.0.$i\";"
		echo "  address = $((i + 10)); master = 1; }$([ $i -lt $N ] && echo ,)"
	done
	echo "); } );"
} >"$LW_TMP/dnp3d.conf"
lw_start "$LW_TMP/dnp3d.conf"
# The hub learns the workers' states from the listener's records, sent in
# rounds at most every 100 ms: right after "ready" some may still show as
# starting. Wait until the hub knows all of them as running ($WAIT).
for i in $(seq 1 "$WAIT"); do
	"$STATUS" -u "ipc://$run/bus.ipc" -t 5000 --json >"$LW_TMP/out.json" \
	    2>/dev/null
	[ "$(jq '[.outstations[] | select(.worker == "running")] | length' \
	    "$LW_TMP/out.json" 2>/dev/null)" = $N ] && break
	sleep 0.1
done
for round in 1 2 3; do
	"$STATUS" -u "ipc://$run/bus.ipc" -t 5000 --json \
	    >"$LW_TMP/out.json" 2>"$LW_TMP/err" || fail "round $round: exit $?"
	n=$(jq '[.outstations[] | select(.answered and .worker == "running")] | length' \
	    "$LW_TMP/out.json")
	[ "$n" = $N ] || fail "round $round: $n of $N answered: $(cat "$LW_TMP/err") $(jq -c "[.outstations[] | select((.answered and .worker == \"running\") | not)] | .[0:3]" "$LW_TMP/out.json") $(jq -c "del(.outstations)" "$LW_TMP/out.json")"
done
lw_stop
echo PASS
