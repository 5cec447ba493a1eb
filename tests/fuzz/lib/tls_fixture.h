#ifndef DNP3D_FUZZ_TLS_FIXTURE_H
#define DNP3D_FUZZ_TLS_FIXTURE_H

/*
 * The TLS fuzz targets' worker: certificates made once per process with
 * OpenSSL (a CA, the outstation's, a master's; EC P-256, never
 * committed) and written as PEM to a fresh directory, from which the
 * worker's own worker_tls_setup() builds its SSL_CTX, as
 * dnp3d-worker-tls does before its lockdown. A master is adopted over a
 * socket pair by worker_conn_adopt(), the worker's code from then on.
 */
#include <openssl/ssl.h>

#include "worker/worker.h"

/* Once: the certificates and the worker (fatal on failure). */
void	tls_fixture_init(struct worker *w);
/* A new master on w; returns the master's end of the socket pair. */
int	tls_fixture_adopt(struct worker *w);
/* The worker reads what is there and writes what it has, once. */
void	tls_fixture_step(struct worker *w);
/* So up to rounds times, each time draining the master's end of the
   answers; false once the connection is gone. */
bool	tls_fixture_pump(struct worker *w, int master, int rounds);
/* Ends the connection if still open, closes the master's end. */
void	tls_fixture_drop(struct worker *w, int master);
/* A client with the master's certificate, highest version max. */
SSL	*tls_fixture_client(int fd, int max);
/* Its handshake with w, both sides to the end; false if either failed. */
bool	tls_fixture_handshake(struct worker *w, SSL *c);
/* The client shows another master's certificate from now on: same CA,
   same name (scada-a.example.net), another subject (CN=scada-b). */
void	tls_fixture_other_master(SSL *c);

#endif
