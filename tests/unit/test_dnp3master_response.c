/* libs: dnp3os */
/*
 * The master's response parser against responses of the real outstation
 * (built by the master's own request builders, answered in-process), the
 * control echo check, and malformed responses that must be rejected.
 */
#include "test_dnp3os_helpers.h"

#include "dnp3/master/master.h"

#define PTS_MAX	2048

struct pt {
	uint8_t group, variation;
	uint32_t index;
	bool indexed;
	double value;
	uint8_t flags;
	bool time_valid;
	uint64_t time_ms;
};

struct pts {
	struct pt p[PTS_MAX];
	int n;
};

static struct pts pts;
static struct rsp r;
static uint8_t q[MASTER_REQ_MAX];

static int
collect(void *arg, const struct master_point *p)
{
	struct pts *s = arg;
	struct pt *t;

	assert_true(s->n < PTS_MAX);
	t = &s->p[s->n++];
	t->group = p->group;
	t->variation = p->variation;
	t->index = p->index;
	t->indexed = p->indexed;
	t->value = p->obj.point.value;
	t->flags = p->obj.point.flags;
	t->time_valid = p->time_valid;
	t->time_ms = p->time_ms;
	return 0;
}

static const struct pt *
find(const struct pts *s, uint8_t group, uint32_t index)
{
	for (int i = 0; i < s->n; i++)
		if (s->p[i].group == group && s->p[i].index == index)
			return &s->p[i];
	return NULL;
}

static int
count_group(const struct pts *s, uint8_t group)
{
	int n = 0;

	for (int i = 0; i < s->n; i++)
		n += s->p[i].group == group;
	return n;
}

static struct outstation *
demo_outstation(uint32_t n, uint32_t frag_tx)
{
	struct outstation_params cfg;
	struct outstation *os;

	cfg_default(&cfg, n);
	cfg.frag_tx = frag_tx;
	assert_non_null(os = outstation_new(&cfg));
	outstation_load_demo_values(os, T0);
	return os;
}

/* Send the request in q (length len) and parse the answer's header. */
static void
ask(struct outstation *os, int len, struct master_response *mr)
{
	assert_true(len > 0);
	req(os, &r, q, (size_t)len, 1000);
	assert_int_equal(r.ret, 0);
	assert_true(r.len > 0);
	assert_int_equal(master_response_parse(r.b, r.len, mr), 0);
}

static void
test_integrity_points(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr;
	const struct pt *p;
	int n;

	(void)state;
	ask(os, master_req_integrity(q, sizeof(q), 5), &mr);
	assert_int_equal(mr.func, DNP3_FC_RESPONSE);
	assert_int_equal(mr.seq, 5);
	assert_true(mr.fir && mr.fin && !mr.uns);
	assert_true(mr.iin & DNP3_IIN1_DEVICE_RESTART);
	assert_false(mr.iin & MASTER_IIN_ERRORS);
	pts.n = 0;
	n = master_response_points(&mr, collect, &pts);
	assert_int_equal(n, pts.n);
	assert_true(n > 0);
	/*
	 * The demo database: analog i = i * 1.5 (g30v1 is a 32-bit integer:
	 * 4.5 is rounded to 5), counter i = i * 10, ...
	 */
	assert_non_null(p = find(&pts, 30, 3));
	assert_int_equal(p->variation, 1);
	assert_true(p->indexed);
	assert_true(p->value == 5);
	assert_int_equal(p->flags, DNP3_FLAG_ONLINE);
	assert_false(p->time_valid);
	assert_non_null(p = find(&pts, 20, 2));
	assert_true(p->value == 20);
	assert_non_null(p = find(&pts, 1, 1));
	assert_true(p->value == 1);
	assert_non_null(p = find(&pts, 1, 2));
	assert_true(p->value == 0);
	assert_non_null(p = find(&pts, 40, 4));
	assert_true(p->value == 10);
	assert_int_equal(count_group(&pts, 30), 10);
	assert_int_equal(count_group(&pts, 1), 10);
	outstation_free(os);
}

