/* libs: dnp3app */
/*
 * Counter freezes (IMMED_FREEZE, FREEZE_CLEAR, their _NR forms) and
 * ASSIGN_CLASS, as a master sees them: null responses, frozen values and
 * their events, classes that decide which events a class read gets.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

#define ASSERT_RSP(...)	RSP_EQUAL(&r, __VA_ARGS__)

static int
setup(void **state)
{
	struct outstation_params cfg;
	(void)state;
	cfg_default(&cfg, 10);
	cfg.db[PT_FROZEN_COUNTER].count = 5;	/* counters 5..9: none */
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	outstation_set_time(os, 0, T0 + 50000);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

static const struct db_point *
point(enum point_type t, uint32_t index)
{
	return &outstation_db(os)->points[t][index];
}

static void
set_counter(uint32_t index, uint32_t value)
{
	update_point(os, PT_COUNTER, index,
	    (struct point_value){ .counter = value }, T0);
}

static void
test_immediate_freeze_range(void **state)
{
	(void)state;
	set_counter(1, 111);
	set_counter(2, 222);
	set_counter(3, 333);
	/* g20v0 1..2 */
	REQ(os, &r, 100, 0xc1, 0x07, 0x14, 0x00, 0x00, 0x01, 0x02);
	ASSERT_RSP(0xc1, 0x81, 0x82, 0x00);
	assert_int_equal(point(PT_FROZEN_COUNTER, 1)->v.counter, 111);
	assert_int_equal(point(PT_FROZEN_COUNTER, 2)->v.counter, 222);
	assert_int_equal(point(PT_FROZEN_COUNTER, 3)->v.counter, 30);
	assert_int_equal(point(PT_FROZEN_COUNTER, 1)->time_ms, T0 + 50100);
	assert_int_equal(point(PT_COUNTER, 1)->v.counter, 111);
	assert_int_equal(outstation_events_pending(os, PT_FROZEN_COUNTER), 2);
	/* The frozen values as a master reads them: g21v1 1..2 */
	REQ(os, &r, 200, 0xc2, 0x01, 0x15, 0x01, 0x00, 0x01, 0x02);
	ASSERT_RSP(0xc2, 0x81, 0x82, 0x00, 0x15, 0x01, 0x00, 0x01, 0x02,
	    0x01, 0x6f, 0x00, 0x00, 0x00, 0x01, 0xde, 0x00, 0x00, 0x00);
}

static void
test_freeze_clear_all_no_ack(void **state)
{
	(void)state;
	set_counter(4, 444);
	set_counter(9, 999);	/* no frozen counter 9: only cleared */
	REQ(os, &r, 100, 0xc1, 0x0a, 0x14, 0x00, 0x06);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(point(PT_FROZEN_COUNTER, 4)->v.counter, 444);
	for (uint32_t i = 0; i < 10; i++)
		assert_int_equal(point(PT_COUNTER, i)->v.counter, 0);
}

/*
 * IMMED_FREEZE_NR (8): done, no response; FREEZE_CLEAR (9): answered;
 * the frozen counters' changes are read as g23 events.
 */
static void
test_freeze_no_ack_and_clear_events(void **state)
{
	struct hdr h[4];
	int n;

	(void)state;
	set_counter(4, 444);
	REQ(os, &r, 100, 0xc1, 0x08, 0x14, 0x00, 0x00, 0x04, 0x04);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(point(PT_FROZEN_COUNTER, 4)->v.counter, 444);
	set_counter(4, 445);
	REQ(os, &r, 200, 0xc2, 0x09, 0x14, 0x00, 0x00, 0x04, 0x04);
	assert_int_equal(r.len, 4);
	assert_int_equal(r.b[0], 0xc2);
	assert_int_equal(point(PT_FROZEN_COUNTER, 4)->v.counter, 445);
	assert_int_equal(point(PT_COUNTER, 4)->v.counter, 0);
	/* Two frozen counter events: 444, then 445. */
	REQ(os, &r, 300, 0xc3, 0x01, 0x17, 0x00, 0x06);
	n = rsp_headers(&r, h, 4);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].group, 23);
	assert_int_equal(h[0].count, 2);
	assert_int_equal(h[0].first, 4);
	assert_int_equal(h[0].last, 4);
}

static void
test_freeze_errors(void **state)
{
	(void)state;
	/* Counter 10 does not exist; g30 cannot be frozen here. */
	REQ(os, &r, 100, 0xc1, 0x07, 0x14, 0x00, 0x00, 0x09, 0x0a);
	ASSERT_RSP(0xc1, 0x81, 0x80, 0x04);
	REQ(os, &r, 100, 0xc2, 0x07, 0x1e, 0x00, 0x06);
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x02);
}

static void
test_assign_class(void **state)
{
	struct point_value v = { .analog = 500 };
	(void)state;
	/* Analog inputs 0..4 to class 2, all binary inputs to none. */
	REQ(os, &r, 100, 0xc1, 0x16, 0x3c, 0x03, 0x06,
	    0x1e, 0x00, 0x00, 0x00, 0x04, 0x3c, 0x01, 0x06, 0x01, 0x00, 0x06);
	ASSERT_RSP(0xc1, 0x81, 0x80, 0x00);
	assert_int_equal(point(PT_ANALOG_INPUT, 4)->class, 2);
	assert_int_equal(point(PT_ANALOG_INPUT, 5)->class, 1);
	assert_int_equal(point(PT_BINARY_INPUT, 9)->class, 0);
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 3, &v,
	    DB_FLAG_ONLINE, T0), 0);
	v.binary = 1;
	assert_int_equal(outstation_update(os, PT_BINARY_INPUT, 0, &v,
	    DB_FLAG_ONLINE, T0), 0);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_INPUT), 0);
	REQ(os, &r, 200, 0xc2, 0x01, 0x3c, 0x02, 0x06);
	ASSERT_RSP(0xc2, 0x81, 0x84, 0x00);	/* class 2 waiting */
	/* Objects before any class header: IIN2.2. */
	REQ(os, &r, 300, 0xc3, 0x16, 0x1e, 0x00, 0x06);
	ASSERT_RSP(0xc3, 0x81, 0x84, 0x04);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_immediate_freeze_range,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_freeze_clear_all_no_ack,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_freeze_no_ack_and_clear_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_freeze_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_assign_class,
		    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
