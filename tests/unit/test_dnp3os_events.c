/* libs: dnp3app */
/*
 * Event buffers: bounded rings that keep the newest, oldest-first reads
 * across types, removal only by confirm; and events as the outstation
 * makes them from point updates (change, deadband, overflow -> IIN2.3).
 */
#include "test_dnp3os_helpers.h"

#include <stdlib.h>

#include "dnp3/outstation/event_buffer.h"

static struct point_params pcfg[PT_COUNT];
static struct event_buffers eb;
static void *mem;

static int
setup(void **state)
{
	(void)state;
	memset(pcfg, 0, sizeof(pcfg));
	for (int t = 0; t < PT_COUNT; t++)
		pcfg[t].event_buffer = 3;
	size_t n = event_size(pcfg);
	mem = aligned_alloc(16, n);
	assert_non_null(mem);
	/* event_init leaves the slots as they are: every test here runs
	   over slots full of garbage */
	memset(mem, 0xA5, n);
	assert_int_equal(event_init(&eb, mem, n, pcfg), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static void
add(enum point_type t, uint32_t index, uint8_t class, double value)
{
	struct db_point p;

	memset(&p, 0, sizeof(p));
	p.class = class;
	p.flags = DB_FLAG_ONLINE;
	p.time_ms = (uint64_t)index * 1000;
	if (t == PT_ANALOG_INPUT)
		p.v.analog = value;
	else
		p.v.counter = (uint32_t)value;
	event_add(&eb, t, index, &p, NULL);
}

static void
test_ring_keeps_newest(void **state)
{
	struct event_filter f = { .class_mask = 0x02, .type = PT_COUNT };
	struct event_iter it;
	enum point_type t;
	const uint8_t *o;
	(void)state;
	for (uint32_t i = 0; i < 5; i++)
		add(PT_ANALOG_INPUT, i, 1, i * 2.0);
	assert_int_equal(event_count(&eb, PT_ANALOG_INPUT), 3);
	assert_true(eb.overflow);
	event_iter_init(&it);
	for (uint32_t i = 2; i < 5; i++) {
		struct event *e = event_iter_peek(&eb, &it, &f, &t, &o);
		assert_non_null(e);
		assert_int_equal(t, PT_ANALOG_INPUT);
		assert_int_equal(e->index, i);
		assert_true(e->v.analog == i * 2.0);
		event_mark(&eb, &it, t, 0);
	}
	assert_null(event_iter_peek(&eb, &it, &f, &t, &o));
}

static void
test_oldest_first_across_types_and_classes(void **state)
{
	struct event_filter f = { .class_mask = 0x02 | 0x08,
	    .type = PT_COUNT };
	struct event_iter it;
	enum point_type t;
	const uint8_t *o;
	(void)state;
	add(PT_COUNTER, 0, 1, 5);
	add(PT_ANALOG_INPUT, 1, 3, 1);
	add(PT_ANALOG_INPUT, 2, 2, 1);	/* class 2: not selected */
	add(PT_COUNTER, 3, 3, 6);
	const struct { enum point_type t; uint32_t index; } want[] = {
		{ PT_COUNTER, 0 }, { PT_ANALOG_INPUT, 1 }, { PT_COUNTER, 3 },
	};
	event_iter_init(&it);
	for (size_t i = 0; i < 3; i++) {
		struct event *e = event_iter_peek(&eb, &it, &f, &t, &o);
		assert_non_null(e);
		assert_int_equal(t, want[i].t);
		assert_int_equal(e->index, want[i].index);
		event_mark(&eb, &it, t, 7);
	}
	assert_null(event_iter_peek(&eb, &it, &f, &t, &o));
	assert_int_equal(event_waiting_class(&eb, 1), 0);
	assert_int_equal(event_waiting_class(&eb, 2), 1);
	assert_int_equal(event_waiting_class(&eb, 3), 0);
	/* A type filter takes that type's events of any class. */
	struct event_filter ft = { .class_mask = 0, .type = PT_ANALOG_INPUT };
	event_iter_init(&it);
	struct event *e = event_iter_peek(&eb, &it, &ft, &t, &o);
	assert_non_null(e);
	assert_int_equal(e->index, 2);
}

static void
test_only_confirm_removes(void **state)
{
	struct event_filter f = { .class_mask = 0x02, .type = PT_COUNT };
	struct event_iter it;
	enum point_type t;
	const uint8_t *o;
	(void)state;
	add(PT_COUNTER, 0, 1, 1);
	add(PT_COUNTER, 1, 1, 2);
	add(PT_COUNTER, 2, 1, 3);
	event_iter_init(&it);
	assert_non_null(event_iter_peek(&eb, &it, &f, &t, &o));
	event_mark(&eb, &it, t, 4);
	assert_non_null(event_iter_peek(&eb, &it, &f, &t, &o));
	event_mark(&eb, &it, t, 4);
	/* A confirm of another sequence removes nothing. */
	assert_int_equal(event_confirm(&eb, 5), 0);
	assert_int_equal(event_count(&eb, PT_COUNTER), 3);
	event_unmark(&eb, false);
	assert_int_equal(event_waiting_class(&eb, 1), 3);
	event_iter_init(&it);
	assert_non_null(event_iter_peek(&eb, &it, &f, &t, &o));
	event_mark(&eb, &it, t, 4);
	assert_non_null(event_iter_peek(&eb, &it, &f, &t, &o));
	event_mark(&eb, &it, t, 4);
	assert_int_equal(event_confirm(&eb, 4), 2);
	assert_int_equal(event_count(&eb, PT_COUNTER), 1);
	event_iter_init(&it);
	struct event *e = event_iter_peek(&eb, &it, &f, &t, &o);
	assert_non_null(e);
	assert_int_equal(e->index, 2);
	assert_int_equal(e->v.counter, 3);
}

static void
test_class_zero_makes_no_event(void **state)
{
	(void)state;
	add(PT_COUNTER, 0, 0, 1);
	assert_int_equal(event_count(&eb, PT_COUNTER), 0);
	assert_false(eb.overflow);
}

/* Through the outstation: updates make events, the read shows them. */
static struct rsp r;

static void
test_update_makes_event_and_iin(void **state)
{
	struct outstation_params cfg;
	struct point_value v = { .analog = 12.0 };
	struct hdr h[8];
	uint32_t index;
	(void)state;
	cfg_default(&cfg, 10);
	cfg.db[PT_ANALOG_INPUT].deadband = 1.0;
	cfg.db[PT_COUNTER].class = 2;
	struct outstation *os = outstation_new(&cfg);
	assert_non_null(os);
	outstation_load_demo_values(os, T0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 4, &v,
	    DB_FLAG_ONLINE, T0 + 1), 0);	/* 6.0 -> 12.0 */
	v.analog = 12.9;	/* within the deadband of 1.0: no event */
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 4, &v,
	    DB_FLAG_ONLINE, T0 + 2), 0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 1);
	v.counter = 7;
	assert_int_equal(outstation_update(os, PT_COUNTER, 2, &v,
	    DB_FLAG_ONLINE, T0 + 3), 0);
	assert_int_equal(outstation_update(os, PT_COUNTER, 10, &v,
	    DB_FLAG_ONLINE, T0 + 3), -1);
	uint16_t iin = outstation_iin(os);
	assert_true(iin & DNP3_IIN1_CLASS1_EVENTS);
	assert_true(iin & DNP3_IIN1_CLASS2_EVENTS);
	assert_false(iin & DNP3_IIN1_CLASS3_EVENTS);

	/* Class 1 read: the analog event, g32v1, flags ONLINE, value 12. */
	REQ(os, &r, 100, 0xc1, 0x01, 0x3c, 0x02, 0x06);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.b[0], 0xe1);	/* FIR FIN CON seq 1 */
	assert_int_equal(rsp_headers(&r, h, 8), 1);
	assert_int_equal(h[0].group, 32);
	assert_int_equal(h[0].variation, 1);
	assert_int_equal(h[0].qualifier, 0x28);
	assert_int_equal(h[0].count, 1);
	union dnp3_obj o = hdr_obj(&h[0], 0, &index);
	assert_int_equal(index, 4);
	assert_true(o.point.value == 12.0);
	assert_int_equal(o.point.flags, DB_FLAG_ONLINE);
	/* Class 1 now all sent; class 2 still waiting. */
	assert_false(rsp_iin(&r) & DNP3_IIN1_CLASS1_EVENTS);
	assert_true(rsp_iin(&r) & DNP3_IIN1_CLASS2_EVENTS);
	outstation_free(os);
}

