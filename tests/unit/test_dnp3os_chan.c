/* libs: dnp3os dnp3app dnp3link */
/*
 * The outstation's protocol stack over a byte stream (dnp3/outstation/
 * chan.c): what a master receives for its requests, byte for byte at the
 * link and transport level, reassembly of requests split over segments,
 * broadcast requests never answered, a full output refused, events kept
 * over a connection reset, unsolicited responses and pulse outputs from
 * the tick, and what
 * it reports: link errors with the bytes they dropped, frames dropped
 * for their addresses, link replies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dnp3/link/crc.h"
#include "dnp3/outstation/chan.h"

#define OS_ADDR		10
#define MASTER_ADDR	1
#define NOW		1000
#define TIME		1700000000000ull	/* DNP3 time of NOW */

static struct outstation_chan s;
static uint8_t out[1 << 17];
static struct outstation_chan_event ev;		/* of the last frame */
static enum outstation_chan_ev what;

/* What one output held: the fragment and the segments it came in. */
struct got {
	uint8_t	 frag[65536];
	size_t	 len;
	int	 frames;
	uint8_t	 th[300];	/* transport header of each frame */
};
static struct got got;

static void
config(struct outstation_params *cfg, uint32_t count, uint32_t frag_tx)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int t = 0; t < PT_COUNT; t++) {
		cfg->db[t].count = t == PT_OCTET_STRING ? 0 : count;
		cfg->db[t].class = 1;
		cfg->db[t].event_buffer = 50;
	}
	cfg->confirm_ms = 5000;
	cfg->select_ms = 5000;
	cfg->frag_rx = 2048;
	cfg->frag_tx = frag_tx;
	cfg->controls = CONTROL_ECHO;
}

static void
start_mode(struct outstation_params *cfg, enum link_error_mode mode)
{
	assert_int_equal(outstation_chan_init(&s, cfg, OS_ADDR, MASTER_ADDR,
	    mode), 0);
	outstation_set_time(s.os, NOW, TIME);
}

static void
start(struct outstation_params *cfg)
{
	start_mode(cfg, LINK_ERROR_CLOSE);
}

/*
 * Bytes from the master, fed until all are used: the bytes written to
 * out (link replies and responses), or -1 when a response overflowed.
 */
static int
feed(const uint8_t *in, size_t len, size_t cap)
{
	struct outstation_chan_event e;
	enum outstation_chan_ev w;
	size_t used, n = 0;

	what = OUTSTATION_CHAN_MORE;
	for (int round = 0; round < 100; round++) {
		w = outstation_chan_feed(&s, in, len, &used, NOW, out + n,
		    cap - n, &e);
		in += used;
		len -= used;
		if (w == OUTSTATION_CHAN_MORE)
			return (int)n;
		what = w;	/* the last frame's */
		ev = e;
		if (what == OUTSTATION_CHAN_OVERFLOW)
			return -1;
		n += ev.out_len;
	}
	fail_msg("no progress");
	return -1;
}

/* One link frame from src to dest (unconfirmed user data if len > 0). */
static size_t
frame(uint8_t *f, uint16_t dest, uint16_t src, uint8_t func,
    const uint8_t *data, size_t len)
{
	struct link_header h = { .dir = true, .prm = true, .func = func,
	    .dest = dest, .src = src };
	int n = link_frame_encode(f, LINK_MAX_FRAME, &h, data, len);

	assert_true(n > 0);
	return (size_t)n;
}

/* One transport segment in one frame to dest. */
static int
segment(const uint8_t *seg, size_t len, uint16_t dest, size_t cap)
{
	uint8_t f[LINK_MAX_FRAME];

	return feed(f, frame(f, dest, MASTER_ADDR,
	    LINK_PRI_UNCONFIRMED_USER_DATA, seg, len), cap);
}

static int
teardown(void **state)
{
	(void)state;
	outstation_chan_free(&s);
	return 0;
}

/*
 * Walks the link frames in out[0..n): each must be unconfirmed user data
 * (PRM, function 4, DIR clear) from the outstation to the master with good
 * CRCs; their transport segments must make exactly one fragment.
 */
