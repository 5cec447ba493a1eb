/* libs: dnp3os dnp3app dnp3link listenercore */
/*
 * The worker's glue from link user data to link frames (worker/session.c):
 * what a master receives for its requests, byte for byte at the link and
 * transport level, reassembly of requests split over segments, broadcast
 * requests never answered, a full output refused, events kept over a
 * connection reset, unsolicited responses from the tick.
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
#include "listener/config_load.h"
#include "worker/session.h"

#define OS_ADDR		10
#define MASTER_ADDR	1
#define NOW		1000
#define TIME		1700000000000ull	/* DNP3 time of NOW */

static struct session s;
static struct link_station st;
static uint8_t out[1 << 17];

/* What one output held: the fragment and the segments it came in. */
struct got {
	uint8_t	 frag[65536];
	size_t	 len;
	int	 frames;
	uint8_t	 th[300];	/* transport header of each frame */
};
static struct got got;

static void
config(struct outstation_config *cfg, uint32_t count, uint32_t frag_tx)
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
	cfg->address = OS_ADDR;
	cfg->master = MASTER_ADDR;
}

static void
start(struct outstation_config *cfg)
{
	assert_int_equal(session_init(&s, cfg, NOW, TIME), 0);
	link_station_init(&st, OS_ADDR, MASTER_ADDR, false, false);
	session_reset(&s);
}

static int
teardown(void **state)
{
	(void)state;
	session_free(&s);
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
	struct link_rx rx = { .data = seg, .len = len + 1, .deliver = true,
	    .broadcast = bcast, .dest = bcast ? 0xFFFF : OS_ADDR,
	    .src = MASTER_ADDR };

	seg[0] = 0xC0 | (tseq++ & 0x3F);
	memcpy(seg + 1, app, len);
	return session_user_data(&s, &st, &rx, NOW, out, cap);
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
	struct outstation_config cfg;
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
	assert_int_equal(s.stats.fragments_in, 1);
	assert_int_equal(s.stats.fragments_out, 1);
}

/* A response longer than one segment comes in consecutive frames. */
static void
test_segmented_response(void **state)
{
	struct outstation_config cfg;
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
	struct outstation_config cfg;
	uint8_t seg[20];
	struct link_rx rx = { .data = seg, .deliver = true, .dest = OS_ADDR,
	    .src = MASTER_ADDR };
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	seg[0] = 0x40 | 5;			/* FIR, seq 5 */
	memcpy(seg + 1, integrity, 6);
	rx.len = 7;
	assert_int_equal(session_user_data(&s, &st, &rx, NOW, out,
	    sizeof(out)), 0);
	seg[0] = 0x80 | 6;			/* FIN, seq 6 */
	memcpy(seg + 1, integrity + 6, sizeof(integrity) - 6);
	rx.len = 1 + sizeof(integrity) - 6;
	int n = session_user_data(&s, &st, &rx, NOW, out, sizeof(out));
	assert_true(n > 0);
	decode((size_t)n);
	assert_int_equal(got.frag[1], 129);

	/* Out of sequence: dropped, no answer. */
	seg[0] = 0x40 | 1;
	rx.len = 7;
	memcpy(seg + 1, integrity, 6);
	assert_int_equal(session_user_data(&s, &st, &rx, NOW, out,
	    sizeof(out)), 0);
	seg[0] = 0x80 | 3;
	assert_int_equal(session_user_data(&s, &st, &rx, NOW, out,
	    sizeof(out)), 0);
}

/* CROB LATCH_ON index 1 by DIRECT_OPERATE(_NR), qualifier 17. */
#define CROB(fc) 0xC0 | 3, fc, 12, 1, 0x17, 1, 1, 0x03, 1, 100, 0, 0, 0, \
	100, 0, 0, 0, 0

/* Broadcasts are never answered; only no-response requests execute. */
static void
test_broadcast(void **state)
{
	struct outstation_config cfg;
	const uint8_t nr[] = { CROB(6) };
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	assert_int_equal(send_req(integrity, sizeof(integrity), true,
	    sizeof(out)), 0);
	assert_int_equal(s.stats.broadcast_dropped, 1);
	assert_int_equal(send_req(nr, sizeof(nr), true, sizeof(out)), 0);
	assert_int_equal(s.stats.broadcast, 1);
	assert_int_equal(s.stats.fragments_out, 0);
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
	assert_int_equal(s.stats.broadcast, 2);
	assert_int_equal(s.stats.fragments_out, 4);
}