static void
test_read_range_and_clear_restart(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr;

	(void)state;
	ask(os, master_req_read(q, sizeof(q), 1, 30, 5, true, 2, 4), &mr);
	pts.n = 0;
	assert_int_equal(master_response_points(&mr, collect, &pts), 3);
	assert_int_equal(pts.p[0].group, 30);
	assert_int_equal(pts.p[0].variation, 5);
	assert_int_equal(pts.p[0].index, 2);
	assert_true(pts.p[1].value == 4.5);	/* g30v5: a float */
	assert_true(pts.p[2].value == 6.0);

	ask(os, master_req_clear_restart(q, sizeof(q), 2), &mr);
	assert_int_equal(mr.seq, 2);
	assert_false(mr.iin & DNP3_IIN1_DEVICE_RESTART);
	assert_int_equal(master_response_points(&mr, NULL, NULL), 0);
	outstation_free(os);
}

static void
test_unknown_object_iin(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr;

	(void)state;
	ask(os, master_req_read(q, sizeof(q), 3, 99, 1, false, 0, 0), &mr);
	assert_true(mr.iin & DNP3_IIN2_OBJECT_UNKNOWN);
	assert_true(mr.iin & MASTER_IIN_ERRORS);
	outstation_free(os);
}

static void
test_events_with_time_and_confirm(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr;
	struct point_value v = { .binary = 0 };
	const struct pt *p;
	int n;

	(void)state;
	assert_int_equal(outstation_update(os, PT_BINARY_INPUT, 1, &v,
	    DB_FLAG_ONLINE, T0 + 250), 0);
	ask(os, master_req_classes(q, sizeof(q), 6, MASTER_CLASS1), &mr);
	assert_true(mr.con);	/* events: the master must confirm */
	pts.n = 0;
	assert_true((n = master_response_points(&mr, collect, &pts)) >= 1);
	assert_non_null(p = find(&pts, 2, 1));
	assert_true(p->value == 0);
	assert_true(p->time_valid);
	assert_int_equal(p->time_ms, T0 + 250);
	/* our confirm removes the event: the next poll has none */
	n = master_req_confirm(q, sizeof(q), mr.seq, false);
	req(os, &r, q, (size_t)n, 1100);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_INPUT), 0);
	ask(os, master_req_classes(q, sizeof(q), 7, MASTER_CLASS1), &mr);
	assert_int_equal(master_response_points(&mr, NULL, NULL), 0);
	assert_false(mr.iin & DNP3_IIN1_CLASS1_EVENTS);
	outstation_free(os);
}

/* 100 points of every type in fragments of 249 bytes. */
static void
test_multi_fragment(void **state)
{
	struct outstation *os = demo_outstation(100, 249);
	struct master_response mr;
	int frags = 0, n;

	(void)state;
	pts.n = 0;
	ask(os, master_req_integrity(q, sizeof(q), 0), &mr);
	assert_true(mr.fir);
	for (;;) {
		frags++;
		assert_true(r.len <= 249);
		assert_true(master_response_points(&mr, collect, &pts) > 0);
		if (mr.fin)
			break;
		assert_true(mr.con);	/* every non-final fragment */
		assert_true(frags < 100);
		n = master_req_confirm(q, sizeof(q), mr.seq, false);
		req(os, &r, q, (size_t)n, 1000);
		assert_true(r.len > 0);
		assert_int_equal(master_response_parse(r.b, r.len, &mr), 0);
		assert_false(mr.fir);
	}
	assert_true(frags > 2);
	assert_int_equal(count_group(&pts, 30), 100);
	assert_int_equal(count_group(&pts, 20), 100);
	assert_true(find(&pts, 30, 99)->value == 149);	/* 148.5 rounded */
	outstation_free(os);
}

static int
stop_at_two(void *arg, const struct master_point *p)
{
	int *n = arg;

	(void)p;
	return ++*n == 2 ? 42 : 0;
}

static void
test_callback_stops(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr;
	int n = 0;

	(void)state;
	ask(os, master_req_integrity(q, sizeof(q), 0), &mr);
	assert_int_equal(master_response_points(&mr, stop_at_two, &n), 42);
	assert_int_equal(n, 2);
	outstation_free(os);
}

