#!/usr/bin/env bash
# A reload gives the bus back to the service group. systemd hands a
# unit's RuntimeDirectory back to root:root whenever it runs one of the
# unit's commands, ExecReload too (tests/system/systemd_container.sh
# showed the bus closed to the dnp3d group after `systemctl reload`).
# Here the same is done by hand: the runtime directory and the bus socket
# chowned to root:root, then SIGHUP (a reload that changes nothing, so
# the hub keeps its socket): both are in the service group again by the
# time the reload is logged.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_reload.sh"
need_root

port=$(lw_port)
run=$LW_TMP/run
lw_conf2 "$port" a 127.0.0.2 10 b 127.0.0.3 20
sed -i "s|runtime_dir = .*|runtime_dir = \"$run\";|" "$LW_TMP/dnp3d.conf"
lw_start "$LW_TMP/dnp3d.conf"
group=$(id -gn nobody)
[ "$(stat -c %G "$run")" = "$group" ] && [ "$(stat -c %G "$run/bus.ipc")" = "$group" ] ||
	fail "at start: $(stat -c '%n %U:%G' "$run" "$run/bus.ipc")"
chown root:root "$run" "$run/bus.ipc"
rl_hup 'reloaded .*0 started, 0 restarted, 0 stopped'
[ "$(stat -c %G "$run")" = "$group" ] || fail "directory: $(stat -c %G "$run")"
[ "$(stat -c %G "$run/bus.ipc")" = "$group" ] ||
	fail "socket: $(stat -c %G "$run/bus.ipc")"
[ "$(stat -c %a "$run/bus.ipc")" = 660 ] || fail "socket mode: $(stat -c %a "$run/bus.ipc")"
lw_stop
echo PASS
