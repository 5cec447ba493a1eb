/*
 * The relay's routing (relay/links.c) over real socketpairs: a master's
 * frame goes, unchanged, to the link of its destination only; a broadcast
 * to every link; a frame to an unknown address nowhere, reported; the
 * links' frames are merged onto the master's queue whole, whatever their
 * order; a worker's frame not from its own address, or malformed, closes
 * that link only; a link that cannot take a frame loses it, not the
 * others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnp3/link/link.h"
#include "relay/relay.h"

static struct relay r;
static int peer[3];		/* the workers' ends of links 10, 20, 30 */
static uint8_t news_kind[16];
static uint16_t news_addr[16];
static size_t nnews;

static void
catch_news(struct relay *rr, uint8_t kind, uint16_t address)
{
	(void)rr;
	if (nnews < 16) {
		news_kind[nnews] = kind;
		news_addr[nnews] = address;
	}
	nnews++;
}

static size_t
make(uint8_t *out, uint16_t dest, uint16_t src, size_t n)
{
	struct link_header h = { .prm = true, .dest = dest, .src = src,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA };
	uint8_t data[LINK_MAX_USER_DATA];

	memset(data, (int)src, n);
	return (size_t)link_frame_encode(out, LINK_MAX_FRAME, &h, data, n);
}

static int
setup(void **state)
{
	int sv[2];

	(void)state;
	relay_init(&r, -1, -1);
	r.news = catch_news;
	nnews = 0;
	for (int i = 0; i < 3; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
		    sv) == -1 || relay_add_link(&r, sv[0],
		    (uint16_t)(10 * (i + 1))) == -1)
			return -1;
		peer[i] = sv[1];
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < r.nlinks; i++)
		if (r.link[i].fd >= 0)
			close(r.link[i].fd);
	for (int i = 0; i < 3; i++)
		close(peer[i]);
	return 0;
}

/* The master's bytes as they came in: frames to 20, broadcast, 40. */
static void
test_route(void **state)
{
	uint8_t f[3][LINK_MAX_FRAME];
	size_t n[3];

	(void)state;
	n[0] = make(f[0], 20, 1, 30);
	n[1] = make(f[1], LINK_ADDR_BCAST_OPT, 1, 9);
	n[2] = make(f[2], 40, 1, 5);
	for (int i = 0; i < 3; i++) {
		memcpy(r.rx.buf + r.rx.len, f[i], n[i]);
		r.rx.len += n[i];
	}
	relay_from_master(&r);
	assert_int_equal(r.rx.len, 0);
	assert_int_equal(r.link[0].tx.len, n[1]);
	assert_memory_equal(r.link[0].tx.buf, f[1], n[1]);
	assert_int_equal(r.link[1].tx.len, n[0] + n[1]);
	assert_memory_equal(r.link[1].tx.buf, f[0], n[0]);
	assert_memory_equal(r.link[1].tx.buf + n[0], f[1], n[1]);
	assert_int_equal(r.link[2].tx.len, n[1]);
	assert_int_equal(nnews, 1);
	assert_int_equal(news_kind[0], RELAY_NEWS_UNKNOWN);
	assert_int_equal(news_addr[0], 40);
	/* Unchanged on the worker's side of the link. */
	uint8_t got[2 * LINK_MAX_FRAME];
	assert_int_equal(relay_tx_flush(&r.link[1].tx, r.link[1].fd), 0);
	assert_int_equal(read(peer[1], got, sizeof(got)), (ssize_t)(n[0] + n[1]));
	assert_memory_equal(got, f[0], n[0]);
}

/* Partial frames of three workers, interleaved in time: on the master's
   queue each frame whole, one after another. */
static void
test_merge(void **state)
{
	uint8_t f[3][LINK_MAX_FRAME];
	size_t n[3], half;

	(void)state;
	for (int i = 0; i < 3; i++) {
		n[i] = make(f[i], 1, (uint16_t)(10 * (i + 1)), 100);
		half = n[i] / 2;
		memcpy(r.link[i].rx.buf, f[i], half);
		r.link[i].rx.len = half;
	}
	relay_merge(&r);
	assert_int_equal(r.tx.len, 0);	/* nothing whole yet */
	for (int i = 2; i >= 0; i--) {
		half = n[i] / 2;
		memcpy(r.link[i].rx.buf + half, f[i] + half, n[i] - half);
		r.link[i].rx.len = n[i];
		relay_merge(&r);
	}
	assert_int_equal(r.tx.len, n[0] + n[1] + n[2]);
	assert_memory_equal(r.tx.buf, f[2], n[2]);
	assert_memory_equal(r.tx.buf + n[2], f[1], n[1]);
	assert_memory_equal(r.tx.buf + n[2] + n[1], f[0], n[0]);
	assert_int_equal(nnews, 0);
}

