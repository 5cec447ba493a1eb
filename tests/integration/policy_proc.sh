#!/usr/bin/env bash
# Every worker of a running dnp3d is locked down, seen from outside in
# /proc: uid and gid not 0, no capabilities (bounding set included), no
# supplementary groups but its own, no_new_privs, a seccomp filter, a root
# that is the empty directory, rlimits -- and every thread of it is
# filtered and unprivileged; so is the bus hub (dnp3d-hub) and each of its
# threads (nanomsg's). The listener keeps only its five capabilities.
# A master is still served by the locked-down worker. A server with tls
# runs dnp3d-worker-tls, locked down the same; only it maps OpenSSL
# (libssl, libcrypto), a plain-TCP worker runs dnp3d-worker without it.
set -u
. "$(dirname "$0")/lib.sh"
need_root
for b in dnp3d dnp3d-worker dnp3d-worker-tls; do
	[ -x "$BUILD/listener/$b" ] ||
		skip "$BUILD/listener/$b is not built yet (listener/worker)"
done
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_tls.sh"

ZERO=0000000000000000
# CAP_SETUID 7, CAP_SETGID 6, CAP_SYS_CHROOT 18, CAP_SETPCAP 8, CAP_KILL 5
LISTENER_CAPS=$(printf '%016x' $(((1 << 7) | (1 << 6) | (1 << 18) | (1 << 8) | (1 << 5))))

# field FILE KEY: the value of "KEY:" in a /proc status file.
field() { sed -n "s/^$2:[[:space:]]*//p" "$1" | sed 's/[[:space:]]*$//'; }

# check_task STATUSFILE WHAT: the per-thread part of the lockdown.
check_task() {
	local st=$1 what=$2 k v
	[ -r "$st" ] || fail "$what: $st is gone"
	for k in Uid Gid; do
		for v in $(field "$st" $k); do
			[ "$v" != 0 ] || fail "$what: $k has 0: $(field "$st" $k)"
		done
	done
	for k in CapInh CapPrm CapEff CapAmb; do
		v=$(field "$st" $k)
		[ "$v" = "$ZERO" ] || fail "$what: $k is $v, want $ZERO"
	done
	v=$(field "$st" NoNewPrivs)
	[ "$v" = 1 ] || fail "$what: NoNewPrivs is '$v'"
	v=$(field "$st" Seccomp)
	[ "$v" = 2 ] || fail "$what: Seccomp is '$v' (2 = filter)"
}

port=$(lw_port)
run=$LW_TMP/run
mkdir -p "$LW_TMP/certs"
tls_certs "$LW_TMP/certs"
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = (
    { name = "alpha"; filter = "127.0.0.2"; address = 10; master = 1; },
    { name = "beta"; filter = "127.0.0.3"; address = 20; master = 1; }
  );
}, {
  listen = "127.0.0.1:$(lw_port)"; $(tls_server_group "$LW_TMP/certs")
  outstations = (
    { name = "gamma"; filter = "any"; address = 30; master = 1; }
  );
} );
CONF
lw_start "$LW_TMP/dnp3d.conf"

