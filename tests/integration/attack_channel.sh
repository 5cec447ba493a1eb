#!/usr/bin/env bash
# Issue 21, findings 1 and 12, through the real listener and a compromised
# worker (tests/attack/evil_worker, real lockdown). Outstation "evil"
# takes a master that does not read and tries to freeze the listener: it
# hands the master's socket to the listener with sendmsg(SCM_RIGHTS),
# which is not in its allowlist (SIGSYS; a log-only build shows the
# channel's own defence: EPIPE on the socketpair, whose listener end is
# shut for reading, ENOTSOCK on the pipe). Restarted, it sets SO_LINGER
# {1, INT_MAX} (SIGSYS), then SO_ATTACH_FILTER (SIGSYS), then passes the
# socket to the bus hub (SIGSYS). Meanwhile "good" keeps serving, the
# listener keeps accepting (evil serves again once its vectors are used
# up) and answers SIGTERM within lw_stop's bound.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_attack.sh"

port=$(lw_port)
la_setup evil giveback,linger,attach_filter,busfd
lw_conf2 "$port" evil 127.0.0.2 10 good 127.0.0.3 20
lw_start "$LW_TMP/dnp3d.conf"

# 1. giveback: the master's socket back to the listener.
lw_wait_log "evil: info: attack giveback: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 1
la_said "giveback: sendmsg(SCM_RIGHTS) to the listener: trying"
if la_logonly; then
	la_said "giveback: the master's socket on the socketpair: Broken pipe"
	la_said "giveback: the master's socket on the pipe: Socket operation on non-socket"
	la_said "giveback: five descriptors on the socketpair: Broken pipe"
fi
la_serves "$port" 127.0.0.3 20

# 2. linger: a close() that would block the last holder.
lw_wait_log "evil: info: attack linger: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 2
la_said "linger: setsockopt(SO_LINGER {1, INT_MAX}): trying"
la_serves "$port" 127.0.0.3 20

# 3. attach_filter (finding 12).
lw_wait_log "evil: info: attack attach_filter: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 3
la_said "attach_filter: setsockopt(SO_ATTACH_FILTER): trying"
la_serves "$port" 127.0.0.3 20

# 4. busfd: through the bus.
lw_wait_log "evil: info: attack busfd: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 4
la_said "busfd: bus socket: descriptor"
la_serves "$port" 127.0.0.3 20

# 5. Its vectors used up, evil serves again: the listener still routes.
la_wait_ready 5
la_serves "$port" 127.0.0.2 10
la_serves "$port" 127.0.0.3 20
la_end
echo "PASS: no descriptor reached the listener or the hub, sendmsg, SO_LINGER and SO_ATTACH_FILTER killed the worker, the listener kept serving and stopped on SIGTERM"
