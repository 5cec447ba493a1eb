#!/usr/bin/env bash
# Type=notify, end to end with the installed programs: /usr/sbin/dnp3d from
# a DESTDIR finds its worker in ../libexec/dnp3d, sends READY=1 to
# NOTIFY_SOCKET only once its endpoint accepts connections and its worker
# is up, RELOADING=1 then READY=1 on SIGHUP, and STOPPING=1 on SIGTERM
# before it exits 0.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}" "${SRC:?}"

[ -x "$BUILD/listener/dnp3d" ] || skip "dnp3d is not built yet"
tmp=$(mktemp -d /tmp/dnp3d-deploy-notify.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"	# the workers' user must reach the bus socket's path

DESTDIR=$tmp/root timeout 120 cmake --install "$BUILD" --prefix /usr \
    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2;
    fail "cmake --install failed"; }
[ -x "$tmp/root/usr/libexec/dnp3d/dnp3d-hub" ] ||
    fail "dnp3d-hub was not installed"
[ -x "$tmp/root/usr/libexec/dnp3d/dnp3d-worker" ] ||
    fail "dnp3d-worker was not installed"

# Each wait below is for something that must happen: W s (lib.sh's WAIT);
# timeout's bound only ends a run that hangs.
timeout 300 python3 - "$tmp" "$(free_port)" "$((WAIT / 10))" <<'PY' || fail "readiness protocol (see above)"
import os, signal, socket, subprocess, sys, time

tmp, port, W = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.mkdir(tmp + "/run", 0o755)
with open(tmp + "/test.conf", "w") as f:
    f.write(f'''runtime_dir = "{tmp}/run"; user = "nobody";
servers = ( {{ listen = "127.0.0.1:{port}";
  outstations = ( {{ name = "n1"; filter = "any"; address = 10; master = 1;
    database = {{ binary_input = {{ count = 2; }}; }}; }} ); }} );
''')
mgr = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
mgr.bind(tmp + "/notify.sock")
env = dict(os.environ, NOTIFY_SOCKET=tmp + "/notify.sock")
env.pop("DNP3D_WORKER", None)
log = open(tmp + "/dnp3d.log", "w")
p = subprocess.Popen([tmp + "/root/usr/sbin/dnp3d", "-c", tmp + "/test.conf"],
                     env=env, stdout=log, stderr=subprocess.STDOUT)

def fail(msg):
    if p.poll() is None:
        p.kill()
        p.wait()
    print("FAIL:", msg, file=sys.stderr)
    print(open(tmp + "/dnp3d.log").read(), file=sys.stderr)
    sys.exit(1)

def next_message(deadline):
    mgr.settimeout(max(0.1, deadline - time.time()))
    try:
        return mgr.recv(4096).decode()
    except socket.timeout:
        return None

msg = next_message(time.time() + W)
if msg is None:
    fail("no notification within %d s" % W)
if msg != "READY=1\nSTATUS=1 outstation ready":
    fail("first notification was %r" % msg)
# Ready means the endpoint is bound and listening.
c = socket.create_connection(("127.0.0.1", port), timeout=W)
c.close()
# A reload (the same file): RELOADING=1 with the time, then READY=1.
p.send_signal(signal.SIGHUP)
msg = next_message(time.time() + W)
if msg is None or not msg.startswith("RELOADING=1\nMONOTONIC_USEC="):
    fail("after SIGHUP got %r, want RELOADING=1 and MONOTONIC_USEC" % msg)
msg = next_message(time.time() + W)
if msg != "READY=1\nSTATUS=1 outstation, reloaded":
    fail("after RELOADING=1 got %r, want READY=1" % msg)
p.send_signal(signal.SIGTERM)
msg = next_message(time.time() + W)
if msg != "STOPPING=1":
    fail("after SIGTERM got %r, want STOPPING=1" % msg)
try:
    rc = p.wait(timeout=W)
except subprocess.TimeoutExpired:
    fail("still running %d s after SIGTERM" % W)
if rc != 0:
    fail("exit status %d after SIGTERM, want 0" % rc)
print("READY=1 after bind and worker start, RELOADING=1 and READY=1 on "
      "SIGHUP, STOPPING=1, exit 0")

# An endpoint that cannot be bound: exit 1 and never READY=1.
busy = socket.socket()
busy.bind(("127.0.0.1", 0))
busy.listen(1)
with open(tmp + "/test.conf") as f:
    conf = f.read().replace(f":{port}", f":{busy.getsockname()[1]}")
with open(tmp + "/busy.conf", "w") as f:
    f.write(conf)
p = subprocess.Popen([tmp + "/root/usr/sbin/dnp3d", "-c", tmp + "/busy.conf"],
                     env=env, stdout=log, stderr=subprocess.STDOUT)
try:
    rc = p.wait(timeout=W)
except subprocess.TimeoutExpired:
    fail("still running %d s after a failed bind" % W)
if rc != 1:
    fail("exit status %d after a failed bind, want 1" % rc)
# (it has exited: what it sent is queued already)
msg = next_message(time.time() + 0.5)
if msg is not None and "READY=1" in msg:
    fail("READY=1 sent although the endpoint could not be bound: %r" % msg)
log.flush()
text = open(tmp + "/dnp3d.log").read()
want = "127.0.0.1:%d" % busy.getsockname()[1]
if want not in text or "Address already in use" not in text:
    fail("the log does not name %s and the reason" % want)
print("bind failure: exit 1, no READY=1, the log names endpoint and reason")
PY
echo "PASS: installed dnp3d notifies readiness and stopping"
