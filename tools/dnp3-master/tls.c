/*
 * dnp3-master over TLS: the outstation's certificate must chain to
 * --tls-ca (and carry --tls-name, when given); --tls-cert/--tls-key is
 * the master's own identity, which dnp3d requires. With SSLKEYLOGFILE in
 * the environment the session secrets are appended to that file in the
 * NSS key log format, so that Wireshark/tshark can decrypt a capture.
 * The context (CA, certificate, key) is made before the connection, so
 * that a bad file is reported without connecting and the handshake
 * starts as soon as the connection is up: an outstation bounds the
 * handshake (dnp3d's tls.handshake_timeout_ms) from its accept. The
 * socket stays blocking, its reads bounded by SO_RCVTIMEO.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "common/log.h"
#include "dnp3master.h"

static FILE *keylog;

static void
keylog_line(const SSL *ssl, const char *line)
{
	(void)ssl;
	fprintf(keylog, "%s\n", line);
	fflush(keylog);
}

static void
tls_warn(const char *what, const char *arg)
{
	char msg[256];

	ERR_error_string_n(ERR_peek_last_error(), msg, sizeof(msg));
	log_warnx("tls: %s%s%s: %s", what, arg ? " " : "", arg ? arg : "",
	    msg);
}

SSL_CTX *
tls_client_ctx(const struct options *o)
{
	const char *kl = getenv("SSLKEYLOGFILE");
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (o->tls_max != NULL && SSL_CTX_set_max_proto_version(ctx,
	    strcmp(o->tls_max, "1.2") == 0 ? TLS1_2_VERSION :
	    TLS1_3_VERSION) != 1) {
		tls_warn("--tls-max", o->tls_max);
		goto bad;
	}
	if (SSL_CTX_load_verify_locations(ctx, o->tls_ca, NULL) != 1) {
		tls_warn("CA file", o->tls_ca);
		goto bad;
	}
	if (o->tls_cert != NULL &&
	    (SSL_CTX_use_certificate_chain_file(ctx, o->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, o->tls_key,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1)) {
		tls_warn("certificate/key", o->tls_cert);
		goto bad;
	}
	if (kl != NULL && kl[0] != '\0') {
		if (keylog == NULL && (keylog = fopen(kl, "a")) == NULL) {
			log_warn("SSLKEYLOGFILE %s", kl);
			goto bad;
		}
		SSL_CTX_set_keylog_callback(ctx, keylog_line);
	}
	return ctx;
bad:
	SSL_CTX_free(ctx);
	return NULL;
}

SSL *
tls_client_open(int fd, SSL_CTX *ctx, const struct options *o)
{
	struct timeval tv = { .tv_sec = o->timeout_ms / 1000,
	    .tv_usec = (o->timeout_ms % 1000) * 1000 };
	SSL *ssl = NULL;
	long v;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1) {
		log_warn("setsockopt");
		return NULL;
	}
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    (o->tls_name != NULL && (SSL_set1_host(ssl, o->tls_name) != 1 ||
	    SSL_set_tlsext_host_name(ssl, o->tls_name) != 1)))
		goto bad;
	if (SSL_connect(ssl) != 1) {
		v = SSL_get_verify_result(ssl);
		if (v != X509_V_OK)
			log_warnx("tls: the outstation's certificate: %s",
			    X509_verify_cert_error_string(v));
		else
			tls_warn("handshake with", o->target);
		goto bad;
	}
	log_debug("tls: %s with %s", SSL_get_version(ssl),
	    SSL_get_cipher_name(ssl));
	return ssl;
bad:
	SSL_free(ssl);
	return NULL;
}

void
tls_client_close(SSL *ssl)
{
	if (ssl == NULL)
		return;
	SSL_shutdown(ssl);
	SSL_free(ssl);
}