static void
decode(size_t n)
{
	size_t off = 0;
	uint8_t seq = 0;

	memset(&got, 0, sizeof(got));
	while (off < n) {
		const uint8_t *f = out + off;
		assert_true(n - off >= 10);
		assert_int_equal(f[0], 0x05);
		assert_int_equal(f[1], 0x64);
		assert_int_equal(f[3], 0x44);
		assert_int_equal(f[4] | f[5] << 8, MASTER_ADDR);
		assert_int_equal(f[6] | f[7] << 8, OS_ADDR);
		assert_true(crc_dnp_check(f, 8));
		size_t user = f[2] - 5, p = 10;
		assert_true(user >= 1);
		for (size_t done = 0; done < user; ) {
			size_t b = user - done > 16 ? 16 : user - done;
			assert_true(off + p + b + 2 <= n);
			assert_true(crc_dnp_check(f + p, b));
			if (done == 0)
				got.th[got.frames] = f[p];
			size_t skip = done == 0 ? 1 : 0;
			memcpy(got.frag + got.len, f + p + skip, b - skip);
			got.len += b - skip;
			done += b;
			p += b + 2;
		}
		uint8_t th = got.th[got.frames];
		assert_int_equal(!!(th & 0x40), got.frames == 0);
		if (got.frames > 0)
			assert_int_equal(th & 0x3F, (seq + 1) & 0x3F);
		seq = th & 0x3F;
		got.frames++;
		off += p;
		if (th & 0x80)
			break;
	}
	assert_int_equal(off, n);
	assert_true(got.th[got.frames - 1] & 0x80);
}

/* One request in one segment (transport FIR|FIN, seq tseq). */
static int
send_req(const uint8_t *app, size_t len, bool bcast, size_t cap)
{
	static uint8_t tseq;
	uint8_t seg[250];

	seg[0] = 0xC0 | (tseq++ & 0x3F);
	memcpy(seg + 1, app, len);
	return segment(seg, len + 1, bcast ? 0xFFFF : OS_ADDR, cap);
}

#define REQ(...) do {							\
	const uint8_t r_[] = { __VA_ARGS__ };				\
	int n_ = send_req(r_, sizeof(r_), false, sizeof(out));		\
	assert_true(n_ > 0);						\
	decode((size_t)n_);						\
} while (0)

static const uint8_t integrity[] = { 0xC0, 0x01, 0x3C, 0x02, 0x06, 0x3C,
    0x03, 0x06, 0x3C, 0x04, 0x06, 0x3C, 0x01, 0x06 };

static void
test_integrity_poll(void **state)
{
	struct outstation_params cfg;
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	int n = send_req(integrity, sizeof(integrity), false, sizeof(out));
	assert_true(n > 0);
	decode((size_t)n);
	assert_int_equal(got.frames, 1);
	/*
	 * FIR FIN, seq 0, RESPONSE, IIN1.7 (restart) and IIN1.4 (need
	 * time), then g1v2 0..3.
	 */
	assert_int_equal(got.frag[0], 0xC0);
	assert_int_equal(got.frag[1], 129);
	assert_int_equal(got.frag[2], 0x90);
	assert_int_equal(got.frag[3], 0x00);
	const uint8_t g1[] = { 1, 2, 0x00, 0, 3 };
	assert_memory_equal(got.frag + 4, g1, sizeof(g1));
	assert_int_equal(s.stats.requests, 1);
	assert_int_equal(s.stats.responses, 1);
}

/* A response longer than one segment comes in consecutive frames. */
static void
test_segmented_response(void **state)
{
	struct outstation_params cfg;
	(void)state;
	config(&cfg, 100, 2048);
	start(&cfg);
	int n = send_req(integrity, sizeof(integrity), false, sizeof(out));
	assert_true(n > 0);
	decode((size_t)n);
	assert_true(got.frames >= 3);
	assert_true(got.len > 2 * 249);
	assert_int_equal((size_t)n, transport_tx_frames_size(got.len));
	assert_int_equal(got.frag[1], 129);
}

/* A request split over two segments is answered once, after the last. */
static void
test_request_reassembled(void **state)
{
	struct outstation_params cfg;
	uint8_t seg[20];
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	seg[0] = 0x40 | 5;			/* FIR, seq 5 */
	memcpy(seg + 1, integrity, 6);
	assert_int_equal(segment(seg, 7, OS_ADDR, sizeof(out)), 0);
	assert_int_equal(what, OUTSTATION_CHAN_FRAME);
	assert_true(ev.user_data);
	assert_int_equal(ev.data_len, 7);
	seg[0] = 0x80 | 6;			/* FIN, seq 6 */
	memcpy(seg + 1, integrity + 6, sizeof(integrity) - 6);
	int n = segment(seg, 1 + sizeof(integrity) - 6, OS_ADDR, sizeof(out));
	assert_int_equal(what, OUTSTATION_CHAN_REQUEST);
	assert_int_equal(ev.func, 1);
	assert_int_equal(ev.response_len, (size_t)n);
	assert_true(n > 0);
	decode((size_t)n);
	assert_int_equal(got.frag[1], 129);

	/* Out of sequence: dropped, no answer. */
	seg[0] = 0x40 | 1;
	memcpy(seg + 1, integrity, 6);
	assert_int_equal(segment(seg, 7, OS_ADDR, sizeof(out)), 0);
	seg[0] = 0x80 | 3;
	assert_int_equal(segment(seg, 7, OS_ADDR, sizeof(out)), 0);
	assert_int_equal(s.stats.requests, 1);
}

