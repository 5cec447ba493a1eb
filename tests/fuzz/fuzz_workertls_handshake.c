/*
 * The worker's TLS server on a master's first bytes: any bytes as the
 * client's side of a handshake, through worker_conn_adopt() and the
 * worker's read path (conn.c, tls_conn.c) over a socket pair, with the
 * SSL_CTX that worker_tls_setup() built from test certificates (TLS 1.2
 * and 1.3, mutual authentication, master_name set). The bytes end with
 * the master closing its side: the connection must be gone, as a
 * tls_failed, and the worker must be ready for the next master.
 *
 * Seeds: ClientHellos of TLS 1.2 and 1.3 clients.
 * fuzz-options: -max_len=8192 -close_fd_mask=2
 */
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/fuzz/lib/tls_fixture.h"
#include "worker/tls.h"

static struct worker w;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int master;

	if (w.tls == NULL)
		tls_fixture_init(&w);
	master = tls_fixture_adopt(&w);
	if (size > 0 && write(master, data, size) != (ssize_t)size)
		abort();
	shutdown(master, SHUT_WR);
	/* Each round takes what the socket has; the end comes with EOF. */
	if (tls_fixture_pump(&w, master, 64))
		abort();
	if (w.tls->ssl != NULL || w.conn.fd != -1)
		abort();
	close(master);
	return 0;
}
