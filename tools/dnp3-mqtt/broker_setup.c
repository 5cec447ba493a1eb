/*
 * The broker's address and TLS context, made once at start: the host
 * name is resolved here and never again (the sandbox has no resolver),
 * and the TLS files are read here (it opens no file). Certificates are
 * checked against the name given, not the address it resolved to.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker_int.h"

static int
url_err(char *err, size_t errlen, const char *url, const char *why)
{
	snprintf(err, errlen, "--broker %s: %s (mqtt://HOST[:PORT] or "
	    "mqtts://HOST[:PORT])", url, why);
	return -1;
}

/* mqtt://HOST[:PORT], mqtts://..., HOST may be [IPv6]. */
int
broker_parse_url(const char *url, struct broker_addr *a, char *err,
    size_t errlen)
{
	const char *p, *end, *port = NULL;
	char *e;
	long n;

	memset(a, 0, sizeof(*a));
	if (strncmp(url, "mqtt://", 7) == 0)
		p = url + 7;
	else if (strncmp(url, "mqtts://", 8) == 0) {
		p = url + 8;
		a->tls = 1;
	} else
		return url_err(err, errlen, url, "unknown scheme");
	if (*p == '[') {
		if ((end = strchr(p, ']')) == NULL)
			return url_err(err, errlen, url, "no ]");
		if (end[1] == ':')
			port = end + 2;
		else if (end[1] != '\0')
			return url_err(err, errlen, url, "junk after ]");
		p++;
	} else {
		end = strchr(p, ':');
		if (end != NULL)
			port = end + 1;
		else
			end = p + strlen(p);
	}
	if (end == p || (size_t)(end - p) >= sizeof(a->name))
		return url_err(err, errlen, url, "bad host");
	memcpy(a->name, p, (size_t)(end - p));
	a->port = a->tls ? 8883 : 1883;
	if (port != NULL) {
		n = strtol(port, &e, 10);
		if (*port == '\0' || *e != '\0' || n < 1 || n > 65535)
			return url_err(err, errlen, url, "bad port");
		a->port = (int)n;
	}
	return 0;
}

int
broker_resolve(struct broker_addr *a, char *err, size_t errlen)
{
	struct addrinfo hints, *res;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(a->name, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "broker %s: %s", a->name,
		    gai_strerror(rc));
		return -1;
	}
	rc = getnameinfo(res->ai_addr, res->ai_addrlen, a->addr,
	    sizeof(a->addr), NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc != 0) {
		snprintf(err, errlen, "broker %s: %s", a->name,
		    gai_strerror(rc));
		return -1;
	}
	a->literal = strcmp(a->addr, a->name) == 0;
	return 0;
}

static SSL_CTX *
tls_fail(SSL_CTX *ctx, char *err, size_t errlen, const char *what)
{
	char why[200];

	ERR_error_string_n(ERR_get_error(), why, sizeof(why));
	snprintf(err, errlen, "TLS: %s: %s", what, why);
	SSL_CTX_free(ctx);
	return NULL;
}

/* Peer verification against the name given (or the literal address). */
static int
verify_name(SSL_CTX *ctx, const struct broker_addr *a)
{
	X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);

	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (a->literal)
		return X509_VERIFY_PARAM_set1_ip_asc(vp, a->name);
	X509_VERIFY_PARAM_set_hostflags(vp,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	return X509_VERIFY_PARAM_set1_host(vp, a->name, 0);
}

SSL_CTX *
broker_tls_context(const struct mqtt_opts *o, const struct broker_addr *a,
    char *err, size_t errlen)
{
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return tls_fail(NULL, err, errlen, "SSL_CTX_new");
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION))
		return tls_fail(ctx, err, errlen, "TLS 1.2");
	if (o->tls_ca != NULL ?
	    !SSL_CTX_load_verify_locations(ctx, o->tls_ca, NULL) :
	    !SSL_CTX_set_default_verify_paths(ctx))
		return tls_fail(ctx, err, errlen, o->tls_ca != NULL ?
		    o->tls_ca : "system CA store");
	if (o->tls_cert != NULL &&
	    !SSL_CTX_use_certificate_chain_file(ctx, o->tls_cert))
		return tls_fail(ctx, err, errlen, o->tls_cert);
	if (o->tls_key != NULL && (!SSL_CTX_use_PrivateKey_file(ctx,
	    o->tls_key, SSL_FILETYPE_PEM) || !SSL_CTX_check_private_key(ctx)))
		return tls_fail(ctx, err, errlen, o->tls_key);
	if (!verify_name(ctx, a))
		return tls_fail(ctx, err, errlen, "verify name");
	return ctx;
}
