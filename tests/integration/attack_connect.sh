#!/usr/bin/env bash
# Issue 21, finding 2, through the real listener and a compromised worker
# (tests/attack/evil_worker, real lockdown): the worker may not open an
# outbound connection. A new socket of any family kills the worker
# (SIGSYS); so does connect(AF_UNSPEC) on the master's socket, which would
# detach it for a connect() elsewhere, and sendto(MSG_FASTOPEN), which
# connects by itself. A TCP service on 127.0.0.1 that the attack aims at receives
# no connection, and the other outstation keeps serving.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_attack.sh"

# The attack's target: it logs every connection it accepts.
trap_port=$(lw_port)
python3 - "$trap_port" "$LW_TMP/trap.log" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(8)
s.settimeout(30)
open(sys.argv[2] + '.up', 'w').write('up\n')
try:
    while True:
        c, peer = s.accept()
        with open(sys.argv[2], 'a') as f:
            f.write('%s:%d %r\n' % (peer[0], peer[1], c.recv(64)))
except socket.timeout:
    pass
PY
LW_BG+=($!)
wait_for "$LW_TMP/trap.log.up" up "$WAIT" || fail "the trap service did not start"

port=$(lw_port)
export DNP3D_ATTACK_PORT=$trap_port
la_setup evil serve,socket,connect,fastopen
lw_conf2 "$port" evil 127.0.0.2 10 good 127.0.0.3 20
lw_start "$LW_TMP/dnp3d.conf"
# its next starts attack, one vector each
kill -9 "$(sed -n 's/.*worker evil ready (pid \([0-9]*\)).*/\1/p' "$LW_LOG")"

la_wait_kills 1
la_said "socket: socket(AF_UNIX): trying"
la_serves "$port" 127.0.0.3 20

lw_wait_log "evil: info: attack connect: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 2
la_said "connect: connect(AF_UNSPEC) on the master's socket: trying"
la_serves "$port" 127.0.0.3 20

lw_wait_log "evil: info: attack fastopen: waiting for a master"
la_master "$port" 127.0.0.2
la_wait_kills 3
la_said "fastopen: sendto(MSG_FASTOPEN): trying"
la_serves "$port" 127.0.0.3 20

if la_logonly; then
	echo "# log-only seccomp (sanitizer build): the trap service is not checked"
elif [ -s "$LW_TMP/trap.log" ]; then
	fail "the trap service was reached: $(cat "$LW_TMP/trap.log")"
fi
la_wait_ready 5
la_serves "$port" 127.0.0.2 10
la_end
echo "PASS: no outbound connection from the worker; socket(), connect(AF_UNSPEC) and MSG_FASTOPEN killed it"