pids=$(lw_worker_pids)
[ "$(echo "$pids" | wc -w)" = 3 ] || fail "expected 3 worker pids, got '$pids'"
gamma=$(sed -n 's/.*worker gamma started (pid \([0-9]*\)).*/\1/p' "$LW_LOG")
for pid in $pids; do
	st=/proc/$pid/status
	# The program, and whether OpenSSL is mapped, by the server's tls.
	exe=$(readlink "/proc/$pid/exe") || fail "worker $pid: no exe link"
	ssl=$(grep -c 'lib\(ssl\|crypto\)\.so' "/proc/$pid/maps")
	if [ "$pid" = "$gamma" ]; then
		[ "${exe##*/}" = dnp3d-worker-tls ] && [ "$ssl" -gt 0 ] ||
			fail "TLS worker $pid: ${exe##*/}, $ssl OpenSSL mappings"
	else
		[ "${exe##*/}" = dnp3d-worker ] && [ "$ssl" = 0 ] ||
			fail "worker $pid: ${exe##*/}, $ssl OpenSSL mappings, want none"
	fi
	check_task "$st" "worker $pid"
	v=$(field "$st" CapBnd)
	[ "$v" = "$ZERO" ] || fail "worker $pid: CapBnd is $v, want $ZERO"
	v=$(field "$st" Groups)
	[ "$v" = "$(field "$st" Gid | cut -f1)" ] ||
		fail "worker $pid: supplementary groups '$v'"
	# Soft and hard: processes 0, core 0, open files 64. (Its stderr is a
	# file here, so the file size limit is left alone: see SECURITY.md.)
	for lim in "Max processes:0 0" "Max core file size:0 0" \
	    "Max open files:64 64"; do
		v=$(grep "^${lim%%:*} " "/proc/$pid/limits" | cut -c27- |
		    awk '{ print $1, $2 }')
		[ "$v" = "${lim#*:}" ] ||
			fail "worker $pid: ${lim%%:*} is '$v', want '${lim#*:}'"
	done
	root=$(readlink "/proc/$pid/root") || fail "worker $pid: no root link"
	[ "$root" = "$run/empty" ] || fail "worker $pid: root is '$root', want $run/empty"
	[ -z "$(ls -A "$run/empty")" ] || fail "$run/empty is not empty"
	[ "$(stat -c '%u %a' "$run/empty")" = "0 555" ] ||
		fail "$run/empty: owner/mode $(stat -c '%u %a' "$run/empty")"
	n=0
	for t in "/proc/$pid/task/"*; do
		check_task "$t/status" "worker $pid thread ${t##*/}"
		n=$((n + 1))
	done
	echo "worker $pid: uid $(field "$st" Uid | cut -f1), root $root," \
	    "$n thread(s) filtered"
done

# The bus hub: the same lockdown, its own allowlist, root is the empty
# directory, and a descriptor limit sized for its clients.
hub=$(sed -n 's/.*hub started (pid \([0-9]*\)).*/\1/p' "$LW_LOG" | tail -1)
[ -n "$hub" ] || fail "no hub pid in the log"
lw_wait_log "bus hub ready \(pid $hub\)"
st=/proc/$hub/status
check_task "$st" "hub $hub"
v=$(field "$st" CapBnd)
[ "$v" = "$ZERO" ] || fail "hub $hub: CapBnd is $v, want $ZERO"
root=$(readlink "/proc/$hub/root") || fail "hub $hub: no root link"
[ "$root" = "$run/empty" ] || fail "hub $hub: root is '$root', want $run/empty"
for t in "/proc/$hub/task/"*; do
	check_task "$t/status" "hub $hub thread ${t##*/}"
done
v=$(grep "^Max processes " "/proc/$hub/limits" | cut -c27- | awk '{ print $1, $2 }')
[ "$v" = "0 0" ] || fail "hub $hub: Max processes is '$v'"
grep -q "dnp3d-hub\[$hub\]: info: locked down: .*seccomp" "$LW_LOG" ||
	fail "no 'locked down' line of the hub"
echo "hub $hub: uid $(field "$st" Uid | cut -f1), root $root, filtered"

st=/proc/$LW_PID/status
for k in CapEff CapPrm CapBnd; do
	v=$(field "$st" $k)
	[ "$v" = "$LISTENER_CAPS" ] ||
		fail "listener: $k is $v, want $LISTENER_CAPS (setuid setgid sys_chroot setpcap kill)"
done
[ "$(field "$st" NoNewPrivs)" = 1 ] || fail "listener: NoNewPrivs not set"

# Locked down and still serving.
out=$(lw_client status "$port" 127.0.0.2 10)
[ "$out" = "status 10" ] || fail "alpha after lockdown: '$out'"
grep -E "seccomp (kill-process|LOG-ONLY)" "$LW_LOG" >/dev/null ||
	fail "no 'locked down: ...' line in the log"

lw_stop
echo "PASS"