/* A control: the real outstation's answer, then hand-made echoes. */
static void
test_control_status(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct dnp3_crob c = { .code = DNP3_CROB_OP_LATCH_ON, .count = 1 };
	struct master_response mr;
	uint8_t echo[MASTER_REQ_MAX + 2], st = 0xff;
	int len;

	(void)state;
	len = master_req_crob(q, sizeof(q), 1, DNP3_FC_DIRECT_OPERATE, 2, &c);
	ask(os, len, &mr);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st), 0);
	assert_int_equal(st, DNP3_CS_SUCCESS);	/* controls = echo */

	/* OPERATE without SELECT: NO_SELECT; after a SELECT: SUCCESS */
	len = master_req_analog(q, sizeof(q), 2, DNP3_FC_OPERATE, 1, 2, 77);
	ask(os, len, &mr);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st), 0);
	assert_int_equal(st, DNP3_CS_NO_SELECT);
	len = master_req_analog(q, sizeof(q), 3, DNP3_FC_SELECT, 1, 2, 77);
	ask(os, len, &mr);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st), 0);
	assert_int_equal(st, DNP3_CS_SUCCESS);
	len = master_req_analog(q, sizeof(q), 4, DNP3_FC_OPERATE, 1, 2, 77);
	ask(os, len, &mr);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st), 0);
	assert_int_equal(st, DNP3_CS_SUCCESS);

	/* an answer without objects (e.g. IIN2.0) is no echo */
	len = master_req_crob(q, sizeof(q), 5, DNP3_FC_DIRECT_OPERATE, 2, &c);
	memcpy(echo, (const uint8_t[]){ 0xC5, 0x81, 0x00, 0x01 }, 4);
	assert_int_equal(master_response_parse(echo, 4, &mr), 0);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st),
	    DNP3_E_PARAM);

	/* response = request objects with the status octet (last) set */
	echo[0] = 0xC1;
	echo[1] = DNP3_FC_RESPONSE;
	echo[2] = echo[3] = 0;
	memcpy(echo + 4, q + 2, (size_t)len - 2);
	echo[len + 1] = DNP3_CS_NOT_SUPPORTED;
	assert_int_equal(master_response_parse(echo, (size_t)len + 2, &mr), 0);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st), 0);
	assert_int_equal(st, DNP3_CS_NOT_SUPPORTED);
	/* a changed on-time is not an echo */
	echo[len + 1] = 0;
	echo[4 + 3 + 2 + 2] ^= 1;
	assert_int_equal(master_response_parse(echo, (size_t)len + 2, &mr), 0);
	assert_int_equal(master_control_status(q, (size_t)len, &mr, &st),
	    DNP3_E_PARAM);
	/* nor is a truncated one */
	echo[4 + 3 + 2 + 2] ^= 1;
	assert_int_equal(master_response_parse(echo, (size_t)len + 1, &mr), 0);
	assert_true(master_control_status(q, (size_t)len, &mr, &st) < 0);
	outstation_free(os);
}

static void
test_malformed(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr;
	const uint8_t reqhdr[] = { 0xC0, 0x01, 0x3C, 0x01, 0x06 };
	const uint8_t unknown[] = { 0xC0, 0x81, 0x00, 0x00, 0x63, 0x01, 0x00,
	    0x00, 0x00, 0x01 };
	const uint8_t badrange[] = { 0xC0, 0x81, 0x00, 0x00, 0x1E, 0x01, 0x00,
	    0x05, 0x04 };
	int ret;

	(void)state;
	assert_int_equal(master_response_parse(r.b, 3, &mr), DNP3_E_HDR_SHORT);
	assert_int_equal(master_response_parse(reqhdr, sizeof(reqhdr), &mr),
	    DNP3_E_PARAM);
	assert_int_equal(master_response_parse(unknown, sizeof(unknown), &mr),
	    0);
	assert_int_equal(master_response_points(&mr, NULL, NULL),
	    DNP3_E_OBJECT);
	assert_int_equal(master_response_parse(badrange, sizeof(badrange),
	    &mr), 0);
	assert_int_equal(master_response_points(&mr, NULL, NULL),
	    DNP3_E_RANGE);
	/* a real response cut short: the points before are still seen */
	ask(os, master_req_integrity(q, sizeof(q), 0), &mr);
	mr.objs_len -= 1;
	pts.n = 0;
	ret = master_response_points(&mr, collect, &pts);
	assert_int_equal(ret, DNP3_E_OVERRUN);
	assert_true(pts.n > 0);
	assert_null(find(&pts, 110, 9));	/* the last header is lost */
	outstation_free(os);
}

