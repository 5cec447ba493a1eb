#!/usr/bin/env bash
# The cipher suites a server with tls accepts are exactly those that
# dnp3d.conf(5) lists as offered ("yes" in its table against IEC
# 62351-3): every TLS 1.2 suite OpenSSL knows (ALL:COMPLEMENTOFALL at
# security level 0) and every TLS 1.3 suite is tried with openssl
# s_client and a good master certificate, against an outstation with an
# ECDSA certificate and one with an RSA certificate; a suite is accepted
# when either handshake completes with it.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_listener.sh"
. "$(dirname "$0")/lib_tls.sh"

MAN=$(dirname "$0")/../../deploy/man/dnp3d.conf.5
[ -r "$MAN" ] || fail "no $MAN"
C=$LW_TMP/certs
mkdir -p "$C"
tls_certs "$C"
TLS_RSA=1 tls_leaf "$C" rsa ca /CN=dnp3d-rsa DNS:dnp3d-rsa
chmod 600 "$C/rsa.key"
p1=$(lw_port)
p2=$(lw_port)
os='outstations = ( { name = "N"; filter = "any"; address = 10; master = 1; } );'
cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = (
  { listen = "127.0.0.1:$p1"; $(tls_server_group "$C") ${os/N/ecdsa} },
  { listen = "127.0.0.1:$p2";
    tls = { certificate = "$C/rsa.pem"; private_key = "$C/rsa.key"; ca = "$C/ca.pem"; };
    ${os/N/rsa} }
);
CONF
lw_start "$LW_TMP/dnp3d.conf"

# The documented ones, by IANA name.
want=$(sed -n 's/^\.It Li \(TLS_[A-Z0-9_]*\) Ta .* Ta yes$/\1/p' "$MAN" | sort)
[ "$(echo "$want" | wc -l)" -ge 3 ] || fail "no offered suites found in $MAN"

# hello PORT VERSION-FLAG SUITE-FLAG SUITE: the cipher of a completed
# handshake, or nothing.
hello() {
	timeout 10 openssl s_client -connect "127.0.0.1:$1" "$2" "$3" "$4" \
	    -CAfile "$C/ca.pem" -cert "$C/master.pem" -key "$C/master.key" \
	    </dev/null 2>/dev/null | sed -n 's/^New, TLSv1\.[23], Cipher is //p'
}
got= n=0
# TLS 1.2 (and older suites usable in it): "IANA - OPENSSL ...".
while read -r iana _ ossl _; do
	n=$((n + 1))
	for port in "$p1" "$p2"; do
		if [ "$(hello "$port" -tls1_2 -cipher "$ossl:@SECLEVEL=0")" = "$ossl" ]; then
			got+="$iana"$'\n'
			break
		fi
	done
done < <(openssl ciphers -stdname 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' |
    grep -v ' TLSv1\.3 ')
for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 \
    TLS_CHACHA20_POLY1305_SHA256 TLS_AES_128_CCM_SHA256 TLS_AES_128_CCM_8_SHA256; do
	n=$((n + 1))
	[ "$(hello "$p1" -tls1_3 -ciphersuites "$s")" = "$s" ] && got+="$s"$'\n'
done
[ "$n" -ge 60 ] || fail "only $n suites known to openssl: the test would prove little"
got=$(echo -n "$got" | sort)
[ "$got" = "$want" ] || fail "accepted suites differ from dnp3d.conf(5):
$(diff <(echo "$want") <(echo "$got"))"
echo "ok: of $n suites tried, exactly the $(echo "$got" | wc -l) documented ones are accepted"
lw_stop
echo "PASS"
