#!/usr/bin/env bash
# The packaged dnp3d under a real systemd: builds the Debian package from
# a build directory, makes a minimal Debian 12 root with mmdebstrap (from
# this machine's apt sources: it needs the network, so it is not part of
# ctest), installs the package in it, boots it with systemd-nspawn
# (systemd as PID 1, a private network namespace with only loopback) and
# runs container_checks.sh inside, as a unit at the end of the boot:
#   systemctl start returns once dnp3d is ready, a master gets answers,
#   dnp3-status shows it; systemctl reload adds an outstation while a
#   master polls the kept one over one connection without a miss (same
#   worker pid); systemctl stop leaves no process; the journal has the
#   log; systemd-analyze security gives the unit's exposure.
# Run as root:  tests/system/systemd_container.sh [BUILD_DIR]
# Prints each check, "PASS" or the failures; exit 0 only when all passed.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
for c in mmdebstrap systemd-nspawn cpack; do
	command -v "$c" >/dev/null || { echo "$c is needed (Debian packages" \
	    "mmdebstrap, systemd-container, cmake)" >&2; exit 2; }
done
work=$(mktemp -d /var/tmp/dnp3d-systemd.XXXXXX)
# KEEP=1: the root and the results stay for a look (their path is printed).
if [ -n "${KEEP:-}" ]; then
	echo "keeping $work"
else
	trap 'rm -rf "$work"' EXIT
fi

echo "== building the package"
timeout 300 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" \
    >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work"/deb/dnp3d_*.deb)

echo "== a Debian 12 root with systemd and the package (mmdebstrap)"
# The package's Depends (the first of alternatives), then the package.
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
    sed 's/|.*//; s/(.*)//; s/ //g' | paste -sd,)
cp "$deb" "$work/dnp3d.deb"
timeout 900 mmdebstrap --variant=minbase \
    --include="systemd,systemd-sysv,dbus,jq,$deps" \
    --customize-hook="copy-in $work/dnp3d.deb /tmp" \
    --customize-hook='chroot "$1" dpkg -i /tmp/dnp3d.deb' \
    --customize-hook="copy-in $here/container_checks.sh /usr/local/bin" \
    bookworm "$work/root" >"$work/mmdebstrap.log" 2>&1 ||
	{ tail -30 "$work/mmdebstrap.log" >&2; exit 1; }
cat >"$work/root/etc/systemd/system/dnp3d-checks.service" <<'UNIT'
[Unit]
Description=dnp3d checks under systemd
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/bin/sh /usr/local/bin/container_checks.sh
ExecStopPost=/bin/systemctl --no-block poweroff
UNIT
mkdir -p "$work/root/etc/systemd/system/multi-user.target.wants" "$work/out"
ln -s ../dnp3d-checks.service \
    "$work/root/etc/systemd/system/multi-user.target.wants/"

echo "== booting it (systemd-nspawn --boot)"
# --register=no: this machine's systemd-machined need not run.
rc=0
timeout 300 systemd-nspawn -D "$work/root" --boot --private-network \
    --register=no --keep-unit --console=pipe --bind="$work/out:/out" \
    </dev/null >"$work/boot.log" 2>&1 || rc=$?
[ -s "$work/out/result" ] || {
	echo "no result from the container (nspawn exit $rc):" >&2
	tail -30 "$work/boot.log" >&2
	exit 1
}
cat "$work/out/result"
echo "== systemd-analyze security dnp3d (inside)"
grep -E "Overall exposure|✗" "$work/out/security" | tail -40 || true
if grep -q '^FAIL' "$work/out/result" || ! grep -q '^done' "$work/out/result"; then
	echo "--- log inside:" >&2
	cat "$work/out/log" >&2
	echo "--- journalctl -u dnp3d inside:" >&2
	cat "$work/out/journal" >&2
	exit 1
fi
echo PASS
