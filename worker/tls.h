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
 *
 * Only dnp3d-worker-tls (main_tls.c), which the listener starts for a
 * server with tls, links those and OpenSSL; it hands them to the common
 * worker code as worker_tls_ops. dnp3d-worker, for plain TCP, links no
 * OpenSSL: its worker_tls_ops is NULL and w->tls stays NULL.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WORKER_TLS_SUBJECT_MAX	256

struct worker;

struct worker_tls {
	struct ssl_ctx_st *ctx;		/* SSL_CTX */
	struct ssl_st	*ssl;		/* SSL; NULL: no master */
	bool		 handshaking;
	bool		 want_write;	/* OpenSSL waits for POLLOUT */
	uint64_t	 renew_bytes;	/* since the keys were last renewed */
	bool		 renegotiating;	/* TLS 1.2: asked, not yet done */
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

/*
 * What the common worker code calls, only where w->tls is not NULL.
 * setup (tls.c) runs before the lockdown and is fatal on a file that
 * does not load; the others are the connection's side (tls_conn.c).
 */
struct worker_tls_ops {
	void	(*setup)(struct worker *w);
	int	(*start)(struct worker *w, int fd);	/* at adoption */
	void	(*end)(struct worker *w);		/* before close(2) */
	ssize_t	(*read)(struct worker *w, uint8_t *buf, size_t cap);
	ssize_t	(*write)(struct worker *w, const uint8_t *buf, size_t len);
	/* Handshake deadline and key renewal (WTIMER_TLS, bytes). */
	void	(*tick)(struct worker *w, uint64_t now);
	/* Decrypted bytes waiting in OpenSSL: the loop must not sleep. */
	bool	(*pending)(const struct worker *w);
	/* The poll events the record layer needs now. */
	short	(*events)(const struct worker *w, short want);
};

/* tls_ops.c: the table, in the workertls library. */
extern const struct worker_tls_ops worker_tls_ops;

void	worker_tls_setup(struct worker *w);
int	worker_tls_start(struct worker *w, int fd);
void	worker_tls_end(struct worker *w);
ssize_t	worker_tls_read(struct worker *w, uint8_t *buf, size_t cap);
ssize_t	worker_tls_write(struct worker *w, const uint8_t *buf, size_t len);
void	worker_tls_tick(struct worker *w, uint64_t now);
bool	worker_tls_pending(const struct worker *w);
short	worker_tls_events(const struct worker *w, short want);

/*
 * tls_reason.c: why a handshake failed, for the log and the tls_failed
 * event: verify is SSL_get_verify_result(), err the first OpenSSL error
 * (0: none). buf holds the text where it is composed.
 */
const char *worker_tls_reason(long verify, unsigned long err, char *buf,
	    size_t len);

#endif