static void
test_overflow_sets_iin23(void **state)
{
	struct outstation_params cfg;
	struct point_value v;
	struct hdr h[8];
	uint32_t index;
	(void)state;
	cfg_default(&cfg, 10);
	cfg.db[PT_BINARY_INPUT].event_buffer = 4;
	struct outstation *os = outstation_new(&cfg);
	assert_non_null(os);
	for (uint32_t i = 0; i < 6; i++) {
		v.binary = true;
		assert_int_equal(outstation_update(os, PT_BINARY_INPUT, i, &v,
		    DB_FLAG_ONLINE, T0 + i), 0);
	}
	assert_int_equal(outstation_events_pending(os, PT_BINARY_INPUT), 4);
	assert_true(outstation_iin(os) & DNP3_IIN2_EVENT_BUFFER_OVERFLOW);
	REQ(os, &r, 100, 0xc2, 0x01, 0x02, 0x00, 0x06);	/* g2v0 all */
	assert_true(rsp_iin(&r) & DNP3_IIN2_EVENT_BUFFER_OVERFLOW);
	assert_int_equal(rsp_headers(&r, h, 8), 1);
	assert_int_equal(h[0].group, 2);
	assert_int_equal(h[0].variation, 2);	/* default: with time */
	assert_int_equal(h[0].count, 4);
	/* The newest four survive: indexes 2..5, oldest first. */
	for (uint32_t i = 0; i < 4; i++) {
		union dnp3_obj o = hdr_obj(&h[0], i, &index);
		assert_int_equal(index, i + 2);
		assert_int_equal(o.point.time_ms, T0 + i + 2);
		assert_true(o.point.value == 1);
	}
	/* Once confirmed, the overflow is over. */
	confirm(os, &r, 2, 200);
	assert_int_equal(r.len, 0);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_INPUT), 0);
	assert_false(outstation_iin(os) & DNP3_IIN2_EVENT_BUFFER_OVERFLOW);
	outstation_free(os);
}

