/*
 * The worker's TLS -> DNP3 path after a completed handshake: a master
 * with a good certificate (tls_fixture.h) completes a handshake with the
 * worker over a socket pair, then sends any bytes as application data;
 * the worker decrypts them (tls_conn.c) into its link layer and
 * outstation (conn.c, app.c) and answers through TLS. The connection
 * must have been established; whatever the bytes, the worker must be
 * ready for the next master afterwards.
 *
 * Input: one byte, then the application bytes: bit 0 picks TLS 1.2 (0)
 * or 1.3 (1), the other bits the record size, ((b >> 1) + 1) * 16 bytes.
 * fuzz-options: -max_len=4096 -close_fd_mask=2
 */
#include <stdlib.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "tests/fuzz/lib/tls_fixture.h"
#include "worker/tls.h"

static struct worker w;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t rec, off;
	int master;
	SSL *c;

	if (size < 1)
		return 0;
	if (w.tls == NULL)
		tls_fixture_init(&w);
	master = tls_fixture_adopt(&w);
	c = tls_fixture_client(master, data[0] & 1 ? TLS1_3_VERSION :
	    TLS1_2_VERSION);
	if (!tls_fixture_handshake(&w, c))
		abort();
	rec = (size_t)((data[0] >> 1) + 1) * 16;
	for (off = 1; off < size && w.conn.fd >= 0; off += rec) {
		if (rec > size - off)
			rec = size - off;
		if (SSL_write(c, data + off, (int)rec) != (int)rec)
			abort();
		tls_fixture_pump(&w, master, 4);
	}
	SSL_free(c);
	tls_fixture_drop(&w, master);
	if (w.tls->ssl != NULL || w.conn.fd != -1)
		abort();
	return 0;
}
