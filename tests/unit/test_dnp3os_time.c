/* libs: dnp3app */
/*
 * Time synchronisation: DELAY_MEASURE, WRITE g50v1 (non-LAN),
 * RECORD_CURRENT_TIME + WRITE g50v3 (LAN), IIN1.4 NEED_TIME (at start,
 * cleared by a sync, back after need_time_ms), and the time quality of
 * relative-time events (CTO g51v2 before a sync, g51v1 after). The clock
 * is observed through the time a freeze stamps on a frozen counter.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

#define ASSERT_RSP(...)	RSP_EQUAL(&r, __VA_ARGS__)

/* T0 + 5 as 48-bit DNP3 time. */
#define T5	0x05, 0x68, 0xe5, 0xcf, 0x8b, 0x01

static uint32_t need_time_ms;

static int
setup(void **state)
{
	struct outstation_params cfg;
	(void)state;
	cfg_default(&cfg, 10);
	cfg.need_time_ms = need_time_ms;
	cfg.db[PT_BINARY_INPUT].event_variation = 3;	/* relative time */
	os = outstation_new(&cfg);
	assert_non_null(os);
	outstation_load_demo_values(os, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

/* The outstation's clock at now: what a freeze stamps. */
static uint64_t
clock_at(uint64_t now, uint8_t seq)
{
	REQ(os, &r, now, (uint8_t)(0xc0 | seq), 0x07, 0x14, 0x00, 0x00,
	    0x00, 0x00);
	assert_int_equal(r.len, 4);
	return outstation_db(os)->points[PT_FROZEN_COUNTER][0].time_ms;
}

static void
test_delay_measure(void **state)
{
	(void)state;
	REQ(os, &r, 100, 0xc1, 0x17);
	/* Restart and need-time; the delay: answered within the call. */
	ASSERT_RSP(0xc1, 0x81, 0x90, 0x00, 0x34, 0x02, 0x07, 0x01,
	    0x00, 0x00);
}

static void
test_write_time(void **state)
{
	(void)state;
	assert_int_equal(clock_at(700, 1), 700);	/* not set yet */
	assert_true(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
	REQ(os, &r, 1000, 0xc2, 0x02, 0x32, 0x01, 0x07, 0x01, T5);
	/* The write's own answer no longer asks for the time. */
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x00);
	assert_false(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
	assert_int_equal(clock_at(3000, 3), T0 + 5 + 2000);
	assert_int_equal(outstation_time(os, 4000), T0 + 5 + 3000);
}

static void
test_lan_procedure(void **state)
{
	(void)state;
	/* g50v3 without a record first: refused. */
	REQ(os, &r, 100, 0xc1, 0x02, 0x32, 0x03, 0x07, 0x01, T5);
	ASSERT_RSP(0xc1, 0x81, 0x90, 0x04);
	REQ(os, &r, 200, 0xc2, 0x18);
	ASSERT_RSP(0xc2, 0x81, 0x90, 0x00);
	/* The master's time at the record was T0 + 5; it arrives later. */
	REQ(os, &r, 900, 0xc3, 0x02, 0x32, 0x03, 0x07, 0x01, T5);
	ASSERT_RSP(0xc3, 0x81, 0x80, 0x00);
	/* A record is good for one write. */
	REQ(os, &r, 950, 0xc4, 0x02, 0x32, 0x03, 0x07, 0x01, T5);
	ASSERT_RSP(0xc4, 0x81, 0x80, 0x04);
	assert_int_equal(clock_at(1200, 5), T0 + 5 + 1000);
}

/* need_time_ms after the last sync, IIN1.4 is back, by the timer. */
static void
test_need_time_again(void **state)
{
	struct os_output out;

	(void)state;
	/* Not synchronised yet: no need-time timer. */
	assert_int_equal(outstation_deadline(os), 0);
	REQ(os, &r, 1000, 0xc2, 0x02, 0x32, 0x01, 0x07, 0x01, T5);
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x00);
	assert_int_equal(r.deadline, 61000);
	assert_int_equal(outstation_deadline(os), 61000);
	outstation_tick(os, 60999, &out);
	assert_int_equal(out.len, 0);
	assert_false(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
	outstation_tick(os, 61000, &out);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.deadline_ms, 0);
	assert_true(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
	REQ(os, &r, 62000, 0xc3, 0x17);
	assert_int_equal(r.b[2], 0x90);
	/* Synchronised again: the next interval counts from here. */
	REQ(os, &r, 70000, 0xc4, 0x02, 0x32, 0x01, 0x07, 0x01, T5);
	ASSERT_RSP(0xc4, 0x81, 0x80, 0x00);
	assert_int_equal(outstation_deadline(os), 130000);
}

/* need_time = 0: once synchronised, never asked again. */
static void
test_need_time_never_again(void **state)
{
	(void)state;
	REQ(os, &r, 1000, 0xc2, 0x02, 0x32, 0x01, 0x07, 0x01, T5);
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x00);
	assert_int_equal(r.deadline, 0);
	assert_int_equal(outstation_deadline(os), 0);
}

/* A bad time object: IIN2.2, still not synchronised. */
static void
test_bad_time_write(void **state)
{
	(void)state;
	/* Two g50v1 objects where one is allowed. */
	REQ(os, &r, 100, 0xc1, 0x02, 0x32, 0x01, 0x07, 0x02, T5, T5);
	ASSERT_RSP(0xc1, 0x81, 0x90, 0x04);
	assert_true(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
}

static void
update_binary(uint32_t index, bool on, uint64_t time_ms)
{
	update_point(os, PT_BINARY_INPUT, index,
	    (struct point_value){ .binary = on }, time_ms);
}

/*
 * g2v3 events: one made before the sync follows a CTO g51v2
 * (unsynchronised), one made after it a g51v1, although their times
 * would share one CTO.
 */
static void
test_event_time_quality(void **state)
{
	(void)state;
	REQ(os, &r, 10, 0xc0, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	update_binary(0, true, T0 + 100);
	REQ(os, &r, 20, 0xc1, 0x02, 0x32, 0x01, 0x07, 0x01, T5);
	ASSERT_RSP(0xc1, 0x81, 0x02, 0x00);
	update_binary(2, true, T0 + 400);
	REQ(os, &r, 30, 0xc2, 0x01, 0x3c, 0x02, 0x06);
	ASSERT_RSP(0xe2, 0x81, 0x00, 0x00,
	    0x33, 0x02, 0x07, 0x01, 0x64, 0x68, 0xe5, 0xcf, 0x8b, 0x01,
	    0x02, 0x03, 0x28, 0x01, 0x00,
	    0x00, 0x00, 0x81, 0x00, 0x00,
	    0x33, 0x01, 0x07, 0x01, 0x90, 0x69, 0xe5, 0xcf, 0x8b, 0x01,
	    0x02, 0x03, 0x28, 0x01, 0x00,
	    0x02, 0x00, 0x81, 0x00, 0x00);
}

static int
setup_interval(void **state)
{
	need_time_ms = 60000;
	return setup(state);
}

static int
setup_never(void **state)
{
	need_time_ms = 0;
	return setup(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delay_measure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lan_procedure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_need_time_again,
		    setup_interval, teardown),
		cmocka_unit_test_setup_teardown(test_need_time_never_again,
		    setup_never, teardown),
		cmocka_unit_test_setup_teardown(test_bad_time_write,
		    setup_never, teardown),
		cmocka_unit_test_setup_teardown(test_event_time_quality,
		    setup_never, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