/* CROB LATCH_ON index 1 by DIRECT_OPERATE(_NR), qualifier 17. */
#define CROB(fc) 0xC0 | 3, fc, 12, 1, 0x17, 1, 1, 0x03, 1, 100, 0, 0, 0, \
	100, 0, 0, 0, 0

/* Broadcasts are never answered; only no-response requests execute. */
static void
test_broadcast(void **state)
{
	struct outstation_params cfg;
	const uint8_t nr[] = { CROB(6) };
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	assert_int_equal(send_req(integrity, sizeof(integrity), true,
	    sizeof(out)), 0);
	assert_int_equal(what, OUTSTATION_CHAN_BROADCAST_IGNORED);
	assert_int_equal(ev.func, 1);
	assert_true(ev.broadcast);
	assert_int_equal(s.stats.broadcasts_ignored, 1);
	assert_int_equal(send_req(nr, sizeof(nr), true, sizeof(out)), 0);
	assert_int_equal(what, OUTSTATION_CHAN_BROADCAST);
	assert_int_equal(s.stats.broadcasts, 1);
	assert_int_equal(s.stats.responses, 0);
	/*
	 * The operate took effect: g10v2 index 1 is on (state bit 0x80), and
	 * this first response after the broadcast has IIN1.0; the next not.
	 */
	REQ(0xC4, 0x01, 10, 2, 0x00, 1, 1);
	const uint8_t want[] = { 10, 2, 0x00, 1, 1 };
	assert_memory_equal(got.frag + 4, want, sizeof(want));
	assert_true(got.frag[9] & 0x80);
	assert_true(got.frag[2] & 0x01);
	REQ(0xC5, 0x01, 10, 2, 0x00, 1, 1);
	assert_false(got.frag[2] & 0x01);
	/* A broadcast WRITE that clears IIN1.7 is executed, too. */
	const uint8_t clear[] = { 0xC6, 0x02, 80, 1, 0x00, 7, 7, 0 };
	REQ(0xC6, 0x01, 10, 2, 0x00, 1, 1);
	assert_true(got.frag[2] & 0x80);
	assert_int_equal(send_req(clear, sizeof(clear), true, sizeof(out)), 0);
	REQ(0xC7, 0x01, 10, 2, 0x00, 1, 1);
	assert_int_equal(got.frag[2] & 0x81, 0x01);
	assert_int_equal(s.stats.broadcasts, 2);
	assert_int_equal(s.stats.responses, 4);
}

/* A response that does not fit the caller's room is refused. */
static void
test_output_full(void **state)
{
	struct outstation_params cfg;
	(void)state;
	config(&cfg, 100, 2048);
	start(&cfg);
	assert_int_equal(send_req(integrity, sizeof(integrity), false, 300),
	    -1);
	assert_int_equal(what, OUTSTATION_CHAN_OVERFLOW);
	assert_int_equal(s.stats.overflows, 1);
	assert_int_equal(s.stats.responses, 0);
}

/* Events sent but not confirmed survive a new connection. */
static void
test_events_survive_reset(void **state)
{
	struct outstation_params cfg;
	const uint8_t op[] = { CROB(5) };
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	assert_true(send_req(op, sizeof(op), false, sizeof(out)) > 0);
	assert_int_equal(outstation_events_pending(s.os, PT_BINARY_OUTPUT), 1);
	REQ(0xC5, 0x01, 60, 2, 0x06);		/* class 1 */
	assert_true(got.frag[0] & 0x20);	/* CON: events in it */
	assert_int_equal(got.frag[4], 11);	/* g11 */
	outstation_chan_reset(&s);
	assert_int_equal(outstation_events_pending(s.os, PT_BINARY_OUTPUT), 1);
	uint8_t first[64];
	size_t first_len = got.len;
	assert_true(first_len <= sizeof(first));
	memcpy(first, got.frag, first_len);
	REQ(0xC5, 0x01, 60, 2, 0x06);
	/* The same events again (same sequence number, too). */
	assert_int_equal(got.len, first_len);
	assert_memory_equal(got.frag + 4, first + 4, first_len - 4);
	const uint8_t confirm[] = { 0xE5, 0x00 };	/* seq 5 */
	assert_int_equal(send_req(confirm, sizeof(confirm), false,
	    sizeof(out)), 0);
	assert_int_equal(what, OUTSTATION_CHAN_CONFIRM);
	assert_int_equal(s.stats.confirms, 1);
	assert_int_equal(outstation_events_pending(s.os, PT_BINARY_OUTPUT), 0);
}

