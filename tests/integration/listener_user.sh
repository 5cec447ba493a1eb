#!/usr/bin/env bash
# Finding 5 of issue 21: no silent fallback to "nobody". As root, dnp3d
# refuses to start when the workers' user does not exist -- the default
# "dnp3d" on a machine without the package's user, or a named one -- with
# exit 1 and a message naming the user and the fix, and starts no worker;
# "nobody" is used when the configuration names it.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
[ "$(id -u)" = 0 ] || skip "needs root (the user is looked up as root only)"

port=$(lw_port)
conf() {	# USER_LINE
	cat <<CONF
runtime_dir = "$LW_TMP/run";
$1
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "only"; filter = "any"; address = 10; master = 1; } );
} );
CONF
}

# refuses USER CONF: exit 1 (within $WAIT), the message names USER and the
# fix, no worker started.
refuses() {
	local pid rc
	"$DNP3D" -d -c "$2" 2>"$LW_LOG" &
	pid=$!
	wait_pid "$pid" "$WAIT" "dnp3d with user $1"; rc=$?
	[ "$rc" = 1 ] || { cat "$LW_LOG" >&2; fail "user $1: exit $rc, want 1"; }
	grep -q "^dnp3d\[[0-9]*\]: error: user \"$1\" does not exist: create it" "$LW_LOG" ||
		{ cat "$LW_LOG" >&2; fail "user $1: no message naming it and the fix"; }
	grep -q 'configuration.s "user" setting' "$LW_LOG" ||
		fail "user $1: the message does not point at the \"user\" setting"
	grep -q "worker .* started" "$LW_LOG" && fail "user $1: a worker was started"
	return 0
}

# 1. a named user that does not exist
missing=dnp3d-absent-$$
getent passwd "$missing" >/dev/null && fail "user $missing exists"
conf "user = \"$missing\";" >"$LW_TMP/named.conf"
refuses "$missing" "$LW_TMP/named.conf"

# 2. the default user, where it does not exist (no "user" line at all)
conf "" >"$LW_TMP/default.conf"
if getent passwd dnp3d >/dev/null; then
	echo "# user dnp3d exists here: the default-user refusal is not run"
else
	refuses dnp3d "$LW_TMP/default.conf"
fi

# 3. "nobody", named, is used: the worker runs as its uid.
conf 'user = "nobody";' >"$LW_TMP/nobody.conf"
lw_start "$LW_TMP/nobody.conf"
pid=$(lw_worker_pids | head -1)
[ -n "$pid" ] || fail "no worker pid in the log"
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[ "$uid" = "$(id -u nobody)" ] || fail "worker uid $uid, want nobody's"
lw_stop
echo "PASS: missing user refused (exit 1, named, fix given), nobody used when named"
