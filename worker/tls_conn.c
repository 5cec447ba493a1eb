/*
 * The master's TLS session, on the nonblocking socket of conn.c, in the
 * worker's poll loop: the handshake (cut after tls.handshake_timeout_ms),
 * the record layer, and the renewal of the session keys after
 * tls.key_renewal_ms or tls.key_renewal_bytes (TLS 1.3: KeyUpdate,
 * asking the master to update too; TLS 1.2: a renegotiation the server
 * starts). One timer, WTIMER_TLS, serves the handshake deadline and then
 * the renewal. What ends a connection or completes a handshake is left
 * in struct worker_tls for conn.c, which closes and reports.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/log.h"
#include "worker/tls.h"
#include "worker/worker.h"

int
worker_tls_start(struct worker *w, int fd)
{
	struct worker_tls *t = w->tls;

	if ((t->ssl = SSL_new(t->ctx)) == NULL || SSL_set_fd(t->ssl, fd) != 1) {
		log_warnx("tls: cannot start a session");
		SSL_free(t->ssl);
		t->ssl = NULL;
		return -1;
	}
	SSL_set_accept_state(t->ssl);
	t->handshaking = true;
	t->want_write = false;
	t->renew_bytes = 0;
	t->renegotiating = false;
	t->subject[0] = '\0';
	t->established = t->ended = false;
	t->failed[0] = '\0';
	timer_arm(&w->timers[WTIMER_TLS], timer_now(), w->cfg.tls_handshake_ms);
	return 0;
}

void
worker_tls_end(struct worker *w)
{
	struct worker_tls *t = w->tls;

	if (t == NULL || t->ssl == NULL)
		return;
	/* close_notify, once, if the socket takes it; never waited for. */
	if (!t->handshaking)
		SSL_shutdown(t->ssl);
	ERR_clear_error();
	SSL_free(t->ssl);
	t->ssl = NULL;
	t->handshaking = false;
	t->want_write = false;
}

static void
record_subject(struct worker_tls *t)
{
	X509 *x = SSL_get0_peer_certificate(t->ssl);

	t->subject[0] = '\0';
	if (x != NULL)
		X509_NAME_oneline(X509_get_subject_name(x), t->subject,
		    sizeof(t->subject));
}

static void
end(struct worker_tls *t, enum worker_disc why, const char *failed)
{
	t->ended = true;
	t->why = why;
	snprintf(t->failed, sizeof(t->failed), "%s", failed ? failed : "");
}

/* Why the handshake failed. */
static void
handshake_failed(struct worker *w, int ssl_err)
{
	struct worker_tls *t = w->tls;
	char buf[256];
	const char *why;

	if ((ssl_err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) ||
	    ssl_err == SSL_ERROR_ZERO_RETURN)
		why = "closed by peer during the handshake";
	else
		why = worker_tls_reason(SSL_get_verify_result(t->ssl),
		    ERR_peek_error(), buf, sizeof(buf));
	end(t, WDISC_IO_ERROR, why);
}

