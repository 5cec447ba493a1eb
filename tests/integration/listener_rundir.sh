#!/usr/bin/env bash
# Issue 21, finding 6: the runtime directory is trusted only when it is a
# real directory of the listener's user that nobody else may write to.
# dnp3d refuses to start, saying why, when it is world-writable (0777, as
# an attacker who pre-created it would leave it), owned by another user,
# or a symlink; and with a directory of its own, another user can place
# nothing in it, so an attacker's socket cannot take the place of
# bus.ipc. Every wait is bounded; only processes started here are
# stopped, by pid.
set -u
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_listener.sh"
command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed"

OTHER=64999	# a uid no account uses
getent passwd "$OTHER" >/dev/null && fail "uid $OTHER exists here"
port=$(lw_port)
run=$LW_TMP/run
chmod 0711 "$LW_TMP"
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "solo"; filter = "127.0.0.2"; address = 7; master = 1; } );
} );
CONF

# refused WHY: dnp3d must exit 1 at once, its log naming WHY at level
# error (what stops dnp3d is an error, issue 13).
refused() {
	timeout -k 2 10 "$DNP3D" -c "$LW_TMP/dnp3d.conf" 2>"$LW_TMP/refused.log"
	rc=$?
	[ "$rc" = 1 ] || fail "dnp3d exited $rc with $1: $(cat "$LW_TMP/refused.log")"
	grep -F "$1" "$LW_TMP/refused.log" | grep -q "^dnp3d\[[0-9]*\]: error: " ||
		fail "no error '$1' in: $(cat "$LW_TMP/refused.log")"
	[ -e "$run/bus.ipc" ] && fail "a bus socket was made in a refused directory"
	return 0
}

# An attacker's pre-created directory (as the non-root default under /tmp
# allowed), world-writable.
mkdir -m 0777 "$run" && chown "$OTHER:$OTHER" "$run" && chmod 0777 "$run" ||
	fail "cannot make the attacker's directory"
refused "belongs to uid $OTHER, not to uid 0: refusing to use it"
chown root:root "$run"
refused "is writable by others (mode 0777): refusing to use it"
chmod 0775 "$run"
refused "is writable by its group (mode 0775): refusing to use it"
rmdir "$run"

# A symlink to a good directory.
mkdir -m 0755 "$LW_TMP/elsewhere"
ln -s "$LW_TMP/elsewhere" "$run"
refused "is not a directory (a symbolic link?): refusing to use it"
rm "$run"

# Its own directory: closed, and nobody else can put a socket in it.
lw_start "$LW_TMP/dnp3d.conf"
v=$(stat -c '%U %a' "$run")
case "$v" in
"root 750") ;;
*) fail "$run: '$v', want root 750" ;;
esac
python3 - "$LW_TMP/evil.ipc" <<'PY' || fail "cannot make the attacker's socket"
import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])
PY
chown "$OTHER" "$LW_TMP/evil.ipc"
setpriv --reuid="$OTHER" --regid="$OTHER" --clear-groups \
    mv -f "$LW_TMP/evil.ipc" "$run/bus.ipc" 2>/dev/null &&
	fail "another user replaced bus.ipc"
setpriv --reuid="$OTHER" --regid="$OTHER" --clear-groups \
    touch "$run/x" 2>/dev/null && fail "another user wrote in $run"
[ "$(stat -c '%U %F' "$run/bus.ipc")" = "root socket" ] ||
	fail "bus.ipc: $(stat -c '%U %F' "$run/bus.ipc")"
out=$(lw_client status "$port" 127.0.0.2 7)
[ "$out" = "status 7" ] || fail "not serving: $out"
lw_stop
echo "PASS"
