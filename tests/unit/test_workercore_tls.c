/* libs: workertls */
/*
 * The TLS names a master must carry and the reasons a refused one gets:
 * master_name as the loader takes it (config_host_valid), the rule
 * the worker hands to OpenSSL (a DNS SAN matches exactly, the CN only
 * without one, no wildcard), and worker_tls_reason().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "config/check.h"
#include "worker/tls.h"

static void
test_host_valid(void **state)
{
	char longname[300];

	(void)state;
	assert_true(config_host_valid("scada-a.example.net"));
	assert_true(config_host_valid("scada"));
	assert_true(config_host_valid("10.0.0.5"));
	assert_false(config_host_valid(""));
	assert_false(config_host_valid("*.example.net"));
	assert_false(config_host_valid("a..b"));
	assert_false(config_host_valid(".a"));
	assert_false(config_host_valid("a."));
	assert_false(config_host_valid("-a.b"));
	assert_false(config_host_valid("a-.b"));
	assert_false(config_host_valid("a b"));
	assert_false(config_host_valid("a_b"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[253] = '\0';
	assert_true(config_host_valid(longname));
	longname[253] = 'a';
	longname[254] = '\0';
	assert_false(config_host_valid(longname));
}

/* A certificate with subject CN cn and, if san, that DNS SAN. */
static X509 *
cert(const char *cn, const char *san)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);
	X509_EXTENSION *e;
	char v[128];

	assert_non_null(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0), 1);
	if (san != NULL) {
		snprintf(v, sizeof(v), "DNS:%s", san);
		assert_non_null(e = X509V3_EXT_conf_nid(NULL, NULL,
		    NID_subject_alt_name, v));
		assert_int_equal(X509_add_ext(x, e, -1), 1);
		X509_EXTENSION_free(e);
	}
	return x;
}

/* The check of worker/tls.c: X509_VERIFY_PARAM host, no wildcards. */
static bool
matches(X509 *x, const char *name)
{
	return X509_check_host(x, name, 0, X509_CHECK_FLAG_NO_WILDCARDS,
	    NULL) == 1;
}

static void
test_name_rule(void **state)
{
	X509 *san = cert("other", "scada-a.example.net");
	X509 *cn = cert("scada-b.example.net", NULL);
	X509 *wild = cert("x", "*.example.net");

	(void)state;
	assert_true(matches(san, "scada-a.example.net"));
	assert_true(matches(san, "SCADA-A.example.net"));	/* DNS case */
	assert_false(matches(san, "other"));	/* CN ignored with a SAN */
	assert_false(matches(san, "scada-a.example.ne"));
	assert_false(matches(san, "a.scada-a.example.net"));
	assert_true(matches(cn, "scada-b.example.net"));
	assert_false(matches(cn, "scada-b"));
	assert_false(matches(wild, "scada-a.example.net"));
	X509_free(san);
	X509_free(cn);
	X509_free(wild);
}

static void
test_reasons(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(worker_tls_reason(X509_V_ERR_CERT_HAS_EXPIRED, 0,
	    buf, sizeof(buf)), "certificate expired");
	assert_string_equal(worker_tls_reason(X509_V_ERR_CERT_NOT_YET_VALID,
	    0, buf, sizeof(buf)), "certificate not yet valid");
	assert_string_equal(worker_tls_reason(X509_V_ERR_HOSTNAME_MISMATCH, 0,
	    buf, sizeof(buf)), "name mismatch");
	assert_string_equal(worker_tls_reason(
	    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0, buf, sizeof(buf)),
	    "unknown CA");
	assert_string_equal(worker_tls_reason(
	    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0, buf, sizeof(buf)),
	    "unknown CA");
	assert_string_equal(worker_tls_reason(X509_V_OK, ERR_PACK(ERR_LIB_SSL,
	    0, SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE), buf, sizeof(buf)),
	    "no client certificate");
	assert_string_equal(worker_tls_reason(X509_V_OK, ERR_PACK(ERR_LIB_SSL,
	    0, SSL_R_UNSUPPORTED_PROTOCOL), buf, sizeof(buf)),
	    "protocol version");
	assert_string_equal(worker_tls_reason(X509_V_OK, ERR_PACK(ERR_LIB_SSL,
	    0, SSL_R_WRONG_VERSION_NUMBER), buf, sizeof(buf)), "not TLS");
	/* Anything else says what OpenSSL said. */
	assert_string_equal(worker_tls_reason(X509_V_ERR_CERT_REVOKED, 0, buf,
	    sizeof(buf)), "certificate refused: certificate revoked");
	assert_string_equal(worker_tls_reason(X509_V_OK, 0, buf, sizeof(buf)),
	    "handshake failed");
	assert_non_null(strstr(worker_tls_reason(X509_V_OK,
	    ERR_PACK(ERR_LIB_SSL, 0, SSL_R_NO_SHARED_CIPHER), buf,
	    sizeof(buf)), "cipher"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_valid),
		cmocka_unit_test(test_name_rule),
		cmocka_unit_test(test_reasons),
	};

	OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS |
	    OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