/* A response that does not fit the caller's room is refused. */
static void
test_output_full(void **state)
{
	struct outstation_config cfg;
	(void)state;
	config(&cfg, 100, 2048);
	start(&cfg);
	assert_int_equal(send_req(integrity, sizeof(integrity), false, 300),
	    -1);
	assert_int_equal(s.stats.overflow, 1);
	assert_int_equal(s.stats.fragments_out, 0);
}

/* Events sent but not confirmed survive a new connection. */
static void
test_events_survive_reset(void **state)
{
	struct outstation_config cfg;
	const uint8_t op[] = { CROB(5) };
	(void)state;
	config(&cfg, 4, 2048);
	start(&cfg);
	assert_true(send_req(op, sizeof(op), false, sizeof(out)) > 0);
	assert_int_equal(outstation_events_pending(s.os, PT_BINARY_OUTPUT), 1);
	REQ(0xC5, 0x01, 60, 2, 0x06);		/* class 1 */
	assert_true(got.frag[0] & 0x20);	/* CON: events in it */
	assert_int_equal(got.frag[4], 11);	/* g11 */
	session_reset(&s);
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
	assert_int_equal(outstation_events_pending(s.os, PT_BINARY_OUTPUT), 0);
}

/* Demo values for the embedded default: analog input i is i * 1.5. */
static void
test_demo_values(void **state)
{
	struct outstation_config cfg;
	(void)state;
	config(&cfg, 4, 2048);
	cfg.demo_values = true;
	start(&cfg);
	REQ(0xC1, 0x01, 30, 1, 0x00, 2, 2);
	const uint8_t want[] = { 30, 1, 0x00, 2, 2, 0x01, 3, 0, 0, 0 };
	assert_int_equal(got.len, 4 + sizeof(want));
	assert_memory_equal(got.frag + 4, want, sizeof(want));
}

/*
 * The embedded default (no -c) marks its outstations for demo values, a
 * configuration file does not; the worker serves them from its session.
 */
static void
test_embedded_default_demo(void **state)
{
	struct dnp3d_config dc;
	char err[256], path[] = "/tmp/test_workercore_session.XXXXXX";
	const char text[] = "runtime_dir = \"/tmp\";\nservers = ( { listen = "
	    "\"127.0.0.1:20000\"; outstations = ( { name = \"a\"; filter = "
	    "\"any\"; address = 10; master = 1; } ); } );\n";
	struct outstation_config cfg;
	FILE *f;
	int fd;
	(void)state;

	assert_int_equal(config_load(NULL, &dc, err, sizeof(err)), 0);
	assert_int_equal(dc.outstation_count, 1);
	assert_true(dc.outstations[0].demo_values);
	cfg = dc.outstations[0];
	config_free(&dc);
	start(&cfg);
	REQ(0xC1, 0x01, 40, 1, 0x00, 4, 4);	/* analog output 4: 10 */
	const uint8_t want[] = { 40, 1, 0x00, 4, 4, 0x01, 10, 0, 0, 0 };
	assert_int_equal(got.len, 4 + sizeof(want));
	assert_memory_equal(got.frag + 4, want, sizeof(want));

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(config_load(path, &dc, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(dc.outstation_count, 1);
	assert_false(dc.outstations[0].demo_values);
	config_free(&dc);
}

/* With unsolicited on, the tick sends the null unsolicited response. */
static void
test_unsolicited_tick(void **state)
{
	struct outstation_config cfg;
	(void)state;
	config(&cfg, 4, 2048);
	cfg.unsol_enabled = true;
	cfg.unsol_retries = 1;
	start(&cfg);
	uint64_t due = session_deadline(&s);
	assert_true(due != 0);
	int n = session_tick(&s, &st, due > NOW ? due : NOW, out,
	    sizeof(out));
	assert_true(n > 0);
	decode((size_t)n);
	assert_int_equal(got.len, 4);
	assert_int_equal(got.frag[0] & 0xF0, 0xF0);	/* FIR FIN CON UNS */
	assert_int_equal(got.frag[1], 130);
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
		cmocka_unit_test_teardown(test_demo_values, teardown),
		cmocka_unit_test_teardown(test_embedded_default_demo, teardown),
		cmocka_unit_test_teardown(test_unsolicited_tick, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