/*
 * Every cut of a real response: at a header boundary it is a shorter
 * well-formed response with the objects before the cut, anywhere else it
 * is rejected.
 */
static void
test_every_truncation(void **state)
{
	struct outstation *os = demo_outstation(10, 2048);
	struct master_response mr, cut;
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	size_t bound[64], nb = 0;
	int objs[64], total = 0, ret;

	(void)state;
	ask(os, master_req_integrity(q, sizeof(q), 0), &mr);
	dnp3_objiter_init(&it, mr.objs, mr.objs_len, true);
	while (dnp3_objiter_next(&it, &h) > 0) {
		assert_true(nb < 64);
		total += (int)h.count;
		bound[nb] = it.offset;
		objs[nb++] = total;
	}
	assert_int_equal(bound[nb - 1], mr.objs_len);
	for (size_t len = 1, b = 0; len < mr.objs_len; len++) {
		cut = mr;
		cut.objs_len = len;
		ret = master_response_points(&cut, NULL, NULL);
		if (len == bound[b])
			assert_int_equal(ret, objs[b++]);
		else
			assert_true(ret < 0);
	}
	outstation_free(os);
}

/* g2v3 events carry 16-bit offsets to the CTO (g51) before them. */
static void
test_relative_time(void **state)
{
	uint8_t b[128];
	struct dnp3_writer w;
	struct master_response mr;
	union dnp3_obj o;
	const uint8_t no_cto[] = { 0xC0, 0x81, 0x00, 0x00, 0x02, 0x03, 0x17,
	    0x01, 0x05, 0x81, 0x2C, 0x01 };

	(void)state;
	assert_int_equal(dnp3_writer_init(&w, b, sizeof(b)), 0);
	assert_int_equal(dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0), 0);
	o.time_ms = T0;
	assert_int_equal(dnp3_writer_add_single(&w, 51, 1, &o), 0);
	assert_int_equal(dnp3_writer_begin(&w, 2, 3, DNP3_Q_INDEX_16, 0), 0);
	o.point.value = 1;
	o.point.flags = DNP3_FLAG_ONLINE;
	o.point.time_ms = T0 + 300;
	assert_int_equal(dnp3_writer_add(&w, 7, &o), 0);
	assert_int_equal(master_response_parse(b, dnp3_writer_len(&w), &mr),
	    0);
	pts.n = 0;
	assert_int_equal(master_response_points(&mr, collect, &pts), 2);
	assert_int_equal(pts.p[0].group, 51);
	assert_false(pts.p[0].indexed);
	assert_true(pts.p[0].time_valid);
	assert_int_equal(pts.p[0].time_ms, T0);
	assert_int_equal(pts.p[1].group, 2);
	assert_int_equal(pts.p[1].index, 7);
	assert_true(pts.p[1].value == 1);
	assert_true(pts.p[1].time_valid);
	assert_int_equal(pts.p[1].time_ms, T0 + 300);

	/* without a CTO the offset is no time at all */
	assert_int_equal(master_response_parse(no_cto, sizeof(no_cto), &mr),
	    0);
	pts.n = 0;
	assert_int_equal(master_response_points(&mr, collect, &pts), 1);
	assert_int_equal(pts.p[0].index, 5);
	assert_true(pts.p[0].value == 1);
	assert_false(pts.p[0].time_valid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integrity_points),
		cmocka_unit_test(test_read_range_and_clear_restart),
		cmocka_unit_test(test_unknown_object_iin),
		cmocka_unit_test(test_events_with_time_and_confirm),
		cmocka_unit_test(test_multi_fragment),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_control_status),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_relative_time),
		cmocka_unit_test(test_every_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
