#!/usr/bin/env bash
# dnp3-status --prometheus: `promtool check metrics` accepts what it
# prints for a running dnp3d with one master connected and one
# outstation idle, and the samples say so (dnp3d_up, master connected 1
# and 0, the worker's frames, the listener's counts); -o FILE replaces
# the file whole (no FILE.tmp left), and says dnp3d_up 0 with exit 1
# once dnp3d is gone. The packaged service and timer that write it for
# node_exporter pass `systemd-analyze verify` once installed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_reload.sh"

STATUS=$BUILD/tools/dnp3-status/dnp3-status
lw_need_built "$STATUS"
command -v promtool >/dev/null ||
	skip "promtool is needed (Debian package prometheus)"

port=$(lw_port)
run=$LW_TMP/run
URL=ipc://$run/bus.ipc
lw_conf2 "$port" busy 127.0.0.2 10 idle 127.0.0.3 20
sed -i "s|runtime_dir = .*|runtime_dir = \"$run\";|" "$LW_TMP/dnp3d.conf"
lw_start "$LW_TMP/dnp3d.conf"
rl_poll_start "$port" 127.0.0.2 10

prom=$LW_TMP/dnp3d.prom
# sample NAME VALUE: the file has this sample line.
sample() {
	grep -qxF -- "$1 $2" "$prom" || { cat "$prom" >&2;
	    fail "no sample: $1 $2"; }
}
# -t: both workers answer each round, which ends as soon as they have, so
# the round's bound ($WAIT) costs nothing and only ends a hung round.
for i in $(seq 1 "$WAIT"); do
	"$STATUS" -u "$URL" -t $WAIT_MS --prometheus -o "$prom" ||
	    fail "dnp3-status -o: exit $?"
	grep -q '^dnp3d_master_connected{outstation="busy",.*} 1$' "$prom" &&
	    break
	sleep 0.1
done
promtool check metrics <"$prom" >"$LW_TMP/promtool.out" 2>&1 || {
	cat "$LW_TMP/promtool.out" "$prom" >&2; fail "promtool check metrics"; }
[ -e "$prom.tmp" ] && fail "$prom.tmp left behind"
srv="server=\"127.0.0.1:$port\""
sample dnp3d_up 1
sample dnp3d_outstations 2
sample "dnp3d_master_connected{outstation=\"busy\",$srv}" 1
sample "dnp3d_master_connected{outstation=\"idle\",$srv}" 0
sample "dnp3d_outstation_up{outstation=\"idle\",$srv}" 1
sample "dnp3d_worker_running{outstation=\"busy\",$srv}" 1
sample "dnp3d_events_waiting{outstation=\"idle\",$srv,class=\"1\"}" 0
grep -qE "^dnp3d_frames_received_total\{outstation=\"busy\",$srv\} [1-9][0-9]*$" \
    "$prom" || fail "busy's frames: $(grep frames_received "$prom")"
grep -qE '^dnp3d_connections_handed_off_total [1-9][0-9]*$' "$prom" ||
	fail "handed off: $(grep handed_off "$prom")"
grep -qE '^# TYPE dnp3d_frames_received_total counter$' "$prom" ||
	fail "no TYPE line"

rl_poll_end
lw_stop
# dnp3d gone: dnp3d_up 0, exit 1, and the file is still whole
"$STATUS" -u "$URL" --prometheus -o "$prom" 2>"$LW_TMP/down.err" &&
	fail "exit 0 without dnp3d"
sample dnp3d_up 0
promtool check metrics <"$prom" >"$LW_TMP/promtool.out" 2>&1 || {
	cat "$LW_TMP/promtool.out" >&2; fail "promtool on dnp3d_up 0"; }

# The service and the timer, installed.
command -v systemd-analyze >/dev/null ||
	skip "systemd-analyze not installed (Debian package systemd)"
dest=$LW_TMP/root
DESTDIR=$dest timeout 120 cmake --install "$BUILD" --prefix /usr \
    >"$LW_TMP/install.log" 2>&1 || { cat "$LW_TMP/install.log" >&2;
    fail "cmake --install failed"; }
units=$LW_TMP/units
mkdir -p "$units"
sed "s|=/usr/bin/dnp3-status |=$dest/usr/bin/dnp3-status |" \
    "$dest/usr/lib/systemd/system/dnp3-status-prometheus.service" \
    >"$units/dnp3-status-prometheus.service"
grep -q "^ExecStart=$dest/usr/bin/dnp3-status --prometheus -o " \
    "$units/dnp3-status-prometheus.service" ||
	fail "the installed service does not run dnp3-status -o"
cp "$dest/usr/lib/systemd/system/dnp3-status-prometheus.timer" "$units/"
if ! MANPATH=$dest/usr/share/man SYSTEMD_LOG_LEVEL=notice \
    timeout 60 systemd-analyze verify "$units/dnp3-status-prometheus.timer" \
    "$units/dnp3-status-prometheus.service" >"$LW_TMP/verify.log" 2>&1 ||
    [ -s "$LW_TMP/verify.log" ]; then
	cat "$LW_TMP/verify.log" >&2
	fail "systemd-analyze verify complained"
fi
echo "PASS"
