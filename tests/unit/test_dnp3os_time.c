/* libs: dnp3app */
/*
 * Time synchronisation: DELAY_MEASURE, WRITE g50v1 (non-LAN),
 * RECORD_CURRENT_TIME + WRITE g50v3 (LAN). The clock is observed through
 * the time a freeze stamps on a frozen counter.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

#define ASSERT_RSP(...) do {						\
	const uint8_t want_[] = { __VA_ARGS__ };			\
	assert_int_equal(r.len, sizeof(want_));				\
	assert_memory_equal(r.b, want_, sizeof(want_));		\
} while (0)

/* T0 + 5 as 48-bit DNP3 time. */
#define T5	0x05, 0x68, 0xe5, 0xcf, 0x8b, 0x01

static int
setup(void **state)
{
	struct outstation_config cfg;
	(void)state;
	cfg_default(&cfg, 10);
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
	ASSERT_RSP(0xc1, 0x81, 0x80, 0x00, 0x34, 0x02, 0x07, 0x01,
	    0x00, 0x00);
}

static void
test_write_time(void **state)
{
	(void)state;
	assert_int_equal(clock_at(700, 1), 700);	/* not set yet */
	REQ(os, &r, 1000, 0xc2, 0x02, 0x32, 0x01, 0x07, 0x01, T5);
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x00);
	assert_int_equal(clock_at(3000, 3), T0 + 5 + 2000);
}

static void
test_lan_procedure(void **state)
{
	(void)state;
	/* g50v3 without a record first: refused. */
	REQ(os, &r, 100, 0xc1, 0x02, 0x32, 0x03, 0x07, 0x01, T5);
	ASSERT_RSP(0xc1, 0x81, 0x80, 0x04);
	REQ(os, &r, 200, 0xc2, 0x18);
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x00);
	/* The master's time at the record was T0 + 5; it arrives later. */
	REQ(os, &r, 900, 0xc3, 0x02, 0x32, 0x03, 0x07, 0x01, T5);
	ASSERT_RSP(0xc3, 0x81, 0x80, 0x00);
	assert_int_equal(clock_at(1200, 4), T0 + 5 + 1000);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
