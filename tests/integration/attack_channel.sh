#!/usr/bin/env bash
# Issue 21, findings 1 and 12, through the real listener and a compromised
# worker (tests/attack/evil_worker, real lockdown). Outstation "evil"
# takes a master that does not read and tries to freeze the listener: it
# hands the master's socket to the listener on the socketpair (EPIPE: the
# listener's end is shut for reading), on the pipe (ENOTSOCK: a pipe
# carries no descriptor) and as five descriptors in one record (EPIPE),
# then sets SO_LINGER {1, INT_MAX} (SIGSYS). Restarted, it tries
# SO_ATTACH_FILTER (SIGSYS), then passes the socket to the bus hub, whose
# nanomsg takes and closes descriptors, before SO_LINGER (SIGSYS). Meanwhile "good" keeps serving, the listener
# keeps accepting (evil serves again once its vectors are used up) and
# answers SIGTERM within lw_stop's bound.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_attack.sh"

port=$(lw_port)
la_setup evil linger,attach_filter,busfd
lw_conf2 "$port" evil 127.0.0.2 10 good 127.0.0.3 20
lw_start "$LW_TMP/dnp3d.conf"

# 1. linger: the master's socket back to the listener, then SO_LINGER.
lw_wait_log "evil: info: attack linger: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 1
la_said "linger: the master's socket on the socketpair: Broken pipe"
la_said "linger: the master's socket on the pipe: Socket operation on non-socket"
la_said "linger: five descriptors on the socketpair: Broken pipe"
la_said "linger: setsockopt(SO_LINGER {1, INT_MAX}): trying"
la_serves "$port" 127.0.0.3 20

# 2. attach_filter (finding 12).
lw_wait_log "evil: info: attack attach_filter: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 2
la_said "attach_filter: setsockopt(SO_ATTACH_FILTER): trying"
la_serves "$port" 127.0.0.3 20

# 3. busfd: through the bus, then SO_LINGER.
lw_wait_log "evil: info: attack busfd: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 3
la_said "busfd: bus socket: descriptor"
la_said "busfd: setsockopt(SO_LINGER {1, INT_MAX}): trying"
la_serves "$port" 127.0.0.3 20

# 4. Its vectors used up, evil serves again: the listener still routes.
la_wait_ready 4
la_serves "$port" 127.0.0.2 10
la_serves "$port" 127.0.0.3 20
la_end
echo "PASS: no descriptor reached the listener, SO_LINGER and SO_ATTACH_FILTER killed the worker, the listener kept serving and stopped on SIGTERM"
