#!/usr/bin/env bash
# "cmake --install" into a DESTDIR puts every deployed file where the
# documentation says, with sane modes, writes the install prefix into the
# unit, and never overwrites an operator's /etc/dnp3d/dnp3d.conf.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}" "${SRC:?}"

tmp=$(mktemp -d /tmp/dnp3d-deploy-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

install_to() {	# DESTDIR PREFIX
	DESTDIR="$1" timeout 120 cmake --install "$BUILD" --prefix "$2" \
	    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2;
	    fail "cmake --install --prefix $2 failed"; }
}

mode() { stat -c %a "$1"; }

dest=$tmp/root
install_to "$dest" /usr

# The files this folder installs, each with the mode it must have.
while read -r want path; do
	[ -f "$dest$path" ] || fail "not installed: $path"
	[ "$(mode "$dest$path")" = "$want" ] ||
	    fail "$path: mode $(mode "$dest$path"), want $want"
done <<'LIST'
644 /usr/lib/systemd/system/dnp3d.service
644 /etc/dnp3d/dnp3d.conf
644 /usr/share/man/man8/dnp3d.8.gz
644 /usr/share/man/man5/dnp3d.conf.5.gz
644 /usr/share/man/man1/dnp3-events.1.gz
644 /usr/share/man/man1/dnp3-master.1.gz
644 /usr/share/man/man1/dnp3-update.1.gz
644 /usr/share/doc/dnp3d/README.md
644 /usr/share/doc/dnp3d/examples/dnp3d.conf
LIST
for gz in "$dest"/usr/share/man/man?/*.gz; do
	page=$(basename "$gz" .gz)
	zcat "$gz" | cmp -s - "$SRC/deploy/man/$page" ||
	    fail "$gz is not deploy/man/$page compressed"
done
[ "$(mode "$dest/etc/dnp3d")" = 755 ] || fail "/etc/dnp3d: mode $(mode "$dest/etc/dnp3d")"
cmp -s "$SRC/deploy/dnp3d.conf" "$dest/etc/dnp3d/dnp3d.conf" ||
    fail "/etc/dnp3d/dnp3d.conf differs from deploy/dnp3d.conf"

# The programs, where the listener looks for them: dnp3d in sbin, its
# worker and hub in ../libexec/dnp3d relative to it (listener/supervise.c).
for prog in listener/dnp3d:/usr/sbin/dnp3d \
    listener/dnp3d-worker:/usr/libexec/dnp3d/dnp3d-worker \
    listener/dnp3d-worker-tls:/usr/libexec/dnp3d/dnp3d-worker-tls \
    listener/dnp3d-hub:/usr/libexec/dnp3d/dnp3d-hub \
    listener/dnp3d-classify:/usr/libexec/dnp3d/dnp3d-classify \
    listener/dnp3d-relay:/usr/libexec/dnp3d/dnp3d-relay; do
	built=$BUILD/${prog%%:*} path=${prog#*:}
	if [ -x "$built" ]; then
		[ -f "$dest$path" ] || fail "built but not installed: $path"
		[ "$(mode "$dest$path")" = 755 ] ||
		    fail "$path: mode $(mode "$dest$path"), want 755"
	else
		echo "note: $built not built, not checking $path"
	fi
done

# Nothing anywhere is writable by group or others, setuid or setgid.
bad=$(find "$dest" \( -perm /022 -o -perm /6000 \) -printf '%m %P\n')
[ -z "$bad" ] || fail "unsafe modes: $bad"
# Every file cmake reports installed landed under DESTDIR (none escaped to
# the real root); programs in bin, sbin and libexec are executable.
while read -r f; do
	[ -f "$dest$f" ] || fail "installed, but not under DESTDIR: $f"
	case "$f" in
	/usr/bin/*|/usr/sbin/*|/usr/libexec/*)
		[ "$(mode "$dest$f")" = 755 ] ||
		    fail "$f: mode $(mode "$dest$f"), want 755" ;;
	esac
done < "$BUILD/install_manifest.txt"

# The unit names the installed programs and configuration.
unit=$dest/usr/lib/systemd/system/dnp3d.service
grep -qx 'ExecStartPre=/usr/sbin/dnp3d -t -c /etc/dnp3d/dnp3d.conf' "$unit" ||
    fail "unit: ExecStartPre is not the /usr one"
grep -qx 'ExecStart=/usr/sbin/dnp3d -c /etc/dnp3d/dnp3d.conf' "$unit" ||
    fail "unit: ExecStart is not the /usr one"

# Another prefix: the unit follows it, the configuration goes to its etc.
other=$tmp/other
install_to "$other" /usr/local
unit=$other/usr/local/lib/systemd/system/dnp3d.service
[ -f "$other/usr/local/etc/dnp3d/dnp3d.conf" ] ||
    fail "prefix /usr/local: no /usr/local/etc/dnp3d/dnp3d.conf"
grep -qx 'ExecStart=/usr/local/sbin/dnp3d -c /usr/local/etc/dnp3d/dnp3d.conf' \
    "$unit" || fail "prefix /usr/local: ExecStart not rewritten: $(grep ^ExecStart= "$unit")"

# An operator's configuration survives a second install.
printf '# edited by the operator\n' > "$dest/etc/dnp3d/dnp3d.conf"
install_to "$dest" /usr
grep -q 'Keeping: .*/etc/dnp3d/dnp3d.conf' "$tmp/install.log" ||
    fail "second install did not say it kept the configuration"
[ "$(cat "$dest/etc/dnp3d/dnp3d.conf")" = '# edited by the operator' ] ||
    fail "second install overwrote /etc/dnp3d/dnp3d.conf"
cmp -s "$SRC/deploy/dnp3d.conf" "$dest/usr/share/doc/dnp3d/examples/dnp3d.conf" ||
    fail "the example in the documentation directory is not deploy/dnp3d.conf"
echo "PASS: install layout, modes, prefixes, kept configuration"