/* With unsolicited on, the tick sends the null unsolicited response. */
static void
test_unsolicited_tick(void **state)
{
	struct outstation_params cfg;
	(void)state;
	config(&cfg, 4, 2048);
	cfg.unsol_enabled = true;
	cfg.unsol_retries = 1;
	start(&cfg);
	uint64_t due = outstation_chan_deadline(&s);
	assert_true(due != 0);
	int n = outstation_chan_tick(&s, due > NOW ? due : NOW, out,
	    sizeof(out));
	assert_true(n > 0);
	decode((size_t)n);
	assert_int_equal(got.len, 4);
	assert_int_equal(got.frag[0] & 0xF0, 0xF0);	/* FIR FIN CON UNS */
	assert_int_equal(got.frag[1], 130);
	assert_int_equal(s.stats.unsolicited, 1);
}

/*
 * A pulse_on CROB (count 1, on 250 ms): the channel's deadline is the end
 * of the on time, its tick there turns the output off and sends nothing.
 */
static void
test_pulse_tick(void **state)
{
	struct outstation_params cfg;
	const struct db_point *bo;
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	bo = &outstation_db(s.os)->points[PT_BINARY_OUTPUT][2];
	REQ(0xC1, 0x05, 0x0C, 0x01, 0x28, 0x01, 0x00, 0x02, 0x00,
	    0x01, 0x01, 0xFA, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(got.frag[got.len - 1], 0);	/* SUCCESS */
	assert_int_equal(bo->v.bits & 1, 1);
	assert_int_equal(outstation_chan_deadline(&s), NOW + 250);
	assert_int_equal(outstation_chan_tick(&s, NOW + 249, out, sizeof(out)),
	    0);
	assert_int_equal(bo->v.bits & 1, 1);
	assert_int_equal(outstation_chan_tick(&s, NOW + 250, out, sizeof(out)),
	    0);
	assert_int_equal(bo->v.bits & 1, 0);
	assert_int_equal(outstation_chan_deadline(&s), 0);
	assert_int_equal(outstation_events_pending(s.os, PT_BINARY_OUTPUT), 2);
}

/* Link frames without a request: the station's replies go to out. */
static void
test_link_replies(void **state)
{
	struct outstation_params cfg;
	uint8_t f[LINK_MAX_FRAME];
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	int n = feed(f, frame(f, OS_ADDR, MASTER_ADDR,
	    LINK_PRI_REQUEST_LINK_STATUS, NULL, 0), sizeof(out));
	assert_int_equal(what, OUTSTATION_CHAN_FRAME);
	assert_false(ev.user_data);
	assert_int_equal(n, LINK_HEADER_LEN);
	assert_int_equal(out[3], LINK_SEC_LINK_STATUS);	/* DIR 0, PRM 0 */
	/* Keep-alive: request link status from the outstation's side. */
	n = outstation_chan_link_status(&s, out, sizeof(out));
	assert_int_equal(n, LINK_HEADER_LEN);
	assert_int_equal(out[3], 0x40 | LINK_PRI_REQUEST_LINK_STATUS);
	assert_int_equal(out[4] | out[5] << 8, MASTER_ADDR);
}

/* Frames for another outstation or from another master: dropped, said. */
static void
test_dropped_for_address(void **state)
{
	struct outstation_params cfg;
	uint8_t f[LINK_MAX_FRAME];
	size_t used, len;
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	len = frame(f, OS_ADDR + 1, MASTER_ADDR,
	    LINK_PRI_REQUEST_LINK_STATUS, NULL, 0);
	what = outstation_chan_feed(&s, f, len, &used, NOW, out, sizeof(out),
	    &ev);
	assert_int_equal(what, OUTSTATION_CHAN_DROPPED);
	assert_int_equal(ev.drop, LINK_DROP_OTHER_DEST);
	assert_int_equal(ev.hdr.dest, OS_ADDR + 1);
	assert_int_equal(ev.frame_size, LINK_HEADER_LEN);
	assert_int_equal(ev.out_len, 0);
	len = frame(f, OS_ADDR, MASTER_ADDR + 1,
	    LINK_PRI_UNCONFIRMED_USER_DATA, integrity, sizeof(integrity));
	what = outstation_chan_feed(&s, f, len, &used, NOW, out, sizeof(out),
	    &ev);
	assert_int_equal(what, OUTSTATION_CHAN_DROPPED);
	assert_int_equal(ev.drop, LINK_DROP_UNKNOWN_SOURCE);
	assert_int_equal(ev.hdr.src, MASTER_ADDR + 1);
	assert_int_equal(ev.frame_size, len);
	assert_false(ev.user_data);
	assert_int_equal(s.stats.requests, 0);
}

/*
 * Link errors: in discard mode each says how many bytes were dropped
 * since the one before (a new connection counts from 0 again); in close
 * mode the error is sticky.
 */
static void
test_link_errors(void **state)
{
	struct outstation_params cfg;
	uint8_t in[64], good[LINK_MAX_FRAME];
	size_t used, glen;
	(void)state;
	config(&cfg, 4, 2048);
	start_mode(&cfg, LINK_ERROR_DISCARD);
	glen = frame(good, OS_ADDR, MASTER_ADDR,
	    LINK_PRI_REQUEST_LINK_STATUS, NULL, 0);
	memset(in, 0xAA, 5);			/* garbage */
	memcpy(in + 5, good, glen);
	what = outstation_chan_feed(&s, in, 5 + glen, &used, NOW, out,
	    sizeof(out), &ev);
	assert_int_equal(what, OUTSTATION_CHAN_LINK_ERROR);
	assert_int_equal(ev.err, LINK_ERR_START);
	assert_int_equal(feed(in + used, 5 + glen - used, sizeof(out)),
	    LINK_HEADER_LEN);		/* the good frame is answered */
	/* A bad header CRC: its bytes are the next error's. */
	memcpy(in, good, glen);
	in[8] ^= 0x55;
	what = outstation_chan_feed(&s, in, glen, &used, NOW, out,
	    sizeof(out), &ev);
	assert_int_equal(what, OUTSTATION_CHAN_LINK_ERROR);
	assert_int_equal(ev.err, LINK_ERR_HEADER_CRC);
	uint64_t first = ev.discarded;
	assert_true(first > 0);
	(void)feed(in + used, glen - used, sizeof(out));
	uint64_t total = s.parser.stats.discarded;
	outstation_chan_reset(&s);
	assert_int_equal(s.parser.stats.discarded, 0);
	what = outstation_chan_feed(&s, in, glen, &used, NOW, out,
	    sizeof(out), &ev);
	assert_int_equal(what, OUTSTATION_CHAN_LINK_ERROR);
	assert_true(ev.discarded <= total);
	outstation_chan_free(&s);

	start_mode(&cfg, LINK_ERROR_CLOSE);
	what = outstation_chan_feed(&s, in, glen, &used, NOW, out,
	    sizeof(out), &ev);
	assert_int_equal(what, OUTSTATION_CHAN_LINK_ERROR);
	what = outstation_chan_feed(&s, good, glen, &used, NOW, out,
	    sizeof(out), &ev);
	assert_int_equal(what, OUTSTATION_CHAN_LINK_ERROR);
	assert_int_equal(used, 0);
}

/* Bad parameters: no channel. */
static void
test_bad_params(void **state)
{
	struct outstation_params cfg;
	(void)state;
	config(&cfg, 4, 2048);
	cfg.frag_rx = 10;
	assert_int_equal(outstation_chan_init(&s, &cfg, OS_ADDR, MASTER_ADDR,
	    LINK_ERROR_CLOSE), -1);
	assert_null(s.os);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_integrity_poll, teardown),
		cmocka_unit_test_teardown(test_segmented_response, teardown),
		cmocka_unit_test_teardown(test_request_reassembled, teardown),
		cmocka_unit_test_teardown(test_broadcast, teardown),
		cmocka_unit_test_teardown(test_output_full, teardown),
		cmocka_unit_test_teardown(test_events_survive_reset, teardown),
		cmocka_unit_test_teardown(test_unsolicited_tick, teardown),
		cmocka_unit_test_teardown(test_pulse_tick, teardown),
		cmocka_unit_test_teardown(test_link_replies, teardown),
		cmocka_unit_test_teardown(test_dropped_for_address, teardown),
		cmocka_unit_test_teardown(test_link_errors, teardown),
		cmocka_unit_test(test_bad_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
