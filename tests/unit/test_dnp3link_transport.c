/*
 * Transport: reassembly rules (FIR/FIN/SEQ, out of sequence, oversize),
 * segmentation (249-byte payloads, rolling SEQ) and whole fragments
 * through link frames and back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dnp3/transport/transport.h"

static uint8_t fragbuf[TRANSPORT_FRAG_MAX];

/* One segment: header byte then n bytes of value v. */
static enum transport_rx_result
seg(struct transport_rx *t, uint8_t hdr, size_t n, uint8_t v,
    const uint8_t **frag, size_t *len)
{
	uint8_t s[TRANSPORT_MAX_PAYLOAD + 1];
	assert_true(n <= TRANSPORT_MAX_PAYLOAD);
	s[0] = hdr;
	memset(s + 1, v, n);
	return transport_rx_segment(t, s, n + 1, frag, len);
}

static void
test_init_limits(void **state)
{
	struct transport_rx t;
	(void)state;
	assert_int_equal(transport_rx_init(&t, fragbuf, 248), -1);
	assert_int_equal(transport_rx_init(&t, fragbuf, 65536), -1);
	assert_int_equal(transport_rx_init(&t, NULL, 2048), -1);
	assert_int_equal(transport_rx_init(&t, fragbuf, 249), 0);
	assert_int_equal(transport_rx_init(&t, fragbuf, 65535), 0);
}