/* Drives the handshake. -1: it failed. */
static int
handshake(struct worker *w)
{
	struct worker_tls *t = w->tls;
	int r, e;

	ERR_clear_error();
	if ((r = SSL_do_handshake(t->ssl)) == 1) {
		t->handshaking = false;
		t->want_write = false;
		record_subject(t);
		timer_arm(&w->timers[WTIMER_TLS], timer_now(),
		    w->cfg.tls_renew_ms);
		log_debug("tls: %s with %s, master %s", SSL_get_version(t->ssl),
		    SSL_get_cipher_name(t->ssl), t->subject);
		t->established = true;
		return 0;
	}
	e = SSL_get_error(t->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		t->want_write = e == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	handshake_failed(w, e);
	return -1;
}

/*
 * After a record call that did not complete: 0 to try again on the next
 * poll, or -1 when the connection is to close.
 */
static int
record_error(struct worker *w, int r, const char *op)
{
	struct worker_tls *t = w->tls;
	int e = SSL_get_error(t->ssl, r);
	char buf[256];

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		t->want_write = e == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	/* A master that closes without close_notify has closed all the
	   same: DNP3 frames carry their own lengths, nothing is cut. */
	if (e == SSL_ERROR_ZERO_RETURN ||
	    (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0) ||
	    (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) ==
	    SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		end(t, WDISC_PEER_CLOSED, NULL);
		return -1;
	}
	if (e == SSL_ERROR_SSL)
		log_warnx("tls %s %s: %s", op, w->conn.peer,
		    worker_tls_reason(X509_V_OK, ERR_peek_error(), buf,
		    sizeof(buf)));
	else
		log_warn("tls %s %s", op, w->conn.peer);
	end(t, WDISC_IO_ERROR, NULL);
	return -1;
}

/* A TLS 1.2 renegotiation the server asked for has completed (the
   master's Finished came in with its records). */
static void
renegotiated(struct worker *w)
{
	struct worker_tls *t = w->tls;

	char was[sizeof(t->subject)];

	if (!t->renegotiating || SSL_renegotiate_pending(t->ssl))
		return;
	t->renegotiating = false;
	/* The CA and master_name were checked again; the identity must
	   also be the one the connection was reported with. */
	memcpy(was, t->subject, sizeof(was));
	record_subject(t);
	if (strcmp(was, t->subject) != 0) {
		log_warnx("tls: %s renegotiated as %s, was %s", w->conn.peer,
		    t->subject, was);
		end(t, WDISC_IO_ERROR, NULL);
		return;
	}
	log_info("tls: renegotiation with %s complete (%s, secure "
	    "renegotiation %s)", w->conn.peer, SSL_get_cipher_name(t->ssl),
	    SSL_get_secure_renegotiation_support(t->ssl) ? "yes" : "no");
}

ssize_t
worker_tls_read(struct worker *w, uint8_t *buf, size_t cap)
{
	struct worker_tls *t = w->tls;
	int r;

	if (t->handshaking && (handshake(w) == -1 || t->handshaking))
		return 0;
	ERR_clear_error();
	errno = 0;
	t->want_write = false;
	if ((r = SSL_read(t->ssl, buf, (int)(cap > INT32_MAX ? INT32_MAX :
	    cap))) > 0) {
		t->renew_bytes += (size_t)r;
		renegotiated(w);
		return r;
	}
	return record_error(w, r, "read from");
}

ssize_t
worker_tls_write(struct worker *w, const uint8_t *buf, size_t len)
{
	struct worker_tls *t = w->tls;
	int r;

	if (t->handshaking && (handshake(w) == -1 || t->handshaking))
		return 0;
	if (len == 0) {
		/* A record OpenSSL could not write (key update, a
		   renegotiation) waits for POLLOUT. */
		ERR_clear_error();
		if (t->want_write && SSL_do_handshake(t->ssl) != 1)
			return record_error(w, -1, "write to");
		t->want_write = false;
		return 0;
	}
	ERR_clear_error();
	errno = 0;
	t->want_write = false;
	if ((r = SSL_write(t->ssl, buf, (int)(len > INT32_MAX ? INT32_MAX :
	    len))) > 0) {
		t->renew_bytes += (size_t)r;
		return r;
	}
	return record_error(w, r, "write to");
}

/* New session keys; the message goes out with the next record. */
static void
renew(struct worker *w, uint64_t now)
{
	struct worker_tls *t = w->tls;
	bool v13 = SSL_version(t->ssl) == TLS1_3_VERSION;

	ERR_clear_error();
	if (v13 ? SSL_key_update(t->ssl, SSL_KEY_UPDATE_REQUESTED) != 1 :
	    SSL_renegotiate(t->ssl) != 1)
		log_warnx("tls: cannot renew the session keys with %s",
		    w->conn.peer);
	else {
		t->renegotiating = !v13;
		log_info("tls: session keys renewed (%s) with %s after %llu "
		    "bytes", v13 ? "key update" : "renegotiation", w->conn.peer,
		    (unsigned long long)t->renew_bytes);
	}
	t->renew_bytes = 0;
	timer_arm(&w->timers[WTIMER_TLS], now, w->cfg.tls_renew_ms);
	ERR_clear_error();
	if (SSL_do_handshake(t->ssl) != 1)
		record_error(w, -1, "renew with");
}

void
worker_tls_tick(struct worker *w, uint64_t now)
{
	struct worker_tls *t = w->tls;
	bool due;

	if (t == NULL || t->ssl == NULL || t->ended)
		return;
	due = timer_expired(&w->timers[WTIMER_TLS], now);
	if (t->handshaking && due)
		end(t, WDISC_IO_ERROR, "handshake timeout");
	else if (!t->handshaking &&
	    (due || t->renew_bytes >= w->cfg.tls_renew_bytes))
		renew(w, now);
}

bool
worker_tls_pending(const struct worker *w)
{
	const struct worker_tls *t = w->tls;

	return t != NULL && t->ssl != NULL && !t->handshaking && !t->ended &&
	    SSL_pending(t->ssl) > 0;
}

short
worker_tls_events(const struct worker *w, short want)
{
	const struct worker_tls *t = w->tls;

	if (t == NULL || t->ssl == NULL)
		return want;
	if (t->handshaking)
		return t->want_write ? POLLOUT : POLLIN;
	return t->want_write ? (short)(want | POLLOUT) : want;
}
