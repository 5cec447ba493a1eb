#!/usr/bin/env bash
# The example configuration deploy/dnp3d.conf passes "dnp3d -t", and the
# error format dnp3d.conf(5) documents (FILE:LINE: KEY: reason, exit 1) is
# what dnp3d prints for mistakes made in a copy of it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}" "${SRC:?}"

dnp3d=$BUILD/listener/dnp3d
[ -x "$dnp3d" ] || skip "$dnp3d is not built yet: cannot check the example"
tmp=$(mktemp -d /tmp/dnp3d-deploy-config.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
conf=$SRC/deploy/dnp3d.conf

out=$(timeout 10 "$dnp3d" -t -c "$conf" 2>&1) ||
    fail "dnp3d -t rejects deploy/dnp3d.conf: $out"
echo "$out"
case "$out" in
*"2 servers, 3 outstations"*) ;;
*) fail "dnp3d -t did not see the example's 2 servers and 3 outstations" ;;
esac

# bad SED-EXPRESSION EXPECTED: a copy broken one way must fail with exit 1
# and the documented message.
bad() {
	sed "$1" "$conf" > "$tmp/bad.conf"
	cmp -s "$conf" "$tmp/bad.conf" && fail "sed '$1' changed nothing"
	set +e
	out=$(timeout 10 "$dnp3d" -t -c "$tmp/bad.conf" 2>&1)
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "sed '$1': dnp3d -t exited $rc, want 1 ($out)"
	case "$out" in
	*"$2"*) echo "ok: $out" ;;
	*) fail "sed '$1': got '$out', want '$2'" ;;
	esac
}
line() { grep -n -m1 -- "$1" "$conf" | cut -d: -f1; }

n=$(line 'filter  = \[ "10.2.0.5"')
bad "${n}s|\"10.2.0.5\"|\"192.168.0.77\"|" \
    "$tmp/bad.conf:$n: servers.[0].outstations.[1].filter: outstations \"feeder-1\" and \"feeder-2\" both match"
n=$(line 'address = 11;')
bad "${n}s/11/70000/" \
    "$tmp/bad.conf:$n: servers.[0].outstations.[1].address: 70000 is out of range 0..65519"
n=$(line 'name    = "local-test"')
bad "${n}s/local-test/feeder-1/" "$tmp/bad.conf:$n: servers.[1].outstations.[0].name:"
n=$(line 'fragment     = {')
bad "${n}s/rx = 2048/rx = 100/" "$tmp/bad.conf:$n: servers.[0].outstations.[0].fragment.rx: 100 is out of range 249..65535"
n=$(line 'controls = "bus";')
bad "${n}s/controls/control/" "$tmp/bad.conf:$n: servers.[0].outstations.[1].control:"
echo "PASS: example accepted, errors name file, line and key"
