/*
 * Frames reused from the last response: every output must be exactly what
 * transport_tx_frames() writes for the same fragment and sequence number,
 * whatever changed since (one byte anywhere, the length, the response's
 * shape), and frames must really be reused when nothing past their first
 * block changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dnp3/transport/transport.h"

#define FRAG	4096

struct pair {
	struct transport_tx plain, tx;
	struct transport_reuse r;
	struct link_station s;
	uint8_t a[8192], b[8192];
};

static void
pair_init(struct pair *p)
{
	memset(p, 0, sizeof(*p));
	link_station_init(&p->s, 10, 1, false, false);
	transport_tx_init(&p->plain, 7);
	transport_tx_init(&p->tx, 7);
	assert_int_equal(transport_reuse_init(&p->r), 0);
}

/* Sends frag both ways and checks the bytes are the same. */
static void
send_both(struct pair *p, const uint8_t *frag, size_t len, bool first)
{
	int na = transport_tx_frames(&p->plain, &p->s, frag, len, p->a,
	    sizeof(p->a));
	int nb = transport_tx_frames_reuse(&p->tx, &p->r, &p->s, frag, len,
	    first, p->b, sizeof(p->b));

	assert_true(na > 0);
	assert_int_equal(na, nb);
	assert_memory_equal(p->a, p->b, (size_t)na);
	assert_int_equal(p->plain.seq, p->tx.seq);
}

static void
fill(uint8_t *f, size_t len, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < len; i++)
		f[i] = (uint8_t)rand();
}

/* The same 2-fragment response again: every frame but none is reused. */
static void
test_same_response_reused(void **state)
{
	static struct pair p;
	static uint8_t f1[2048], f2[1500];
	uint64_t built;
	(void)state;
	pair_init(&p);
	fill(f1, sizeof(f1), 1);
	fill(f2, sizeof(f2), 2);
	send_both(&p, f1, sizeof(f1), true);
	send_both(&p, f2, sizeof(f2), false);
	assert_int_equal(p.r.reused, 0);
	built = p.r.built;
	assert_int_equal(built, 9 + 7);
	for (int k = 0; k < 5; k++) {
		f1[0] = (uint8_t)(0xC0 | k);	/* a new application sequence */
		send_both(&p, f1, sizeof(f1), true);
		send_both(&p, f2, sizeof(f2), false);
	}
	assert_int_equal(p.r.built, built);
	assert_int_equal(p.r.reused, 5 * built);
	transport_reuse_free(&p.r);
}

/* One byte changed at every position of a fragment, one at a time. */
static void
test_every_byte_changed(void **state)
{
	static struct pair p;
	static uint8_t f[700];
	(void)state;
	pair_init(&p);
	fill(f, sizeof(f), 3);
	send_both(&p, f, sizeof(f), true);
	for (size_t i = 0; i < sizeof(f); i++) {
		uint64_t built = p.r.built;

		f[i] ^= 0x5A;
		send_both(&p, f, sizeof(f), true);
		/* A change in a first block is written anyway; elsewhere
		   exactly the frame holding it is encoded again. */
		assert_true(p.r.built - built <= 1);
		send_both(&p, f, sizeof(f), true);
		assert_true(p.r.built - built <= 1);
	}
	transport_reuse_free(&p.r);
}

/* Lengths that change the last frame's size, empty fragments, frames
   past the slots, and random mixes of all of it. */
static void
test_shapes(void **state)
{
	static struct pair p;
	static uint8_t f[FRAG];
	static const size_t lens[] = { 0, 1, 2, 14, 15, 16, 17, 31, 248, 249,
	    250, 264, 265, 498, 2048, 4096 };
	(void)state;
	pair_init(&p);
	fill(f, sizeof(f), 4);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			send_both(&p, f, lens[i], true);
			send_both(&p, f, lens[j], (i + j) % 3 == 0);
		}
	/* a response of two 4,000-byte fragments: 34 frames, two more
	   than the slots */
	static uint8_t big[8000];
	fill(big, sizeof(big), 5);
	for (int k = 0; k < 3; k++) {
		send_both(&p, big, sizeof(big) / 2, true);
		send_both(&p, big + sizeof(big) / 2, sizeof(big) / 2, false);
	}
	srand(6);
	for (int k = 0; k < 3000; k++) {
		size_t len = (size_t)rand() % 1200;
		int changes = rand() % 3;

		for (int c = 0; c < changes; c++)
			f[(size_t)rand() % FRAG] ^= (uint8_t)(1 + rand() % 255);
		send_both(&p, f, len, rand() % 2 == 0);
	}
	assert_true(p.r.reused > 0);
	transport_reuse_clear(&p.r);
	uint64_t reused = p.r.reused;
	send_both(&p, f, 600, true);
	assert_int_equal(p.r.reused, reused);
	transport_reuse_free(&p.r);
}

/* Another station (addresses, direction) changes every header. */
static void
test_other_station(void **state)
{
	static struct pair p;
	static uint8_t f[600];
	(void)state;
	pair_init(&p);
	fill(f, sizeof(f), 7);
	send_both(&p, f, sizeof(f), true);
	link_station_init(&p.s, 1, 10, true, false);
	send_both(&p, f, sizeof(f), true);
	assert_int_equal(p.r.reused, 3);
	transport_reuse_free(&p.r);
}

static void
test_too_small(void **state)
{
	static struct pair p;
	static uint8_t f[600];
	(void)state;
	pair_init(&p);
	assert_int_equal(transport_tx_frames_reuse(&p.tx, &p.r, &p.s, f,
	    sizeof(f), true, p.b, transport_tx_frames_size(sizeof(f)) - 1),
	    -1);
	assert_int_equal(p.tx.seq, 7);
	assert_int_equal(transport_tx_frames_reuse(&p.tx, &p.r, &p.s, NULL,
	    1, true, p.b, sizeof(p.b)), -1);
	assert_int_equal(transport_tx_frames_reuse(&p.tx, &p.r, &p.s, f,
	    TRANSPORT_FRAG_MAX + 1, true, p.b, sizeof(p.b)), -1);
	transport_reuse_free(&p.r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_response_reused),
		cmocka_unit_test(test_every_byte_changed),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_other_station),
		cmocka_unit_test(test_too_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
