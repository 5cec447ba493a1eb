/*
 * Why a master's handshake failed, in the words of docs/EVENTS.md: the
 * certificate check first (the verify result names what was wrong with
 * the master's certificate), then the handshake's own error.
 */
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "worker/tls.h"

static const char *
verify_reason(long verify)
{
	switch (verify) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return "certificate expired";
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "certificate not yet valid";
	case X509_V_ERR_HOSTNAME_MISMATCH:
		return "name mismatch";
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return "unknown CA";
	default:
		return NULL;
	}
}

static const char *
ssl_reason(unsigned long err)
{
	if (ERR_GET_LIB(err) != ERR_LIB_SSL)
		return NULL;
	switch (ERR_GET_REASON(err)) {
	case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
		return "no client certificate";
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_VERSION_TOO_LOW:
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
		return "protocol version";
	case SSL_R_NO_SHARED_CIPHER:
		return "no shared cipher suite";
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_HTTP_REQUEST:
	case SSL_R_PACKET_LENGTH_TOO_LONG:
		return "not TLS";
	default:
		return NULL;
	}
}

const char *
worker_tls_reason(long verify, unsigned long err, char *buf, size_t len)
{
	const char *r;

	if (verify != X509_V_OK) {
		if ((r = verify_reason(verify)) != NULL)
			return r;
		snprintf(buf, len, "certificate refused: %s",
		    X509_verify_cert_error_string(verify));
		return buf;
	}
	if ((r = ssl_reason(err)) != NULL)
		return r;
	if (err == 0)
		return "handshake failed";
	snprintf(buf, len, "handshake failed: %s",
	    ERR_reason_error_string(err) != NULL ?
	    ERR_reason_error_string(err) : "unknown error");
	return buf;
}
