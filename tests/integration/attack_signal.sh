#!/usr/bin/env bash
# Issue 21, finding 3, through the real listener and a compromised worker
# (tests/attack/evil_worker, real lockdown) on a kernel without Landlock
# scoping, as Debian 12's 6.1: the harness hides Landlock from the lockdown
# (ENOSYS), so seccomp alone must hold. All workers share one uid. The
# attacker tries the review's method (F_SETOWN + F_SETSIG + O_ASYNC, here
# on its channel from the listener), O_ASYNC alone, SIGSTOP with kill(), ptrace and
# process_vm_readv on its neighbour; each ends the attacker with SIGSYS,
# and the neighbour keeps its pid, is not stopped, and serves. The
# attacker is an outstation of a server with tls: it runs the set-up of
# dnp3d-worker-tls (certificates loaded before the lockdown), so the
# TLS worker's lockdown is the one under attack.
# (test_policy_lockdown tries tgkill, rt_sigqueueinfo, pidfd_open,
# pidfd_send_signal, F_SETSIG, F_SETLEASE, F_NOTIFY one by one.)
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_attack.sh"
. "$(dirname "$0")/lib_tls.sh"

vectors="fsetown async kill ptrace vmread"
# A sanitizer build only logs what seccomp would stop (SECURITY.md): there
# the signals would reach the victim. Only ptrace and process_vm_readv
# run, which fail without seccomp too: the worker is not dumpable.
grep -q "^DNP3D_SANITIZE:BOOL=ON" "$BUILD/CMakeCache.txt" 2>/dev/null &&
	vectors="ptrace vmread"
port=$(lw_port)
export DNP3D_ATTACK_NO_LANDLOCK=1
la_setup evil "serve,$(echo $vectors | tr ' ' ,)"
mkdir -p "$LW_TMP/certs"
tls_certs "$LW_TMP/certs"
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = (
  { listen = "127.0.0.1:$port";
    outstations = ( { name = "good"; filter = "127.0.0.3"; address = 20; master = 1; } ); },
  { listen = "127.0.0.1:$(lw_port)"; $(tls_server_group "$LW_TMP/certs")
    outstations = ( { name = "evil"; filter = "127.0.0.2"; address = 10; master = 1; } ); }
);
CONF
lw_start "$LW_TMP/dnp3d.conf"
grep -q "evil: info: tls: $LW_TMP/certs/server.pem, TLS 1.2 and up" "$LW_LOG" ||
	fail "the attacker did not run the TLS worker's set-up"
grep -q "evil: info: locked down: .*no landlock scope (kernel Landlock ABI 0 < 6)" \
    "$LW_LOG" || fail "Landlock was not hidden from the attacker"

victim=$(sed -n 's/.*worker good ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG")
evil=$(sed -n 's/.*worker evil ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG")
[ -n "$victim" ] && [ -n "$evil" ] || fail "worker pids not in the log"
[ "$(awk '/^Uid:/ { print $2 }' "/proc/$victim/status")" = \
  "$(awk '/^Uid:/ { print $2 }' "/proc/$evil/status")" ] ||
	fail "the workers do not share a uid: the test would prove nothing"
echo "$victim" >"$LW_TMP/victim.pid"
kill -9 "$evil"		# its next starts attack, one vector each

n=0
for v in $vectors; do
	n=$((n + 1))
	la_wait_kills "$n"
	la_said "$v"
	if la_logonly; then
		la_said "$v: $v: Operation not permitted"
		echo "# log-only seccomp (sanitizer build): $v failed as not dumpable"
	fi
	grep -q "attack $v: start (victim pid $victim)" "$LW_LOG" ||
		fail "$v did not aim at pid $victim"
	state=$(awk '/^State:/ { print $2 }' "/proc/$victim/status")
	[ "$state" = S ] || [ "$state" = R ] || fail "after $v the victim is in state $state"
	la_serves "$port" 127.0.0.3 20
done
[ "$(lw_worker_pids | grep -c "^$victim\$")" = 1 ] &&
    [ "$(grep -c "worker good ready" "$LW_LOG")" = 1 ] ||
	fail "the victim was restarted"
la_end
echo "PASS: without Landlock, seccomp alone stopped $n ways to signal or trace a neighbour of the same uid"
