#!/usr/bin/env bash
# dnp3d -t checks the TLS files and names the file and the key on one line
# FILE:LINE: KEY: ...: a missing file, a key that is not the
# certificate's, an expired or not yet valid certificate, an outstation's
# certificate without its key, a master_name that is not a DNS name; the
# good files pass (exit 0). The check needs no root and starts nothing.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_tls.sh"

C=$LW_TMP/certs
mkdir -p "$C"
tls_certs "$C"
conf=$LW_TMP/t.conf
# mk CERT KEY [OUTSTATION KEYS]: the file to check.
mk() {
	cat >"$conf" <<CONF
user = "nobody";
servers = ( {
  listen = "127.0.0.1:20000";
  tls = { certificate = "$1"; private_key = "$2"; ca = "$C/ca.pem"; };
  outstations = ( { name = "a"; filter = "any"; address = 10; master = 1; ${3:-} } );
} );
CONF
}
# want_error REGEX: dnp3d -t exits 1 with exactly that line.
want_error() {
	local out rc
	out=$("$DNP3D" -t -c "$conf" 2>&1); rc=$?
	[ "$rc" = 1 ] || fail "dnp3d -t exit $rc, want 1: $out"
	[ "$(echo "$out" | wc -l)" = 1 ] || fail "more than one line: $out"
	echo "$out" | grep -qE "^dnp3d: $conf:$1\$" || fail "got '$out', want '$1'"
	echo "ok: $out"
}

mk "$C/server.pem" "$C/server.key" 'master_name = "scada-a.example.net";'
out=$("$DNP3D" -t -c "$conf" 2>&1) || fail "good files refused: $out"
echo "ok: $out"
mk "$C/missing.pem" "$C/server.key"
want_error "4: servers\.\[0\]\.tls\.certificate: $C/missing\.pem: No such file or directory"
mk "$C/server.pem" "$C/master.key"
want_error "4: servers\.\[0\]\.tls\.private_key: $C/master\.key does not match the certificate in $C/server\.pem"
mk "$C/expired.pem" "$C/expired.key"
want_error "4: servers\.\[0\]\.tls\.certificate: $C/expired\.pem: certificate 1 \(/CN=scada-a\) expired on Jan  1 00:00:00 2021 GMT"
mk "$C/server.pem" "$C/server.key" "certificate = \"$C/future.pem\"; private_key = \"$C/future.key\";"
want_error "5: servers\.\[0\]\.outstations\.\[0\]\.certificate: $C/future\.pem: certificate 1 \(/CN=scada-a\) is not valid before Jan  1 00:00:00 2099 GMT"
mk "$C/server.pem" "$C/server.key" "certificate = \"$C/master.pem\";"
want_error "5: servers\.\[0\]\.outstations\.\[0\]\.private_key: missing \(certificate and private_key go together\)"
mk "$C/server.pem" "$C/server.key" 'master_name = "*.example.net";'
want_error '5: servers\.\[0\]\.outstations\.\[0\]\.master_name: "\*\.example\.net" is not a DNS name'
mk "$C/server.pem" "$C/server.key"
sed -i "s|ca = \"$C/ca.pem\"|ca = \"$C/master.pem\"|" "$conf"
want_error "4: servers\.\[0\]\.tls\.ca: $C/master\.pem: certificate 1 is not a CA"
echo PASS
