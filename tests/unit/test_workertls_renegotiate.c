/* libs: tlsfixture */
/*
 * TLS 1.2 key renewal by the worker (tls_conn.c) against an in-process
 * master over a socket pair (tests/fuzz/lib/tls_fixture.h): after
 * tls.key_renewal_bytes the worker renegotiates; a master that keeps its
 * certificate goes on being served, one that shows another certificate
 * (same CA, same name, another subject) is disconnected.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "dnp3/link/link.h"
#include "tests/fuzz/lib/tls_fixture.h"
#include "worker/tls.h"

static struct worker w;

/* A request link status from the master, over TLS. */
static void
send_request(SSL *c)
{
	struct link_header hd = { .dir = true, .prm = true,
	    .func = LINK_PRI_REQUEST_LINK_STATUS, .dest = 10, .src = 1 };
	uint8_t f[LINK_HEADER_LEN];

	assert_int_equal(link_frame_encode(f, sizeof(f), &hd, NULL, 0),
	    LINK_HEADER_LEN);
	assert_int_equal(SSL_write(c, f, sizeof(f)), sizeof(f));
}

/* Both sides take turns: the client reads (and so answers the worker's
   HelloRequest), the worker reads and writes. */
static void
turns(SSL *c, int n)
{
	uint8_t buf[512];

	for (int i = 0; i < n && w.conn.fd >= 0; i++) {
		(void)SSL_read(c, buf, sizeof(buf));
		tls_fixture_step(&w);
	}
}

/* A TLS 1.2 master that polls past key_renewal_bytes; other: it shows
   another certificate when asked to renegotiate. */
static void
renew(bool other)
{
	SSL *c;
	int master;

	master = tls_fixture_adopt(&w);
	c = tls_fixture_client(master, TLS1_2_VERSION);
	assert_true(tls_fixture_handshake(&w, c));
	w.cfg.tls_renew_bytes = 8;
	send_request(c);
	turns(c, 4);
	worker_conn_keep_alive(&w, timer_now());	/* renews the keys */
	assert_true(w.tls->renegotiating);
	if (other)
		tls_fixture_other_master(c);
	turns(c, 8);
	send_request(c);
	turns(c, 8);
	if (other) {
		assert_int_equal(w.conn.fd, -1);
	} else {
		assert_true(w.conn.fd >= 0);
		assert_false(w.tls->renegotiating);
		assert_string_equal(w.tls->subject, "/CN=scada-a");
	}
	w.cfg.tls_renew_bytes = 1u << 30;
	SSL_free(c);
	tls_fixture_drop(&w, master);
}

static void
test_renegotiation_same_master(void **state)
{
	(void)state;
	renew(false);
}

static void
test_renegotiation_other_certificate(void **state)
{
	(void)state;
	renew(true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renegotiation_same_master),
		cmocka_unit_test(test_renegotiation_other_certificate),
	};
	int r;

	tls_fixture_init(&w);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	worker_free(&w);
	return r;
}