/* Link 20 speaks as 30, link 30 sends garbage: both closed, 10 stays. */
static void
test_worker_lies(void **state)
{
	uint8_t f[LINK_MAX_FRAME];
	size_t n = make(f, 1, 30, 10);

	(void)state;
	memcpy(r.link[1].rx.buf, f, n);
	r.link[1].rx.len = n;
	memcpy(r.link[2].rx.buf, "\x05\x64\x02", 3);
	r.link[2].rx.len = 3;
	relay_merge(&r);
	assert_int_equal(r.tx.len, 0);
	assert_int_equal(r.link[1].fd, -1);
	assert_int_equal(r.link[2].fd, -1);
	assert_true(r.link[0].fd >= 0);
	assert_int_equal(r.open, 1);
	assert_int_equal(nnews, 2);
	assert_int_equal(news_kind[0], RELAY_NEWS_WORKER_BAD);
	assert_int_equal(news_kind[1], RELAY_NEWS_WORKER_BAD);
	/* A closed link gets nothing more, and is not news again: the
	   listener knows its address (an "unknown" one would be a lie). */
	n = make(f, 20, 1, 1);
	memcpy(r.rx.buf, f, n);
	r.rx.len = n;
	relay_from_master(&r);
	assert_int_equal(r.link[1].tx.len, 0);
	assert_int_equal(nnews, 2);
	/* Its restarted worker's link: 20 again, not 10 (open) nor 40. */
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(relay_reopen_link(&r, sv[0], 20), 0);
	assert_int_equal(r.link[1].fd, sv[0]);
	assert_int_equal(r.open, 2);
	relay_from_master(&r);	/* nothing new */
	memcpy(r.rx.buf, f, n);
	r.rx.len = n;
	relay_from_master(&r);
	assert_int_equal(r.link[1].tx.len, n);
	close(peer[1]);
	peer[1] = sv[1];	/* teardown closes it */
	for (uint16_t a = 10; a <= 40; a += 30) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		assert_int_equal(relay_reopen_link(&r, sv[0], a), -1);
		assert_int_equal(write(sv[1], "x", 1), -1);	/* closed */
		close(sv[1]);
	}
}

/* A link that does not read loses frames once its queue is full; the
   others get every frame. A malformed master frame ends the master. */
static void
test_overrun_and_bad_master(void **state)
{
	uint8_t f[LINK_MAX_FRAME];
	size_t n = make(f, LINK_ADDR_BCAST_NOCONF, 1, 250), k;

	(void)state;
	for (k = 0; k < RELAY_TX_MAX / n + 1; k++) {
		memcpy(r.rx.buf, f, n);
		r.rx.len = n;
		relay_from_master(&r);
		for (int i = 1; i < 3; i++)
			r.link[i].tx.len = 0;	/* 20 and 30 keep up */
	}
	assert_int_equal(r.link[0].tx.len, (RELAY_TX_MAX / n) * n);
	assert_int_equal(nnews, 1);
	assert_int_equal(news_kind[0], RELAY_NEWS_OVERRUN);
	assert_int_equal(news_addr[0], 10);
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	r.master = sv[0];
	memcpy(r.rx.buf, "\x05\x64\x05\xc9\x0a\x00\x01\x00\x00\x00", 10);
	r.rx.len = 10;
	relay_from_master(&r);
	assert_int_equal(r.master, -1);
	assert_int_equal(news_kind[1], RELAY_NEWS_MASTER_BAD);
	assert_int_equal(read(sv[1], f, 1), 0);	/* closed */
	close(sv[1]);
}

static void
test_links_unique(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(relay_add_link(&r, sv[0], 20), -1);	/* closed */
	assert_int_equal(write(sv[1], "x", 1), -1);
	assert_int_equal(errno, EPIPE);
	close(sv[1]);
	assert_int_equal(r.nlinks, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_lies, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_overrun_and_bad_master,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_unique, setup,
		    teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
