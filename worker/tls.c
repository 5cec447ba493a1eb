/*
 * The worker's SSL_CTX, built once before the lockdown while the worker
 * can still open files (it starts as root; the private key may be
 * readable by root only). Afterwards OpenSSL needs nothing from the
 * filesystem: the CA is in the store (no directory lookup), the
 * configuration and error strings are loaded, and sessions are not
 * resumed (no tickets, no cache), so a handshake is memory, getrandom and
 * the socket.
 */
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/log.h"
#include "worker/tls.h"
#include "worker/worker.h"

static void __attribute__((noreturn))
tls_fatal(const char *what, const char *path)
{
	char msg[256];

	ERR_error_string_n(ERR_peek_last_error(), msg, sizeof(msg));
	fatalx("tls: %s %s: %s", what, path, msg);
}

/* Protocol versions, suites, no compression, no resumption. */
static void
profile(SSL_CTX *ctx, const struct outstation_config *cfg)
{
	if (!SSL_CTX_set_min_proto_version(ctx,
	    cfg->tls_min_version == TLS_MIN_1_3 ? TLS1_3_VERSION :
	    TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, WORKER_TLS12_CIPHERS) ||
	    !SSL_CTX_set_ciphersuites(ctx, WORKER_TLS13_SUITES) ||
	    !SSL_CTX_set1_groups_list(ctx, WORKER_TLS_GROUPS) ||
	    !SSL_CTX_set_num_tickets(ctx, 0))
		tls_fatal("profile", "");
	/* OpenSSL 3 refuses renegotiation a client starts by default. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET |
	    SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_clear_options(ctx, SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	/* The output queue moves between writes (memmove in conn.c). */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

/* The master must show a certificate of the CA (and name, if set). */
static void
peer(SSL_CTX *ctx, const struct outstation_config *cfg)
{
	STACK_OF(X509_NAME) *names;
	X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);

	if (SSL_CTX_load_verify_locations(ctx, cfg->tls_ca, NULL) != 1)
		tls_fatal("CA file", cfg->tls_ca);
	if ((names = SSL_load_client_CA_file(cfg->tls_ca)) == NULL)
		tls_fatal("CA names of", cfg->tls_ca);
	SSL_CTX_set_client_CA_list(ctx, names);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	if (cfg->master_name[0] == '\0')
		return;
	/* The SAN DNS names; the subject's CN only when there is none. */
	X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_WILDCARDS);
	if (X509_VERIFY_PARAM_set1_host(vp, cfg->master_name, 0) != 1)
		tls_fatal("master_name", cfg->master_name);
}

void
worker_tls_setup(struct worker *w)
{
	const struct outstation_config *cfg = &w->cfg;
	struct worker_tls *t;
	SSL_CTX *ctx;

	if (!cfg->tls)
		return;
	if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG |
	    OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
	    NULL) != 1 || (ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		tls_fatal("OpenSSL", "initialisation");
	profile(ctx, cfg);
	if (SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert) != 1)
		tls_fatal("certificate", cfg->tls_cert);
	if (SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key,
	    SSL_FILETYPE_PEM) != 1)
		tls_fatal("private key", cfg->tls_key);
	if (SSL_CTX_check_private_key(ctx) != 1)
		tls_fatal("private key does not match", cfg->tls_cert);
	peer(ctx, cfg);
	if ((t = calloc(1, sizeof(*t))) == NULL)
		fatal("%s", __func__);
	t->ctx = ctx;
	w->tls = t;
	log_info("tls: %s, TLS %s and up, masters of %s%s%s",
	    cfg->tls_cert, cfg->tls_min_version == TLS_MIN_1_3 ? "1.3" :
	    "1.2", cfg->tls_ca, cfg->master_name[0] ? " named " : "",
	    cfg->master_name);
}
