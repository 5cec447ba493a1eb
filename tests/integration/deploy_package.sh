#!/usr/bin/env bash
# "cpack -G DEB" builds the Debian package: the unit, the programs, the man
# pages and the conffile are in it, Depends is computed, and the maintainer
# scripts create the system user on configure, stop the service on remove
# and delete the user on purge (run here with stand-ins for adduser,
# systemctl and friends that record how they were called).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}" "${SRC:?}"

command -v dpkg-deb >/dev/null || skip "dpkg-deb not installed"
[ -f "$BUILD/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $BUILD"
tmp=$(mktemp -d /tmp/dnp3d-deploy-package.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

timeout 240 cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$tmp/out" \
    >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
debs=("$tmp"/out/dnp3d_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || fail "no single dnp3d_*.deb in $tmp/out"
deb=${debs[0]}
echo "built $(basename "$deb")"

dpkg-deb -c "$deb" | awk '{ print $1, $6 }' > "$tmp/contents"
has() {	# MODE PATH
	grep -qx -- "$1 ./${2#/}" "$tmp/contents" ||
	    fail "package lacks $2 with mode $1 (have: $(grep -F "${2#/}" "$tmp/contents" || echo nothing))"
}
has -rw-r--r-- /usr/lib/systemd/system/dnp3d.service
has -rw-r--r-- /etc/dnp3d/dnp3d.conf
has -rwxr-xr-x /usr/sbin/dnp3d
has -rwxr-xr-x /usr/libexec/dnp3d/dnp3d-worker
has -rwxr-xr-x /usr/libexec/dnp3d/dnp3d-worker-tls
has -rwxr-xr-x /usr/libexec/dnp3d/dnp3d-hub
has -rwxr-xr-x /usr/libexec/dnp3d/dnp3d-classify
has -rwxr-xr-x /usr/libexec/dnp3d/dnp3d-relay
for page in man8/dnp3d.8 man5/dnp3d.conf.5 man1/dnp3-events.1 \
    man1/dnp3-master.1 man1/dnp3-update.1; do
	has -rw-r--r-- "/usr/share/man/$page.gz"
done
for tool in dnp3-events dnp3-master dnp3-update; do
	if [ -n "$(find "$BUILD/tools" -name "$tool" -type f -perm -u+x 2>/dev/null)" ]; then
		has -rwxr-xr-x "/usr/bin/$tool"
	else
		echo "note: $tool not built, not looked for in the package"
	fi
done
! grep -q '/usr/local/' "$tmp/contents" || fail "package has files under /usr/local"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/systemd/system/dnp3d.service |
    grep -qx 'ExecStart=/usr/sbin/dnp3d -c /etc/dnp3d/dnp3d.conf' ||
    fail "the packaged unit does not run /usr/sbin/dnp3d"

[ "$(dpkg-deb -f "$deb" Package)" = dnp3d ] || fail "Package is not dnp3d"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# adduser for the postinst, and the package of every shared library a
# packaged program needs (what dpkg-shlibdeps must have found).
mkdir "$tmp/fs"
dpkg-deb -x "$deb" "$tmp/fs"
wants="adduser libc6"
for elf in "$tmp"/fs/usr/sbin/* "$tmp"/fs/usr/bin/* "$tmp"/fs/usr/libexec/dnp3d/*; do
	[ -f "$elf" ] || continue
	for so in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		pkg=$(dpkg -S "*/$so" 2>/dev/null | head -1 | cut -d: -f1)
		[ -n "$pkg" ] || fail "$(basename "$elf") needs $so, which no package has"
		wants+=" $pkg"
	done
done
wants=$(echo $wants | tr ' ' '\n' | sort -u | tr '\n' ' ')
echo "expected in Depends: $wants"
for want in $wants; do
	case ", $depends," in
	*", $want"[\ ,]*) ;;
	*) fail "Depends lacks $want: $depends" ;;
	esac
done
readelf -d "$tmp/fs/usr/sbin/dnp3d" | grep -q 'NEEDED.*libconfig' ||
    fail "the packaged dnp3d does not link libconfig"

mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
[ "$(cat "$tmp/control/conffiles")" = /etc/dnp3d/dnp3d.conf ] ||
    fail "conffiles is not /etc/dnp3d/dnp3d.conf: $(cat "$tmp/control/conffiles")"
for s in postinst prerm postrm; do
	[ "$(stat -c %a "$tmp/control/$s")" = 755 ] || fail "$s is not mode 755"
	sh -n "$tmp/control/$s" || fail "$s: syntax error"
done

# Maintainer scripts against stand-ins. USER_EXISTS says whether getent
# finds the dnp3d user; every call is appended to calls.log.
mkdir "$tmp/bin"
for cmd in getent adduser useradd deluser userdel delgroup groupdel systemctl; do
	cat > "$tmp/bin/$cmd" <<STUB
#!/bin/sh
echo "$cmd \$*" >> "$tmp/calls.log"
[ "$cmd" != getent ] && exit 0
[ "\$USER_EXISTS" = yes ] && echo "dnp3d:x:999:999::/nonexistent:/usr/sbin/nologin"
[ "\$USER_EXISTS" = yes ]
STUB
	chmod 755 "$tmp/bin/$cmd"
done
run_script() {	# USER_EXISTS SCRIPT ARGS...
	local exists=$1 script=$2
	shift 2
	: > "$tmp/calls.log"
	USER_EXISTS=$exists PATH="$tmp/bin:/usr/bin:/bin" \
	    sh "$tmp/control/$script" "$@" || fail "$script $* exited non-zero"
}
expect_call() {
	grep -qx -- "$1" "$tmp/calls.log" ||
	    fail "expected call '$1', got: $(tr '\n' ';' < "$tmp/calls.log")"
}
no_call() {
	! grep -q -- "$1" "$tmp/calls.log" ||
	    fail "unexpected call '$1' in: $(tr '\n' ';' < "$tmp/calls.log")"
}
systemd=no
[ -d /run/systemd/system ] && systemd=yes

run_script no postinst configure ""
expect_call "adduser --system --group --quiet --no-create-home --home /nonexistent --shell /usr/sbin/nologin dnp3d"
if [ $systemd = yes ]; then expect_call "systemctl daemon-reload"
else no_call systemctl; fi
no_call "systemctl enable"
no_call "systemctl start"
run_script yes postinst configure 0.0.9
no_call adduser
run_script yes prerm remove
if [ $systemd = yes ]; then expect_call "systemctl stop dnp3d.service"; fi
run_script yes postrm remove
no_call deluser
run_script yes postrm purge
expect_call "deluser --system --quiet dnp3d"
expect_call "delgroup --system --quiet --only-if-empty dnp3d"
run_script no postrm purge
no_call deluser
# The same scripts with the real adduser/useradd and deluser/userdel, in a
# private mount namespace whose /etc is a copy: the host keeps its users.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	cp -a /etc "$tmp/etc"
	if getent passwd dnp3d >/dev/null; then
		echo "note: this host has a dnp3d user; it is removed in the copy first"
	fi
	timeout 60 unshare -m sh -c '
		set -e
		mount --bind "$1/etc" /etc
		getent passwd dnp3d >/dev/null && userdel dnp3d
		sh "$1/control/postinst" configure ""
		getent passwd dnp3d | cut -d: -f6,7 > "$1/real.user"
		getent group dnp3d >/dev/null && echo group >> "$1/real.user"
		sh "$1/control/postinst" configure 0.0.9
		sh "$1/control/postrm" purge 2>/dev/null
		getent passwd dnp3d >/dev/null && echo "user left" >> "$1/real.user"
		getent group dnp3d >/dev/null && echo "group left" >> "$1/real.user"
		true' sh "$tmp" || fail "maintainer scripts failed with the real tools"
	[ "$(cat "$tmp/real.user")" = "$(printf '/nonexistent:/usr/sbin/nologin\ngroup')" ] ||
	    fail "real run: got $(tr '\n' ';' < "$tmp/real.user"), want the user, its group, both gone after purge"
	echo "ok: postinst created dnp3d (no home, nologin, own group), purge removed it"
else
	echo "note: not root or no mount namespaces: real adduser run not done"
fi
echo "PASS: package contents, Depends, conffiles, maintainer scripts"
