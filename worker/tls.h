#ifndef DNP3D_WORKER_TLS_H
#define DNP3D_WORKER_TLS_H

/*
 * TLS between the worker and its master (the server's tls group). The
 * listener hands over the raw socket as for plain TCP; the worker runs
 * the handshake and the record layer itself, after its lockdown. All
 * that touches a file -- OpenSSL's own configuration, the certificate
 * chain, the private key, the CA -- is loaded into one SSL_CTX by
 * worker_tls_setup() before the lockdown (tls.c); the connection's side
 * is tls_conn.c, the reasons a person reads are tls_reason.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#define WORKER_TLS_SUBJECT_MAX	256

struct worker;

struct worker_tls {
	SSL_CTX		*ctx;
	SSL		*ssl;		/* NULL: no master */
	bool		 handshaking;
	bool		 want_write;	/* OpenSSL waits for POLLOUT */
	uint64_t	 renew_bytes;	/* since the keys were last renewed */
	char		 subject[WORKER_TLS_SUBJECT_MAX];	/* master's */
	/* What the last call found, for conn.c to act on (tls_conn.c
	   never closes the connection itself). */
	bool		 established;	/* the handshake has just succeeded */
	bool		 ended;		/* close: failed[0] ? tls_failed :
					   disconnected for why */
	int		 why;		/* enum worker_disc */
	char		 failed[128];	/* why the handshake failed */
};

/*
 * The profile, here and in dnp3d.conf(5): AEAD suites with ECDHE only,
 * TLS 1.2 and 1.3.
 */
#define WORKER_TLS12_CIPHERS	"ECDHE-ECDSA-AES128-GCM-SHA256:" \
	"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
	"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:" \
	"ECDHE-RSA-CHACHA20-POLY1305"
#define WORKER_TLS13_SUITES	"TLS_AES_128_GCM_SHA256:" \
	"TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
#define WORKER_TLS_GROUPS	"X25519:P-256:P-384"

/* tls.c: before the lockdown; fatal on a file that does not load. */
void	worker_tls_setup(struct worker *w);

/* tls_conn.c: the connection's side. */
int	worker_tls_start(struct worker *w, int fd);	/* at adoption */
void	worker_tls_end(struct worker *w);		/* before close(2) */
ssize_t	worker_tls_read(struct worker *w, uint8_t *buf, size_t cap);
ssize_t	worker_tls_write(struct worker *w, const uint8_t *buf, size_t len);
/* Handshake deadline and key renewal (WTIMER_TLS, bytes). */
void	worker_tls_tick(struct worker *w, uint64_t now);
/* Decrypted bytes waiting in OpenSSL: the loop must not sleep. */
bool	worker_tls_pending(const struct worker *w);
/* The poll events the record layer needs now. */
short	worker_tls_events(const struct worker *w, short want);
/* The master certificate's subject, NULL without TLS. */
const char *worker_tls_subject(const struct worker *w);

/*
 * tls_reason.c: why a handshake failed, for the log and the tls_failed
 * event: verify is SSL_get_verify_result(), err the first OpenSSL error
 * (0: none). buf holds the text where it is composed.
 */
const char *worker_tls_reason(long verify, unsigned long err, char *buf,
	    size_t len);

#endif
