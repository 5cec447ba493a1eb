/*
 * Certificates and the TLS worker for the fuzz targets (tls_fixture.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "common/log.h"
#include "tests/fuzz/lib/tls_fixture.h"
#include "worker/tls.h"

static EVP_PKEY *master_key, *other_key;
static X509 *master_cert, *other_cert;

static void
ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL ||
	    X509_add_ext(x, e, -1) != 1)
		fatalx("fixture: extension %s", value);
	X509_EXTENSION_free(e);
}

/* A certificate for key k named cn, signed by issuer (NULL: itself). */
static X509 *
make_cert(EVP_PKEY *k, const char *cn, X509 *issuer, EVP_PKEY *ikey,
    const char *san)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n;

	if (x == NULL || X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), serial++) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 7 * 86400) == NULL ||
	    X509_set_pubkey(x, k) != 1)
		fatalx("fixture: certificate %s", cn);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	ext(x, issuer ? issuer : x, NID_basic_constraints,
	    san ? "CA:FALSE" : "critical,CA:TRUE");
	if (san == NULL)
		ext(x, x, NID_key_usage, "critical,keyCertSign");
	else
		ext(x, issuer, NID_subject_alt_name, san);
	if (X509_sign(x, ikey ? ikey : k, EVP_sha256()) == 0)
		fatalx("fixture: sign %s", cn);
	return x;
}

static void
write_pem(const char *dir, const char *name, X509 *x, EVP_PKEY *k)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL ||
	    (x != NULL && PEM_write_X509(f, x) != 1) ||
	    (k != NULL && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL,
	    NULL) != 1) || fclose(f) != 0)
		fatalx("fixture: write %s", path);
}

/* The files, in a directory removed again once they are loaded. */
static void
certificates(struct outstation_config *cfg)
{
	static char dir[] = "/tmp/dnp3d-fuzztls.XXXXXX";
	EVP_PKEY *ca_key = EVP_EC_gen("P-256"), *srv_key = EVP_EC_gen("P-256");
	X509 *ca, *srv;

	master_key = EVP_EC_gen("P-256");
	other_key = EVP_EC_gen("P-256");
	if (ca_key == NULL || srv_key == NULL || master_key == NULL ||
	    other_key == NULL ||
	    mkdtemp(dir) == NULL)
		fatalx("fixture: keys");
	ca = make_cert(ca_key, "fuzz-ca", NULL, NULL, NULL);
	srv = make_cert(srv_key, "dnp3d-fuzz", ca, ca_key, "DNS:dnp3d-fuzz");
	master_cert = make_cert(master_key, "scada-a", ca, ca_key,
	    "DNS:scada-a.example.net");
	other_cert = make_cert(other_key, "scada-b", ca, ca_key,
	    "DNS:scada-a.example.net");
	write_pem(dir, "ca.pem", ca, NULL);
	write_pem(dir, "server.pem", srv, NULL);
	write_pem(dir, "server.key", NULL, srv_key);
	snprintf(cfg->tls_ca, sizeof(cfg->tls_ca), "%s/ca.pem", dir);
	snprintf(cfg->tls_cert, sizeof(cfg->tls_cert), "%s/server.pem", dir);
	snprintf(cfg->tls_key, sizeof(cfg->tls_key), "%s/server.key", dir);
	snprintf(cfg->master_name, sizeof(cfg->master_name),
	    "scada-a.example.net");
	X509_free(ca);
	X509_free(srv);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(srv_key);
}

void
tls_fixture_init(struct worker *w)
{
	struct outstation_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "fuzz");
	snprintf(cfg.endpoint, sizeof(cfg.endpoint), "127.0.0.1:20000");
	for (int t = 0; t < PT_COUNT; t++) {
		cfg.db[t].count = t == PT_OCTET_STRING ? 0 : 4;
		cfg.db[t].class = 1;
		cfg.db[t].event_buffer = 10;
	}
	cfg.confirm_ms = cfg.select_ms = 5000;
	cfg.frag_rx = cfg.frag_tx = 2048;
	cfg.max_controls = 8;
	cfg.controls = CONTROL_ECHO;
	cfg.link_error_mode = LINK_ERROR_DISCARD;
	cfg.address = 10;
	cfg.master = 1;
	cfg.tls = true;
	cfg.tls_min_version = TLS_MIN_1_2;
	cfg.tls_handshake_ms = CFG_TLS_HANDSHAKE_DEFAULT;
	cfg.tls_renew_ms = CFG_TLS_RENEW_MS_DEFAULT;
	cfg.tls_renew_bytes = 1u << 30;
	certificates(&cfg);
	worker_init(w, -1, &cfg, -1, NULL);
	w->tls_ops = &worker_tls_ops;
	worker_tls_setup(w);
	unlink(cfg.tls_ca);
	unlink(cfg.tls_cert);
	unlink(cfg.tls_key);
	*strrchr(cfg.tls_ca, '/') = '\0';
	rmdir(cfg.tls_ca);
}

int
tls_fixture_adopt(struct worker *w)
{
	struct handoff h;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1 ||
	    fcntl(sv[1], F_SETFL, O_NONBLOCK) == -1)
		fatal("fixture: socketpair");
	memset(&h, 0, sizeof(h));
	h.family = 4;
	h.port = 40000;
	h.addr[10] = h.addr[11] = 0xff;
	h.addr[12] = 127;
	h.addr[15] = 1;
	worker_conn_adopt(w, sv[0], &h);
	return sv[1];
}

void
tls_fixture_step(struct worker *w)
{
	if (w->conn.fd < 0)
		return;
	worker_app_read(w, timer_now());
	if (w->conn.fd >= 0)
		worker_conn_flush(w);
}

bool
tls_fixture_pump(struct worker *w, int master, int rounds)
{
	static uint8_t sink[1 << 16];

	for (int i = 0; i < rounds && w->conn.fd >= 0; i++) {
		tls_fixture_step(w);
		while (read(master, sink, sizeof(sink)) > 0)
			;
	}
	return w->conn.fd >= 0;
}

void
tls_fixture_drop(struct worker *w, int master)
{
	worker_conn_close(w, WDISC_SHUTDOWN);
	close(master);
	ERR_clear_error();
}

SSL *
tls_fixture_client(int fd, int max)
{
	static SSL_CTX *ctx;
	SSL *ssl;

	if (ctx == NULL && ((ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_use_certificate(ctx, master_cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, master_key) != 1))
		fatalx("fixture: client context");
	/* The outstation's certificate is not what is fuzzed. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_max_proto_version(ssl, max) != 1)
		fatalx("fixture: client");
	SSL_set_connect_state(ssl);
	return ssl;
}

bool
tls_fixture_handshake(struct worker *w, SSL *c)
{
	bool client_done = false;

	for (int i = 0; i < 32; i++) {
		if (!client_done)
			client_done = SSL_do_handshake(c) == 1;
		if (w->conn.fd < 0)
			return false;
		if (client_done && !w->tls->handshaking)
			return true;
		tls_fixture_step(w);
	}
	return false;
}

void
tls_fixture_other_master(SSL *c)
{
	if (SSL_use_certificate(c, other_cert) != 1 ||
	    SSL_use_PrivateKey(c, other_key) != 1)
		fatalx("fixture: the other master");
}
