# Certificates for the tls_*.sh tests (sourced after lib.sh), made with the
# openssl command in the test's own directory: nothing is committed.
#
# tls_certs DIR makes, all EC P-256:
#   ca.pem ca.key             the masters' CA (and the server's issuer)
#   other-ca.pem              a CA dnp3d does not trust
#   server.pem server.key     the outstation, CN dnp3d-test
#   master.pem master.key     SAN DNS:scada-a.example.net, valid now
#   stranger.pem .key         SAN DNS:scada-a.example.net, by other-ca
#   expired.pem .key          by ca, valid 2020-2021
#   future.pem .key           by ca, valid from 2099
#   cnonly.pem .key           CN scada-b.example.net, no SAN
command -v openssl >/dev/null || skip "openssl not installed (Debian package openssl)"

# tls_ca DIR NAME: a self-signed CA NAME.pem/NAME.key.
tls_ca() {
	openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -keyout "$1/$2.key" -out "$1/$2.pem" -days 30 -subj "/CN=$2" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign 2>/dev/null ||
	    fail "openssl: CA $2"
}

# tls_leaf DIR NAME CA SUBJ [EXT [START END]]: NAME.pem signed by CA;
# with START and END (YYYYMMDDHHMMSSZ) through `openssl ca`, which can
# date a certificate in the past or the future. TLS_RSA=1: an RSA 2048
# key instead of P-256.
tls_leaf() {
	local d=$1 n=$2 ca=$3 subj=$4 ext=${5:-} cnf=$1/ca.cnf
	local kt="-newkey ec -pkeyopt ec_paramgen_curve:P-256"
	[ "${TLS_RSA:-0}" = 1 ] && kt="-newkey rsa:2048"
	# shellcheck disable=SC2086
	openssl req -new -nodes $kt \
	    -keyout "$d/$n.key" -out "$d/$n.csr" -subj "$subj" 2>/dev/null ||
	    fail "openssl: request $n"
	{
		echo "[ca]"; echo "default_ca = d"
		echo "[d]"; echo "database = $d/index.txt"
		echo "new_certs_dir = $d/issued"; echo "serial = $d/serial"
		echo "default_md = sha256"; echo "policy = p"
		echo "copy_extensions = none"; echo "x509_extensions = x"
		echo "[p]"; echo "commonName = supplied"
		echo "[x]"; echo "basicConstraints = CA:FALSE"
		[ -n "$ext" ] && echo "subjectAltName = $ext"
	} >"$cnf"
	: >"$d/index.txt"
	mkdir -p "$d/issued"
	[ -f "$d/serial" ] || echo 1000 >"$d/serial"
	openssl ca -batch -config "$cnf" -cert "$d/$ca.pem" -keyfile "$d/$ca.key" \
	    -in "$d/$n.csr" -out "$d/$n.pem" -notext \
	    $(if [ -n "${6:-}" ]; then echo "-startdate $6 -enddate $7"
	    else echo "-days 30"; fi) \
	    >/dev/null 2>&1 || fail "openssl: certificate $n"
}

tls_certs() {
	local d=$1
	tls_ca "$d" ca
	tls_ca "$d" other-ca
	tls_leaf "$d" server ca /CN=dnp3d-test DNS:dnp3d-test
	tls_leaf "$d" master ca /CN=scada-a DNS:scada-a.example.net
	tls_leaf "$d" stranger other-ca /CN=scada-a DNS:scada-a.example.net
	tls_leaf "$d" expired ca /CN=scada-a DNS:scada-a.example.net \
	    20200101000000Z 20210101000000Z
	tls_leaf "$d" future ca /CN=scada-a DNS:scada-a.example.net \
	    20990101000000Z 20991231000000Z
	tls_leaf "$d" cnonly ca /CN=scada-b.example.net
	chmod 600 "$d"/*.key
}

# tls_server_group DIR: the tls group of a server with DIR's files.
tls_server_group() {
	printf 'tls = { certificate = "%s/server.pem"; private_key = "%s/server.key"; ca = "%s/ca.pem"; %s};' \
	    "$1" "$1" "$1" "${2:-}"
}