static void
test_single_and_multi(void **state)
{
	struct transport_rx t;
	const uint8_t *f = NULL;
	size_t len = 0;
	(void)state;
	transport_rx_init(&t, fragbuf, 2048);
	assert_int_equal(seg(&t, 0xC5, 3, 0xAB, &f, &len),
	    TRANSPORT_RX_FRAGMENT);
	assert_int_equal(len, 3);
	assert_memory_equal(f, "\xAB\xAB\xAB", 3);

	assert_int_equal(seg(&t, 0x40 | 62, 249, 1, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(seg(&t, 63, 249, 2, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(seg(&t, 0x80 | 0, 10, 3, &f, &len),	/* SEQ wraps */
	    TRANSPORT_RX_FRAGMENT);
	assert_int_equal(len, 508);
	assert_int_equal(f[0], 1);
	assert_int_equal(f[249], 2);
	assert_int_equal(f[507], 3);
	assert_int_equal(t.stats.fragments, 2);
	assert_int_equal(t.stats.segments, 4);
}

static void
test_sequence_errors(void **state)
{
	struct transport_rx t;
	const uint8_t *f;
	size_t len;
	(void)state;
	transport_rx_init(&t, fragbuf, 2048);
	/* no FIR yet */
	assert_int_equal(seg(&t, 0x81, 5, 0, &f, &len), TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.no_fir, 1);
	/* gap: 5 then 7 loses the fragment; its FIN then has no FIR */
	assert_int_equal(seg(&t, 0x45, 5, 0, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(seg(&t, 0x07, 5, 0, &f, &len), TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.out_of_seq, 1);
	assert_int_equal(seg(&t, 0x88, 5, 0, &f, &len), TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.no_fir, 2);
	/* a repeated segment is out of sequence too */
	assert_int_equal(seg(&t, 0x40, 5, 0, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(seg(&t, 0x00, 5, 0, &f, &len), TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.out_of_seq, 2);
	/* FIR while open restarts; only the new fragment arrives */
	assert_int_equal(seg(&t, 0x4A, 5, 1, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(seg(&t, 0xC0, 2, 9, &f, &len), TRANSPORT_RX_FRAGMENT);
	assert_int_equal(len, 2);
	assert_int_equal(f[0], 9);
	assert_int_equal(t.stats.restarted, 1);
	/* empty segment: dropped, open fragment survives */
	assert_int_equal(seg(&t, 0x40, 5, 0, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(transport_rx_segment(&t, fragbuf, 0, &f, &len),
	    TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.empty, 1);
	assert_int_equal(seg(&t, 0x81, 5, 0, &f, &len), TRANSPORT_RX_FRAGMENT);
	assert_int_equal(len, 10);
}

static void
test_oversize(void **state)
{
	static uint8_t small[249];
	struct transport_rx t;
	const uint8_t *f;
	size_t len;
	(void)state;
	transport_rx_init(&t, small, sizeof(small));
	assert_int_equal(seg(&t, 0xC0, 249, 7, &f, &len),	/* fits exactly */
	    TRANSPORT_RX_FRAGMENT);
	assert_int_equal(len, 249);
	assert_int_equal(seg(&t, 0x41, 200, 0, &f, &len), TRANSPORT_RX_MORE);
	assert_int_equal(seg(&t, 0x82, 50, 0, &f, &len), TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.oversize, 1);
	assert_false(t.open);
	assert_int_equal(seg(&t, 0x83, 1, 0, &f, &len), TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.no_fir, 1);

	/* a segment longer than any link frame carries loses the fragment */
	static uint8_t big[TRANSPORT_MAX_PAYLOAD + 2];
	transport_rx_init(&t, fragbuf, 2048);
	assert_int_equal(seg(&t, 0x40, 10, 0, &f, &len), TRANSPORT_RX_MORE);
	big[0] = 0x81;
	assert_int_equal(transport_rx_segment(&t, big, sizeof(big), &f, &len),
	    TRANSPORT_RX_DROPPED);
	assert_int_equal(t.stats.oversize, 1);
	assert_false(t.open);
}

static void
test_segmentation(void **state)
{
	uint8_t frag[600], out[TRANSPORT_MAX_PAYLOAD + 1];
	struct transport_tx tx;
	size_t off = 0;
	(void)state;
	for (size_t i = 0; i < sizeof(frag); i++)
		frag[i] = (uint8_t)i;
	transport_tx_init(&tx, 62);
	assert_int_equal(transport_tx_segment(&tx, frag, 600, &off, out), 250);
	assert_int_equal(out[0], 0x40 | 62);
	assert_int_equal(out[1], 0);
	assert_int_equal(transport_tx_segment(&tx, frag, 600, &off, out), 250);
	assert_int_equal(out[0], 63);
	assert_int_equal(out[1], frag[249]);
	assert_int_equal(transport_tx_segment(&tx, frag, 600, &off, out), 103);
	assert_int_equal(out[0], 0x80 | 0);
	assert_int_equal(out[102], frag[599]);
	assert_int_equal(off, 600);
	assert_int_equal(tx.seq, 1);

	off = 0;
	assert_int_equal(transport_tx_segment(&tx, NULL, 0, &off, out), 1);
	assert_int_equal(out[0], 0xC0 | 1);
}

static void
test_frames_sizes(void **state)
{
	(void)state;
	assert_int_equal(transport_tx_frames_size(0), 13);
	assert_int_equal(transport_tx_frames_size(2), 15);
	assert_int_equal(transport_tx_frames_size(249), LINK_MAX_FRAME);
	assert_int_equal(transport_tx_frames_size(250), LINK_MAX_FRAME + 14);
}

/* A 1000-byte fragment: frames -> parser -> master station -> transport. */
static void
test_frames_round_trip(void **state)
{
	static uint8_t frag[1000], wire[8 * LINK_MAX_FRAME];
	struct link_station os, m;
	struct transport_tx tx;
	struct transport_rx rx;
	struct link_parser p;
	(void)state;
	for (size_t i = 0; i < sizeof(frag); i++)
		frag[i] = (uint8_t)(i * 13);
	link_station_init(&os, 10, 1, false, false);
	link_station_init(&m, 1, 10, true, false);
	transport_tx_init(&tx, 5);
	transport_rx_init(&rx, fragbuf, 2048);
	link_parser_init(&p, LINK_ERROR_CLOSE);

	size_t need = transport_tx_frames_size(sizeof(frag));
	assert_int_equal(transport_tx_frames(&tx, &os, frag, sizeof(frag), wire,
	    need - 1), -1);
	assert_int_equal(tx.seq, 5);
	int n = transport_tx_frames(&tx, &os, frag, sizeof(frag), wire,
	    sizeof(wire));
	assert_int_equal(n, need);
	assert_int_equal(tx.seq, 10);	/* 5 segments */

	size_t off = 0, frames = 0, got = 0;
	while (off < (size_t)n) {
		struct link_frame f;
		struct link_rx r;
		enum link_err err;
		const uint8_t *back;
		size_t used, blen;
		assert_int_equal(link_parser_feed(&p, wire + off, (size_t)n - off,
		    &used, &f, &err), LINK_PARSE_FRAME);
		off += used;
		frames++;
		assert_int_equal(f.hdr.func, LINK_PRI_UNCONFIRMED_USER_DATA);
		assert_false(f.hdr.dir);
		link_station_rx(&m, &f, NULL, 0, &r);
		assert_true(r.deliver);
		if (transport_rx_segment(&rx, r.data, r.len, &back, &blen) ==
		    TRANSPORT_RX_FRAGMENT) {
			assert_int_equal(blen, sizeof(frag));
			assert_memory_equal(back, frag, sizeof(frag));
			got++;
		}
	}
	assert_int_equal(frames, 5);
	assert_int_equal(got, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_limits),
		cmocka_unit_test(test_single_and_multi),
		cmocka_unit_test(test_sequence_errors),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_segmentation),
		cmocka_unit_test(test_frames_sizes),
		cmocka_unit_test(test_frames_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
