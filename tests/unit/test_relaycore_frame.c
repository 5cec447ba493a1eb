/*
 * The relay's frame splitter and merger (relay/frame.c, relay/queue.c):
 * whole frames only, every CRC checked before a frame is whole, however
 * the bytes arrive; a queue takes a frame whole or not at all, and what
 * it writes, however short the writes, is one whole frame after another.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnp3/link/link.h"
#include "relay/relay.h"

/* Unconfirmed user data of n bytes (n > 0) or, n == 0, request link
   status, from src to dest; the frame's size. */
static size_t
make(uint8_t *out, uint16_t dest, uint16_t src, size_t n)
{
	struct link_header h = { .dir = true, .prm = true, .dest = dest,
	    .src = src, .func = n > 0 ? LINK_PRI_UNCONFIRMED_USER_DATA :
	    LINK_PRI_REQUEST_LINK_STATUS };
	uint8_t data[LINK_MAX_USER_DATA];
	int len;

	for (size_t i = 0; i < n; i++)
		data[i] = (uint8_t)(i * 7 + dest);
	len = link_frame_encode(out, LINK_MAX_FRAME, &h, n ? data : NULL, n);
	assert_true(len > 0);
	return (size_t)len;
}

static void
test_whole_frames(void **state)
{
	uint8_t f[LINK_MAX_FRAME];
	size_t len, sizes[] = { 0, 1, 16, 17, 32, 249, 250 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = make(f, 10, 1, sizes[i]);
		/* Every prefix wants more; the whole frame is whole. */
		for (size_t k = 0; k < n; k++)
			assert_int_equal(relay_frame_check(f, k, &len),
			    RELAY_FRAME_MORE);
		assert_int_equal(relay_frame_check(f, n, &len),
		    RELAY_FRAME_WHOLE);
		assert_int_equal(len, n);
	}
	assert_int_equal(make(f, 10, 1, 250), LINK_MAX_FRAME);
	assert_int_equal(relay_frame_dest(f), 10);
	assert_int_equal(relay_frame_src(f), 1);
}

static void
test_bad_frames(void **state)
{
	uint8_t f[LINK_MAX_FRAME];
	size_t len, n;

	(void)state;
	n = make(f, 10, 1, 40);
	f[0] = 0x06;	/* start: seen at the first byte */
	assert_int_equal(relay_frame_check(f, 1, &len), RELAY_FRAME_BAD);
	n = make(f, 10, 1, 40);
	f[1] = 0x65;
	assert_int_equal(relay_frame_check(f, 2, &len), RELAY_FRAME_BAD);
	n = make(f, 10, 1, 40);
	f[2] = 4;	/* LEN below 5 */
	assert_int_equal(relay_frame_check(f, 3, &len), RELAY_FRAME_BAD);
	n = make(f, 10, 1, 40);
	f[8] ^= 1;	/* header CRC */
	assert_int_equal(relay_frame_check(f, 10, &len), RELAY_FRAME_BAD);
	/* The last block's CRC: not whole, however many bytes follow. */
	n = make(f, 10, 1, 40);
	f[n - 1] ^= 0x80;
	assert_int_equal(relay_frame_check(f, n, &len), RELAY_FRAME_BAD);
	n = make(f, 10, 1, 40);
	f[12] ^= 1;	/* a data byte of the first block */
	assert_int_equal(relay_frame_check(f, n, &len), RELAY_FRAME_BAD);
}

/* Three frames byte by byte into an rx: each comes out whole, in order. */
static void
test_split_stream(void **state)
{
	static struct relay_rx rx;
	uint8_t in[3 * LINK_MAX_FRAME];
	const uint8_t *frame;
	size_t len, n = 0, got = 0, want[3];

	(void)state;
	want[0] = make(in, 10, 1, 0);
	want[1] = make(in + want[0], 20, 1, 250);
	want[2] = make(in + want[0] + want[1], 0xFFFF, 1, 9);
	n = want[0] + want[1] + want[2];
	rx.len = 0;
	for (size_t i = 0, off = 0; i < n; i++) {
		rx.buf[rx.len++] = in[i];
		if (relay_rx_next(&rx, &frame, &len) != RELAY_FRAME_WHOLE)
			continue;
		assert_int_equal(len, want[got]);
		assert_memory_equal(frame, in + off, len);
		off += len;
		got++;
		relay_rx_consume(&rx, len);
	}
	assert_int_equal(got, 3);
	assert_int_equal(rx.len, 0);
}

static void
test_queue_whole_or_nothing(void **state)
{
	static struct relay_tx tx;
	uint8_t f[LINK_MAX_FRAME];
	size_t n = make(f, 10, 1, 250), put = 0;

	(void)state;
	memset(&tx, 0, sizeof(tx));
	while (relay_tx_put(&tx, f, n))
		put++;
	assert_int_equal(put, RELAY_TX_MAX / n);
	assert_int_equal(tx.len, put * n);
	/* A partial write frees room at the front: a frame fits again. */
	tx.off = n;
	assert_true(relay_tx_put(&tx, f, n));
	assert_int_equal(tx.off, 0);
	assert_int_equal(tx.len, put * n);
	assert_true(relay_tx_pending(&tx));
}

/* Frames of several sizes through a socket whose buffer forces short
   writes: the reader splits the same frames back, whole and in order. */
static void
test_queue_short_writes(void **state)
{
	static struct relay_tx tx;
	static struct relay_rx rx;
	uint8_t f[LINK_MAX_FRAME];
	const uint8_t *frame;
	size_t len, sent = 0, got = 0, n;
	int sv[2], small = 1;

	(void)state;
	memset(&tx, 0, sizeof(tx));
	rx.len = 0;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	assert_int_equal(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small,
	    sizeof(small)), 0);
	for (int round = 0; round < 2000 && got < 200; round++) {
		n = make(f, (uint16_t)(10 + sent % 3), 1, (sent * 37) % 251);
		if (sent < 200 && relay_tx_put(&tx, f, n))
			sent++;
		assert_int_equal(relay_tx_flush(&tx, sv[0]), 0);
		ssize_t r = relay_rx_read(&rx, sv[1]);
		assert_true(r > 0 || (r == -1 && errno == EAGAIN));
		while (relay_rx_next(&rx, &frame, &len) == RELAY_FRAME_WHOLE) {
			assert_int_equal(relay_frame_dest(frame), 10 + got % 3);
			assert_int_equal(len, make(f, (uint16_t)(10 + got % 3),
			    1, (got * 37) % 251));
			assert_memory_equal(frame, f, len);
			relay_rx_consume(&rx, len);
			got++;
		}
	}
	assert_int_equal(sent, 200);
	assert_int_equal(got, 200);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_frames),
		cmocka_unit_test(test_bad_frames),
		cmocka_unit_test(test_split_stream),
		cmocka_unit_test(test_queue_whole_or_nothing),
		cmocka_unit_test(test_queue_short_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
