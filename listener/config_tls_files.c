/*
 * What `dnp3d -t` checks in the TLS files, with OpenSSL: each file opens
 * and holds PEM, every certificate in it is valid now, and a private key
 * matches its certificate. The worker loads the same files again before
 * its lockdown and fails the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "listener/config_tls.h"

static FILE *
open_file(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return fp;
}

static void
asn1_time(const ASN1_TIME *t, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;

	buf[0] = '\0';
	if (b == NULL)
		return;
	if (ASN1_TIME_print(b, t) == 1)
		n = BIO_read(b, buf, (int)len - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(b);
}

/* Certificate number i of path is valid now. */
static int
check_validity(X509 *x, const char *path, int i, char *err, size_t errlen)
{
	char subj[256], when[64];

	X509_NAME_oneline(X509_get_subject_name(x), subj, sizeof(subj));
	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0) {
		asn1_time(X509_get0_notAfter(x), when, sizeof(when));
		snprintf(err, errlen, "%s: certificate %d (%s) expired on %s",
		    path, i + 1, subj, when);
		return -1;
	}
	if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
		asn1_time(X509_get0_notBefore(x), when, sizeof(when));
		snprintf(err, errlen, "%s: certificate %d (%s) is not valid "
		    "before %s", path, i + 1, subj, when);
		return -1;
	}
	return 0;
}

int
tlsfile_check_certs(const char *path, bool ca, char *err, size_t errlen)
{
	FILE *fp;
	X509 *x;
	int i, rc = 0;

	if ((fp = open_file(path, err, errlen)) == NULL)
		return -1;
	for (i = 0; rc == 0 && (x = PEM_read_X509(fp, NULL, NULL, NULL)) !=
	    NULL; i++) {
		rc = check_validity(x, path, i, err, errlen);
		if (rc == 0 && ca && X509_check_ca(x) == 0) {
			snprintf(err, errlen, "%s: certificate %d is not a CA",
			    path, i + 1);
			rc = -1;
		}
		X509_free(x);
	}
	fclose(fp);
	ERR_clear_error();	/* the read that ended the loop */
	if (rc == 0 && i == 0) {
		snprintf(err, errlen, "%s: no PEM certificate", path);
		rc = -1;
	}
	return rc;
}

int
tlsfile_check_key(const char *path, const char *cert, char *err,
    size_t errlen)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	FILE *fp;
	int rc = -1;

	if ((fp = open_file(path, err, errlen)) == NULL)
		return -1;
	key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (key == NULL) {
		snprintf(err, errlen, "%s: no PEM private key (or one with a "
		    "passphrase)", path);
		goto out;
	}
	if ((fp = open_file(cert, err, errlen)) == NULL)
		goto out;
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (x == NULL)
		snprintf(err, errlen, "%s: no PEM certificate", cert);
	else if (X509_check_private_key(x, key) != 1)
		snprintf(err, errlen, "%s does not match the certificate in "
		    "%s", path, cert);
	else
		rc = 0;
out:
	ERR_clear_error();
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}
