#!/usr/bin/env bash
# The systemd unit: "systemd-analyze verify" accepts the installed unit
# (with its programs and man pages found), its sandbox keeps the exposure
# score where it is, and its system call filter allows every call the
# listener, the workers' privilege drop and the workers' own seccomp
# allowlist (policy/worker_filter.c) make -- a call missing there would
# fail with EPERM only when running as a service.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}" "${SRC:?}"

command -v systemd-analyze >/dev/null ||
    skip "systemd-analyze not installed (Debian package systemd)"
tmp=$(mktemp -d /tmp/dnp3d-deploy-unit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
unit=$SRC/deploy/dnp3d.service

# 1. verify the installed unit, with paths pointing into the DESTDIR.
dest=$tmp/root
DESTDIR=$dest timeout 120 cmake --install "$BUILD" --prefix /usr \
    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2;
    fail "cmake --install failed"; }
[ -x "$dest/usr/sbin/dnp3d" ] ||
    fail "dnp3d was not installed (is the listener built in $BUILD?)"
mkdir -p "$tmp/units"
sed -e "s|=/usr/sbin/dnp3d |=$dest/usr/sbin/dnp3d |" \
    -e "s| /etc/dnp3d/dnp3d.conf| $dest/etc/dnp3d/dnp3d.conf|" \
    "$dest/usr/lib/systemd/system/dnp3d.service" > "$tmp/units/dnp3d.service"
grep -q "^ExecStart=$dest/usr/sbin/dnp3d -c $dest/etc/dnp3d/dnp3d.conf\$" \
    "$tmp/units/dnp3d.service" || fail "could not point the unit at DESTDIR"
# Documentation=man:... is checked with man(1): find the installed pages.
if ! MANPATH=$dest/usr/share/man SYSTEMD_LOG_LEVEL=notice \
    timeout 60 systemd-analyze verify "$tmp/units/dnp3d.service" \
    >"$tmp/verify.log" 2>&1 || [ -s "$tmp/verify.log" ]; then
	cat "$tmp/verify.log" >&2
	fail "systemd-analyze verify complained about the unit"
fi
# The same check does fail on a unit whose program is missing.
sed "s|=$dest/usr/sbin/dnp3d |=$tmp/missing/dnp3d |" \
    "$tmp/units/dnp3d.service" > "$tmp/units/broken.service"
if MANPATH=$dest/usr/share/man timeout 60 systemd-analyze verify \
    "$tmp/units/broken.service" >"$tmp/broken.log" 2>&1 &&
    ! [ -s "$tmp/broken.log" ]; then
	fail "verify accepted a unit whose ExecStart does not exist"
fi

# 2. The ExecStartPre line, run as written, accepts the installed example.
pre=$(sed -n 's/^ExecStartPre=//p' "$tmp/units/dnp3d.service")
$pre >"$tmp/pre.log" 2>&1 || { cat "$tmp/pre.log" >&2;
    fail "ExecStartPre ($pre) rejects the installed configuration"; }

# 3. The exposure score: 2.2 is the floor for a root listener that must
# chroot and setuid its workers (see the unit's comments); fail if a change
# makes it worse. --threshold is in tenths.
timeout 60 systemd-analyze security --offline=true --threshold=22 "$unit" \
    >"$tmp/security.log" 2>&1 || { tail -25 "$tmp/security.log" >&2;
    fail "exposure above 2.2"; }
score=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p' \
    "$tmp/security.log")
echo "exposure level: $score"

# 4. Directives the design depends on.
for line in Type=notify NoNewPrivileges=yes RuntimeDirectory=dnp3d \
    RuntimeDirectoryMode=0750 StateDirectory=dnp3d StateDirectoryMode=0700 \
    ProtectSystem=strict PrivateTmp=yes \
    'CapabilityBoundingSet=CAP_SETUID CAP_SETGID CAP_SYS_CHROOT CAP_SETPCAP CAP_KILL'; do
	grep -qx "$line" "$unit" || fail "unit lacks: $line"
done
# Reload: the file is checked (as ExecStartPre does), then SIGHUP.
[ "$(sed -n 's/^ExecReload=//p' "$unit" | sed "s|$dest||g")" = \
"/usr/sbin/dnp3d -t -c /etc/dnp3d/dnp3d.conf
/bin/sh -c 'kill -HUP \"\$MAINPID\"'" ] || fail "unit's ExecReload: $(grep ExecReload "$unit")"
! grep -q '^PrivateUsers=yes' "$unit" ||
    fail "PrivateUsers=yes would leave the workers' uid unmapped"
grep -qx 'runtime_dir = "/run/dnp3d";' "$SRC/deploy/dnp3d.conf" ||
    fail "the example's runtime_dir is not the unit's RuntimeDirectory"

# 5. Every call the processes need is allowed by SystemCallFilter=.
needed="socket bind listen accept4 setsockopt socketpair sendmsg recvmsg
  poll signalfd4 rt_sigprocmask fork clone execve wait4 kill exit_group
  pidfd_open
  openat mkdirat fchown fchmod getdents64
  memfd_create ftruncate fcntl pread64 pwrite64 fsync renameat unlinkat
  chroot chdir setgroups setresgid setresuid capget capset prctl prlimit64
  seccomp"
filter=$SRC/policy/worker_filter.c
[ -f "$filter" ] || fail "$filter not found"
# The quoted names of the worker's allowlist (one file, one list of them).
worker=$(sed -n '/^static const char \*const allow_plain/,/^};/p' "$filter" |
    grep -o '"[a-z0-9_]*"' | tr -d '"')
worker+=" $(grep -o 'SCMP_ACT_ALLOW, "[a-z0-9_]*"' "$filter" | grep -o '"[a-z0-9_]*"' | tr -d '"')"
[ "$(echo "$worker" | wc -w)" -gt 20 ] ||
    fail "could not read the worker allowlist from $filter"
python3 - "$unit" $needed $worker <<'PY' || fail "SystemCallFilter= denies calls dnp3d makes"
import re, subprocess, sys
unit, calls = sys.argv[1], sys.argv[2:]
out = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"],
                     capture_output=True, text=True, check=True).stdout
groups, cur = {}, None
for line in out.splitlines():
    if line.startswith("@"):
        cur = groups.setdefault(line.strip(), set())
    elif cur is not None and line.strip() and not line.strip().startswith("#"):
        cur.add(line.strip())
def expand(name, seen=()):
    if not name.startswith("@"):
        return {name}
    res = set()
    for m in groups[name]:
        if m not in seen:
            res |= expand(m, seen + (name,))
    return res
allowed = None
for line in open(unit):
    m = re.match(r"SystemCallFilter=(~?)(.*)", line.strip())
    if not m:
        continue
    names = set()
    for n in m.group(2).split():
        names |= expand(n)
    if m.group(1):
        allowed = (allowed if allowed is not None else set()) - names
    else:
        allowed = (allowed or set()) | names
missing = sorted(set(calls) - allowed)
if missing:
    print("denied by the unit's SystemCallFilter=:", " ".join(missing))
    sys.exit(1)
print("SystemCallFilter allows all %d calls checked" % len(set(calls)))
PY
echo "PASS: unit verifies, exposure $score, system calls allowed"