/* Waiting events counted the slow way, from the rings themselves. */
static void
assert_counts_match_rings(void)
{
	uint32_t cls[4] = { 0 };

	for (int t = 0; t < PT_COUNT; t++) {
		const struct event_ring *rg = &eb.ring[t];

		for (uint32_t i = 0; i < rg->count; i++) {
			const struct event *e =
			    &rg->ev[(rg->head + i) % rg->cap];

			if (e->mark == EVENT_UNMARKED) {
				cls[e->class]++;
			}
		}
	}
	for (uint8_t c = 1; c <= 3; c++)
		assert_int_equal(event_waiting_class(&eb, c), cls[c]);
}

/*
 * The running per-class and per-type counts against a scan, through a
 * fixed pseudo-random mix of adds (with overflow), marks, confirms,
 * unmarks and clears.
 */
static void
test_running_counts(void **state)
{
	struct event_filter f = { .class_mask = 0x0e, .type = PT_COUNT };
	struct event_iter it;
	enum point_type t;
	const uint8_t *oct;
	uint32_t x = 12345, total = 0;

	(void)state;
	for (int step = 0; step < 3000; step++) {
		x = x * 1103515245u + 12345u;
		switch ((x >> 16) % 7) {
		case 0:
		case 1:
		case 2:
			add((x >> 8) % 2 ? PT_ANALOG_INPUT : PT_COUNTER,
			    (x >> 4) % 10, (uint8_t)(1 + (x >> 12) % 3), 1);
			break;
		case 3:
			event_iter_init(&it);
			f.class_mask = (uint8_t)(2u << ((x >> 10) % 3));
			if (event_iter_peek(&eb, &it, &f, &t, &oct) != NULL)
				event_mark(&eb, &it, t, (uint8_t)((x >> 6) %
				    4 == 0 ? EVENT_MARK_UNS | 1 : 1));
			break;
		case 4:
			total += event_confirm(&eb, (x >> 6) % 2 ? 1 :
			    EVENT_MARK_UNS | 1);
			break;
		case 5:
			event_unmark(&eb, (x >> 6) % 2);
			break;
		default:
			if ((x >> 6) % 50 == 0)
				event_clear(&eb);
			else {
				event_unmark(&eb, false);
				event_unmark(&eb, true);
			}
			break;
		}
		assert_counts_match_rings();
	}
	assert_true(total > 0);		/* confirms did remove events */
	event_clear(&eb);
	for (uint8_t c = 1; c <= 3; c++)
		assert_int_equal(event_waiting_class(&eb, c), 0);
	assert_false(eb.overflow);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ring_keeps_newest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_oldest_first_across_types_and_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_confirm_removes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_class_zero_makes_no_event,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_running_counts, setup,
		    teardown),
		cmocka_unit_test(test_update_makes_event_and_iin),
		cmocka_unit_test(test_overflow_sets_iin23),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
