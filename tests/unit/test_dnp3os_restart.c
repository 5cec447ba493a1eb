/* libs: dnp3app */
/*
 * COLD_RESTART and WARM_RESTART: the g52v2 answer, DEVICE_RESTART again,
 * and what each keeps: a warm restart the data and events, a cold one
 * nothing but the configuration (and the demo values of a demo).
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

#define ASSERT_RSP(...)	RSP_EQUAL(&r, __VA_ARGS__)

static struct outstation *
make(bool demo)
{
	struct outstation_params cfg;
	struct point_value v = { .analog = 99 };

	cfg_default(&cfg, 10);
	cfg.demo_values = demo;
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 1, &v,
	    DB_FLAG_ONLINE, T0), 0);
	/* The master has seen the restart and cleared IIN1.7. */
	REQ(os, &r, 10, 0xc0, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	ASSERT_RSP(0xc0, 0x81, 0x02, 0x00);
	/* An assigned class, to see whether it survives. */
	REQ(os, &r, 20, 0xc1, 0x16, 0x3c, 0x04, 0x06, 0x1e, 0x00, 0x06);
	ASSERT_RSP(0xc1, 0x81, 0x02, 0x00);
	return os;
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
test_warm_restart(void **state)
{
	(void)state;
	make(false);
	REQ(os, &r, 100, 0xc2, 0x0e);
	/* The answer still has the IIN of before. */
	ASSERT_RSP(0xc2, 0x81, 0x02, 0x00, 0x34, 0x02, 0x07, 0x01,
	    0x00, 0x00);
	assert_true(outstation_iin(os) & DNP3_IIN1_DEVICE_RESTART);
	/* A restarted device asks for the time again. */
	assert_true(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
	assert_true(outstation_iin(os) & DNP3_IIN1_NEED_TIME);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 1);
	assert_true(point(PT_ANALOG_INPUT, 1)->v.analog == 99);
	assert_int_equal(point(PT_ANALOG_INPUT, 1)->class, 3);
	/* Repeated: answered again, not restarted again. */
	REQ(os, &r, 200, 0xc3, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	REQ(os, &r, 300, 0xc3, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	assert_false(outstation_iin(os) & DNP3_IIN1_DEVICE_RESTART);
}

static void
test_cold_restart(void **state)
{
	(void)state;
	make(false);
	REQ(os, &r, 100, 0xc2, 0x0d);
	ASSERT_RSP(0xc2, 0x81, 0x02, 0x00, 0x34, 0x02, 0x07, 0x01,
	    0x00, 0x00);
	assert_int_equal(outstation_iin(os), DNP3_IIN1_DEVICE_RESTART |
	    DNP3_IIN1_NEED_TIME);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	for (int t = 0; t < PT_COUNT; t++) {
		assert_int_equal(point(t, 4)->flags, DB_FLAG_RESTART);
		assert_int_equal(point(t, 4)->class, 1);
	}
	assert_true(point(PT_ANALOG_INPUT, 1)->v.analog == 0);
	/* Objects with a restart: IIN2.2, nothing restarted. */
	REQ(os, &r, 200, 0xc3, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	REQ(os, &r, 300, 0xc4, 0x0d, 0x3c, 0x01, 0x06);
	ASSERT_RSP(0xc4, 0x81, 0x10, 0x04);
}

static void
test_cold_restart_of_a_demo(void **state)
{
	(void)state;
	make(true);
	outstation_set_time(os, 0, T0 + 1000000);
	REQ(os, &r, 100, 0xc2, 0x0d);
	assert_int_equal(r.len, 10);
	assert_true(point(PT_ANALOG_INPUT, 1)->v.analog == 1.5);
	assert_int_equal(point(PT_ANALOG_INPUT, 1)->flags, DB_FLAG_ONLINE);
	assert_int_equal(point(PT_ANALOG_INPUT, 1)->time_ms, T0 + 1000100);
	assert_int_equal(point(PT_ANALOG_INPUT, 1)->class, 1);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_warm_restart, teardown),
		cmocka_unit_test_teardown(test_cold_restart, teardown),
		cmocka_unit_test_teardown(test_cold_restart_of_a_demo,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
