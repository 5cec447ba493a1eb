/* libs: dnp3app */
/*
 * Multi-fragment responses: a 1,000-point database answered in fragments
 * of at most frag_tx bytes, FIR on the first, FIN on the last, CON on
 * every one but a final one without events, the next only after the
 * confirm of the one before; events leave fragment by fragment.
 */
#include "test_dnp3os_helpers.h"

#define NPOINTS	1000

static struct rsp r;
static struct outstation *os;

static struct outstation *
make(uint32_t frag_tx)
{
	struct outstation_params cfg;

	cfg_default(&cfg, NPOINTS);
	cfg.frag_tx = frag_tx;
	cfg.db[PT_ANALOG_INPUT].event_buffer = NPOINTS;
	return outstation_new(&cfg);
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

/* Per type: the next point index each static header must start with. */
struct seen {
	uint32_t next[PT_COUNT];
	uint32_t events;
	uint32_t fragments;
};

static void
account(struct seen *s, const struct rsp *x, uint32_t frag_tx)
{
	struct hdr h[32];
	int n = rsp_headers(x, h, 32);
	uint32_t index;

	assert_true(x->len <= frag_tx);
	assert_true(n > 0);	/* never an empty fragment in between */
	for (int i = 0; i < n; i++) {
		if (h[i].group == 32) {
			for (uint32_t k = 0; k < h[i].count; k++) {
				(void)hdr_obj(&h[i], k, &index);
				assert_int_equal(index, s->events);
				s->events++;
			}
			continue;
		}
		enum point_type t = db_type_of_static_group(h[i].group);
		assert_true(t < PT_COUNT);
		assert_int_equal(h[i].first, s->next[t]);
		if (t != PT_OCTET_STRING) {
			union dnp3_obj o = hdr_obj(&h[i], 0, &index);
			assert_int_equal(o.point.flags, DB_FLAG_RESTART);
		}
		s->next[t] = h[i].last + 1;
	}
	s->fragments++;
}

/*
 * Walk a multi-fragment response to its end, checking the control octet
 * of each fragment and that nothing comes without a confirm.
 */
static void
walk(struct seen *s, uint8_t seq, uint32_t frag_tx, uint64_t now,
    bool events_in_last)
{
	struct os_output out;

	for (uint32_t k = 0; k < 1000; k++) {
		uint8_t ac = r.b[0];
		bool fin = ac & DNP3_AC_FIN;

		assert_int_equal(ac & DNP3_AC_SEQ_MASK, seq);
		assert_int_equal(!!(ac & DNP3_AC_FIR), k == 0);
		assert_int_equal(!!(ac & DNP3_AC_CON),
		    !fin || events_in_last);
		account(s, &r, frag_tx);
		if (fin && !events_in_last) {
			assert_int_equal(r.deadline, 0);
			return;
		}
		assert_int_equal(r.deadline, now + 5000);
		/* Nothing moves without the confirm. */
		outstation_tick(os, now + 10, &out);
		assert_int_equal(out.len, 0);
		confirm(os, &r, (uint8_t)(seq + 1), now + 20);
		assert_int_equal(r.len, 0);
		now += 100;
		confirm(os, &r, seq, now);
		if (fin) {
			assert_int_equal(r.len, 0);
			return;
		}
		seq = (seq + 1) & 0x0f;
	}
	fail_msg("no FIN after 1000 fragments");
}

static void
test_integrity_poll_1000_points(void **state)
{
	struct seen s;
	(void)state;
	os = make(2048);
	assert_non_null(os);
	memset(&s, 0, sizeof(s));
	REQ(os, &r, 1000, 0xce, 0x01, 0x3c, 0x02, 0x06, 0x3c, 0x03, 0x06,
	    0x3c, 0x04, 0x06, 0x3c, 0x01, 0x06);
	walk(&s, 14, 2048, 1000, false);
	for (int t = 0; t < PT_COUNT; t++)
		assert_int_equal(s.next[t], NPOINTS);
	/* 3000 flag octets, 4 x 5000 flags+values, 1000 octets: > 11 x 2048 */
	assert_true(s.fragments >= 12);
	assert_int_equal(outstation_deadline(os), 0);
}

static void
test_smallest_fragments(void **state)
{
	struct seen s;
	(void)state;
	os = make(249);
	assert_non_null(os);
	memset(&s, 0, sizeof(s));
	REQ(os, &r, 1000, 0xc0, 0x01, 0x1e, 0x01, 0x01, 0x00, 0x00,
	    0xe7, 0x03);	/* g30v1 0..999 */
	walk(&s, 0, 249, 1000, false);
	assert_int_equal(s.next[PT_ANALOG_INPUT], NPOINTS);
	/* 5000 bytes of objects, at most 244 per fragment. */
	assert_true(s.fragments >= 21);
}

static void
test_events_over_fragments(void **state)
{
	struct point_value v;
	struct seen s;
	(void)state;
	os = make(2048);
	assert_non_null(os);
	for (uint32_t i = 0; i < NPOINTS; i++) {
		v.analog = 1000 + i;
		assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, i, &v,
		    DB_FLAG_RESTART, T0 + i), 0);
	}
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT),
	    NPOINTS);
	memset(&s, 0, sizeof(s));
	REQ(os, &r, 1000, 0xc3, 0x01, 0x3c, 0x02, 0x06);
	walk(&s, 3, 2048, 1000, true);
	assert_int_equal(s.events, NPOINTS);
	assert_true(s.fragments >= 4);	/* 7 bytes each */
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	assert_false(outstation_iin(os) & DNP3_IIN1_CLASS1_EVENTS);
}

static void
test_timeout_mid_response(void **state)
{
	struct point_value v;
	struct os_output out;
	struct seen s;
	(void)state;
	os = make(2048);
	assert_non_null(os);
	for (uint32_t i = 0; i < NPOINTS; i++) {
		v.analog = 1000 + i;
		assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, i, &v,
		    DB_FLAG_RESTART, T0 + i), 0);
	}
	memset(&s, 0, sizeof(s));
	REQ(os, &r, 1000, 0xc3, 0x01, 0x3c, 0x02, 0x06);
	account(&s, &r, 2048);
	uint32_t first = s.events;
	confirm(os, &r, 3, 1100);	/* fragment 1 confirmed */
	assert_int_equal(r.b[0] & (DNP3_AC_FIR | DNP3_AC_CON | 0x0f),
	    DNP3_AC_CON | 4);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT),
	    NPOINTS - first);
	outstation_tick(os, 1100 + 5000, &out);	/* fragment 2 is not */
	assert_int_equal(out.len, 0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT),
	    NPOINTS - first);
	/* A new read starts again with the first unconfirmed event. */
	REQ(os, &r, 7000, 0xc5, 0x01, 0x3c, 0x02, 0x06);
	struct hdr h[4];
	uint32_t index;
	assert_true(rsp_headers(&r, h, 4) >= 1);
	(void)hdr_obj(&h[0], 0, &index);
	assert_int_equal(index, first);
	assert_int_equal(r.b[0] & (DNP3_AC_FIR | DNP3_AC_FIN), DNP3_AC_FIR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_integrity_poll_1000_points,
		    teardown),
		cmocka_unit_test_teardown(test_smallest_fragments, teardown),
		cmocka_unit_test_teardown(test_events_over_fragments,
		    teardown),
		cmocka_unit_test_teardown(test_timeout_mid_response, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
