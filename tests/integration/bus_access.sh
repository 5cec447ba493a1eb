#!/usr/bin/env bash
# Who may join the bus, with dnp3d confined as deploy/dnp3d.service confines
# it (its CapabilityBoundingSet: no CAP_CHOWN, CAP_FOWNER or
# CAP_DAC_OVERRIDE): the runtime directory becomes 0750 root:<service
# group>, the socket 0660 root:<service group>; a process of another uid
# in that group joins and sees events, one outside it can neither write
# to the socket nor see an event a member sees. The worker
# still joins and serves.
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_listener.sh"

UNIT=$SRC/deploy/dnp3d.service
lw_need_built "$EVENTS" "$MASTER"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed"

# The unit's bounding set in setpriv's words: -all,+setuid,+setgid,...
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tail -1)
[ -n "$caps" ] || fail "$UNIT has no CapabilityBoundingSet"
bset=-all
for c in $caps; do
	c=${c#CAP_}
	bset="$bset,+${c,,}"
done
cat >"$LW_TMP/confined" <<SH
#!/bin/sh
exec setpriv --bounding-set $bset "$BUILD/listener/dnp3d" "\$@"
SH
chmod +x "$LW_TMP/confined"
DNP3D=$LW_TMP/confined

grp=$(id -gn dnp3d 2>/dev/null || id -gn nobody)
gid=$(getent group "$grp" | cut -d: -f3)
[ -n "$gid" ] || fail "no gid for group $grp"
# A uid no account uses, so that only the group decides.
OTHER=64999
getent passwd "$OTHER" >/dev/null && fail "uid $OTHER exists here"

port=$(lw_port)
run=$LW_TMP/run
chmod 0711 "$LW_TMP"	# like /run: others may pass through
mkdir -m 0755 "$run"	# as systemd's RuntimeDirectory= leaves it: root:root
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.2"; address = 7; master = 1; } );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

v=$(stat -c '%a %U %G' "$run")
[ "$v" = "750 root $grp" ] || fail "$run: '$v', want '750 root $grp'"
v=$(stat -c '%a %U %G %F' "$run/bus.ipc")
[ "$v" = "660 root $grp socket" ] || fail "bus.ipc: '$v', want '660 root $grp socket'"
grep -q "Operation not permitted" "$LW_LOG" && fail "a step was refused: $(cat "$LW_LOG")"

# as UID GID ARGS...: dnp3-events as another user, no other groups (the
# bound is for a hang: the test waits for what it expects, or stops it).
as() {
	local uid=$1 g=$2
	shift 2
	timeout -k 2 310 setpriv --reuid="$uid" --regid="$g" --clear-groups \
	    "$EVENTS" -v -u "ipc://$run/bus.ipc" "$@"
}

# In the group: joins and sees the worker's event.
as "$OTHER" "$gid" --json -e connected -n 1 >"$LW_TMP/member.out" \
    2>"$LW_TMP/member.err" &
mpid=$!
for i in $(seq 1 "$WAIT"); do
	grep -q "joined the bus" "$LW_TMP/member.err" && break
	sleep 0.1
done
grep -q "joined the bus" "$LW_TMP/member.err" ||
	fail "a member of $grp did not join: $(cat "$LW_TMP/member.err")"
"$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" link-status >/dev/null ||
	fail "the worker does not answer"
wait_pid "$mpid" "$WAIT" "dnp3-events of a member" || fail "member's dnp3-events exited $?: $(cat "$LW_TMP/member.err")"
grep -q '"event":"connected","time":"[^"]*","source":"solo"' \
    "$LW_TMP/member.out" || fail "member saw: $(cat "$LW_TMP/member.out")"

# Outside the group: no write access to the socket, which connecting
# needs (the directory does not even let it through); a member has it.
can_write() {	# UID GID PATH
	setpriv --reuid="$1" --regid="$2" --clear-groups /bin/sh -c 'test -w "$1"' \
	    sh "$3"
}
can_write "$OTHER" "$gid" "$run/bus.ipc" || fail "a member cannot write to bus.ipc"
can_write "$OTHER" "$OTHER" "$run/bus.ipc" && fail "an outsider can write to bus.ipc"
# ... and its dnp3-events never joins and sees nothing, though it runs
# from before a member joins until after that member has seen an event.
as "$OTHER" "$OTHER" -n 1 >"$LW_TMP/outsider.out" 2>"$LW_TMP/outsider.err" &
opid=$!
as "$OTHER" "$gid" --json -e connected -n 1 >"$LW_TMP/member2.out" \
    2>"$LW_TMP/member2.err" &
m2pid=$!
wait_for "$LW_TMP/member2.err" "joined the bus" "$WAIT" ||
	fail "a member of $grp did not join: $(cat "$LW_TMP/member2.err")"
"$MASTER" -a 7 -b 127.0.0.2 "127.0.0.1:$port" link-status >/dev/null ||
	fail "the worker does not answer"
wait_pid "$m2pid" "$WAIT" "dnp3-events of a member" ||
	fail "member's dnp3-events exited $?: $(cat "$LW_TMP/member2.err")"
kill -0 "$opid" 2>/dev/null ||
	fail "an outsider's dnp3-events ended: $(cat "$LW_TMP/outsider.out" "$LW_TMP/outsider.err")"
stop_timed "$opid" "dnp3-events of an outsider"
grep -q "joined the bus" "$LW_TMP/outsider.err" &&
	fail "an outsider joined the bus"
[ -s "$LW_TMP/outsider.out" ] && fail "an outsider saw: $(cat "$LW_TMP/outsider.out")"

lw_stop
echo "PASS"
