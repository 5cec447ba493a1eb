#!/bin/sh
# Run inside the container by systemd_container.sh (as the unit
# dnp3d-checks.service, after the boot). One line per check in
# /out/result: "ok: ..." or "FAIL: ...", then "done".
exec >/out/log 2>&1
set -x
ok() { echo "ok: $*" >>/out/result; }
bad() { echo "FAIL: $*" >>/out/result; }
check() {	# WHAT COMMAND...: ok or FAIL by its exit status
	what=$1; shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
os() {	# NAME FILTER ADDRESS
	echo "{ name = \"$1\"; filter = \"$2\"; address = $3; master = 1; }"
}
conf() {
	cat >/etc/dnp3d/dnp3d.conf <<CONF
servers = ( { listen = "127.0.0.1:20000"; outstations = ( $1 ); } );
CONF
}
pid_of() { dnp3-status --json | jq -r ".outstations[] | select(.name == \"$1\") | .pid"; }

conf "$(os feeder-1 127.0.0.1 10)"
t=$(ms)
check "systemctl start dnp3d returned" systemctl start dnp3d
ok "  ... after $(( $(ms) - t )) ms"
check "dnp3d is active" systemctl is-active --quiet dnp3d
check "a master gets an answer (integrity poll)" \
    dnp3-master -a 10 -t 2000 127.0.0.1:20000 integrity
dnp3-status >/out/status1
check "dnp3-status shows feeder-1 running" grep -qE '^feeder-1 +running ' /out/status1
pid1=$(pid_of feeder-1)

# reload: feeder-2 added while a master polls feeder-1 on one connection
dnp3-master -a 10 -t 2000 --repeat 40 --interval 100 127.0.0.1:20000 \
    link-status >/out/held 2>&1 &
held=$!
for i in $(seq 1 50); do	# until it is connected (bounded: 5 s)
	[ "$(dnp3-status --json | jq -r '.outstations[0].master')" != null ] &&
	    break
	sleep 0.1
done
conf "$(os feeder-1 127.0.0.1 10), $(os feeder-2 127.0.0.2 20)"
check "systemctl reload dnp3d returned" systemctl reload dnp3d
check "dnp3d is still active" systemctl is-active --quiet dnp3d
check "the master of feeder-1 had every answer across the reload" wait $held
check "feeder-2 answers after the reload" \
    dnp3-master -a 20 -b 127.0.0.2 -t 2000 127.0.0.1:20000 integrity
check "feeder-1 kept its worker (pid $pid1)" test "$(pid_of feeder-1)" = "$pid1"
check "the journal has the reload" sh -c \
    'journalctl -u dnp3d --no-pager | grep -q "reloaded /etc/dnp3d/dnp3d.conf: 1 started"'
check "the journal has dnp3d's log" sh -c \
    'journalctl -u dnp3d --no-pager | grep -qE "outstations? ready"'
# The metrics service as packaged, where node_exporter's directory and
# user would be (prometheus-node-exporter is not installed here).
useradd --system --user-group prometheus
mkdir -p /var/lib/prometheus/node-exporter
chown prometheus: /var/lib/prometheus/node-exporter
check "systemctl start dnp3-status-prometheus.service" \
    systemctl start dnp3-status-prometheus.service
check "it wrote dnp3d_up 1 for node_exporter" \
    grep -qx 'dnp3d_up 1' /var/lib/prometheus/node-exporter/dnp3d.prom
check "with both outstations" grep -qE \
    '^dnp3d_worker_running\{outstation="feeder-2",.*\} 1$' \
    /var/lib/prometheus/node-exporter/dnp3d.prom
check "the timer starts" systemctl start dnp3-status-prometheus.timer
systemd-analyze security dnp3d --no-pager >/out/security 2>&1
systemd-analyze security dnp3-status-prometheus --no-pager \
    >/out/security-prometheus 2>&1
ok "metrics service: $(grep 'Overall exposure' /out/security-prometheus)"
ok "$(grep 'Overall exposure' /out/security)"

check "systemctl stop dnp3d returned" systemctl stop dnp3d
check "dnp3d is inactive" sh -c '! systemctl is-active --quiet dnp3d'
# (no ps in a minbase root: the names from /proc)
check "no dnp3d process is left" sh -c \
    '! cat /proc/[0-9]*/comm 2>/dev/null | grep -qE "^dnp3d"'
check "the check for a process does see one (systemd)" sh -c \
    'cat /proc/[0-9]*/comm 2>/dev/null | grep -qx systemd'
check "the stop was clean (no SIGKILL)" sh -c \
    '! journalctl -u dnp3d --no-pager | grep -qE "Killing|SIGKILL|Failed with result"'
journalctl -u dnp3d -u dnp3-status-prometheus --no-pager >/out/journal 2>&1
echo done >>/out/result
