#!/usr/bin/env bash
# Finding 11 (issue 21): 5,000 connections from an address no filter
# matches. Each is rejected, but the log and the bus are rate limited:
# the first 10 a second are logged and published one by one, the rest as
# one summary a second (log: "rejected N more connections (rate limited
# ...)", bus: `rejected` with reason "rate limited" and "count": N). The
# lines and summaries account for all 5,000, on the log and on the bus,
# and their number is bounded by the time the flood took.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"

lw_need_built "$EVENTS"
N=5000

port=$(lw_port)
run=$LW_TMP/run
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( { listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.2"; address = 7; master = 1; } ); } );
CONF
lw_start "$LW_TMP/dnp3d.conf"
timeout -k 2 60 "$EVENTS" --json -v -u "ipc://$run/bus.ipc" -e rejected \
    -t 40 >"$LW_TMP/ev.out" 2>"$LW_TMP/ev.err" &
evpid=$!
LW_BG+=("$evpid")
wait_for "$LW_TMP/ev.err" "joined the bus" "$WAIT" || fail "dnp3-events did not join"

start=$(date +%s%N)
python3 - "$port" "$N" <<'PY' || fail "flood client failed"
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    s = socket.socket()
    s.bind(('127.0.0.99', 0))
    s.settimeout(10)
    s.connect(('127.0.0.1', port))
    s.close()
PY
secs=$(( ($(date +%s%N) - start) / 1000000000 + 1 ))

# logged one by one + summed up, until all N are accounted for
accounted() {
	local one sum=0 x
	one=$(grep -c "info: rejected 127\.0\.0\.99:[0-9]* on " "$LW_LOG")
	for x in $(sed -n 's/.*info: rejected \([0-9]*\) more connections (rate limited.*/\1/p' "$LW_LOG"); do
		sum=$((sum + x))
	done
	echo $((one + sum))
}
for i in $(seq 1 "$WAIT"); do
	[ "$(accounted)" -ge "$N" ] && break
	sleep 0.1
done
[ "$(accounted)" = "$N" ] || fail "log accounts for $(accounted) of $N rejections"
lines=$(grep -c "info: rejected " "$LW_LOG")
# 10 one by one and one summary per second, the flood took < secs + 1 s
max=$(( (secs + 2) * 11 ))
[ "$lines" -le "$max" ] || fail "$lines log lines for $N rejections in $secs s (max $max)"
summaries=$(grep -c "more connections (rate limited" "$LW_LOG")
[ "$summaries" -ge 1 ] || fail "no summary line"

# The bus: the same bound, the same total.
wait_for "$LW_TMP/ev.out" '"reason":"rate limited"' "$WAIT" || fail "no summary event"
python3 - "$LW_TMP/ev.out" "$N" "$max" <<'PY' || fail "bus: $(tail -c 2000 "$LW_TMP/ev.out")"
import json, sys, time
n, mx = int(sys.argv[2]), int(sys.argv[3])
for _ in range(50):
    ev = [json.loads(l) for l in open(sys.argv[1])]
    one = [e for e in ev if e.get('peer', '').startswith('127.0.0.99:')]
    summ = [e for e in ev if e['reason'] == 'rate limited']
    total = len(one) + sum(e['count'] for e in summ)
    if total >= n:
        break
    time.sleep(0.1)
assert total == n, (len(one), [e['count'] for e in summ])
assert len(ev) <= mx, len(ev)
assert all(e['source'] == 'listener' and 'peer' not in e for e in summ)
print('bus: %d events, %d summaries' % (len(ev), len(summ)))
PY
stop_timed "$evpid" "dnp3-events"
lw_stop
echo "PASS: $N rejections in ${secs} s: $lines log lines ($summaries summaries)"
