/* libs: dnp3app */
/*
 * Event variations as the master sees them: relative-time binary events
 * after a CTO, a variation asked for by the read, the configured event
 * variation, octet string events, and count limits on event reads.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

#define ASSERT_RSP(...)	RSP_EQUAL(&r, __VA_ARGS__)

static struct outstation *
make(enum point_type t, uint8_t event_var)
{
	struct outstation_params cfg;

	cfg_default(&cfg, 10);
	cfg.db[t].event_variation = event_var;
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	return os;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

static void
update_binary(uint32_t index, bool on, uint64_t time_ms)
{
	update_point(os, PT_BINARY_INPUT, index,
	    (struct point_value){ .binary = on }, time_ms);
}

static void
test_relative_time_after_cto(void **state)
{
	(void)state;
	make(PT_BINARY_INPUT, 3);
	update_binary(0, true, T0 + 100);
	update_binary(1, false, T0 + 400);
	update_binary(2, true, T0 + 100000);	/* too far: a new CTO */
	REQ(os, &r, 1, 0xc1, 0x01, 0x3c, 0x02, 0x06);
	ASSERT_RSP(0xe1, 0x81, 0x80, 0x00,
	    0x33, 0x01, 0x07, 0x01, 0x64, 0x68, 0xe5, 0xcf, 0x8b, 0x01,
	    0x02, 0x03, 0x28, 0x02, 0x00,
	    0x00, 0x00, 0x81, 0x00, 0x00,
	    0x01, 0x00, 0x01, 0x2c, 0x01,
	    0x33, 0x01, 0x07, 0x01, 0xa0, 0xee, 0xe6, 0xcf, 0x8b, 0x01,
	    0x02, 0x03, 0x28, 0x01, 0x00,
	    0x02, 0x00, 0x81, 0x00, 0x00);
}

static void
test_double_bit_relative_time(void **state)
{
	struct point_value v = { .dbit = DBIT_INTERMEDIATE };
	(void)state;
	make(PT_DOUBLE_BIT_INPUT, 3);
	assert_int_equal(outstation_update(os, PT_DOUBLE_BIT_INPUT, 5, &v,
	    DB_FLAG_ONLINE, T0 + 100), 0);
	v.dbit = DBIT_INDETERMINATE;
	assert_int_equal(outstation_update(os, PT_DOUBLE_BIT_INPUT, 6, &v,
	    DB_FLAG_ONLINE, T0 + 101), 0);
	/* State in bits 6-7 of the flags, then 16-bit ms after the CTO. */
	REQ(os, &r, 1, 0xc1, 0x01, 0x04, 0x00, 0x06);
	ASSERT_RSP(0xe1, 0x81, 0x80, 0x00,
	    0x33, 0x01, 0x07, 0x01, 0x64, 0x68, 0xe5, 0xcf, 0x8b, 0x01,
	    0x04, 0x03, 0x28, 0x02, 0x00,
	    0x05, 0x00, 0x01, 0x00, 0x00,
	    0x06, 0x00, 0xc1, 0x01, 0x00);
}

static void
test_variation_asked_by_read(void **state)
{
	struct point_value v = { .analog = 2.0 };
	(void)state;
	make(PT_ANALOG_INPUT, 0);
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 7, &v,
	    DB_FLAG_ONLINE | DB_FLAG_LOCAL_FORCED, T0 + 100), 0);
	/* g32v7: float with time. */
	REQ(os, &r, 1, 0xc2, 0x01, 0x20, 0x07, 0x06);
	ASSERT_RSP(0xe2, 0x81, 0x80, 0x00, 0x20, 0x07, 0x28, 0x01, 0x00,
	    0x07, 0x00, 0x11, 0x00, 0x00, 0x00, 0x40,
	    0x64, 0x68, 0xe5, 0xcf, 0x8b, 0x01);
	/* Repeated with g32v0: the configured default, g32v1. */
	REQ(os, &r, 1, 0xc3, 0x01, 0x20, 0x00, 0x06);
	ASSERT_RSP(0xe3, 0x81, 0x80, 0x00, 0x20, 0x01, 0x28, 0x01, 0x00,
	    0x07, 0x00, 0x11, 0x02, 0x00, 0x00, 0x00);
	/* Other groups' events are not in a g32 read. */
	update_binary(0, true, T0 + 200);
	REQ(os, &r, 1, 0xc4, 0x01, 0x20, 0x00, 0x06);
	assert_int_equal(r.b[4], 0x20);
	assert_int_equal(rsp_iin(&r), DNP3_IIN1_DEVICE_RESTART |
	    DNP3_IIN1_CLASS1_EVENTS);
}

static void
test_configured_event_variation(void **state)
{
	struct point_value v = { .analog = -1.25 };
	(void)state;
	make(PT_ANALOG_OUTPUT, 8);	/* g42v8: double with time */
	assert_int_equal(outstation_update(os, PT_ANALOG_OUTPUT, 1, &v,
	    DB_FLAG_ONLINE, T0 + 100000), 0);
	REQ(os, &r, 1, 0xc5, 0x01, 0x3c, 0x02, 0x06);
	ASSERT_RSP(0xe5, 0x81, 0x80, 0x00, 0x2a, 0x08, 0x28, 0x01, 0x00,
	    0x01, 0x00, 0x01,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf4, 0xbf,
	    0xa0, 0xee, 0xe6, 0xcf, 0x8b, 0x01);
}

static void
test_octet_string_event(void **state)
{
	struct point_value v = { .octets = (const uint8_t *)"ABCDE",
	    .octet_len = 5 };
	(void)state;
	make(PT_OCTET_STRING, 0);
	assert_int_equal(outstation_update(os, PT_OCTET_STRING, 3, &v, 0,
	    T0), 0);
	v.octets = (const uint8_t *)"xy";
	v.octet_len = 2;
	assert_int_equal(outstation_update(os, PT_OCTET_STRING, 3, &v, 0,
	    T0), 0);
	/* Each event keeps its own bytes; the variation is the length. */
	REQ(os, &r, 1, 0xc6, 0x01, 0x6f, 0x00, 0x06);
	ASSERT_RSP(0xe6, 0x81, 0x80, 0x00,
	    0x6f, 0x05, 0x28, 0x01, 0x00, 0x03, 0x00, 'A', 'B', 'C', 'D', 'E',
	    0x6f, 0x02, 0x28, 0x01, 0x00, 0x03, 0x00, 'x', 'y');
}

static void
test_event_count_limits(void **state)
{
	struct point_value v;
	(void)state;
	make(PT_COUNTER, 0);
	for (uint32_t i = 0; i < 3; i++) {
		v.counter = 500 + i;
		assert_int_equal(outstation_update(os, PT_COUNTER, i, &v,
		    DB_FLAG_ONLINE, T0), 0);
	}
	/* Class 1, at most 2 (0x07): the two oldest; one still waits. */
	REQ(os, &r, 1, 0xc7, 0x01, 0x3c, 0x02, 0x07, 0x02);
	ASSERT_RSP(0xe7, 0x81, 0x82, 0x00, 0x16, 0x01, 0x28, 0x02, 0x00,
	    0x00, 0x00, 0x01, 0xf4, 0x01, 0x00, 0x00,
	    0x01, 0x00, 0x01, 0xf5, 0x01, 0x00, 0x00);
	confirm(os, &r, 7, 2);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), 1);
	/* g22v2 with a 16-bit count of 1 (0x08): the third. */
	REQ(os, &r, 1, 0xc8, 0x01, 0x16, 0x02, 0x08, 0x01, 0x00);
	ASSERT_RSP(0xe8, 0x81, 0x80, 0x00, 0x16, 0x02, 0x28, 0x01, 0x00,
	    0x02, 0x00, 0x01, 0xf6, 0x01);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_relative_time_after_cto,
		    teardown),
		cmocka_unit_test_teardown(test_double_bit_relative_time,
		    teardown),
		cmocka_unit_test_teardown(test_variation_asked_by_read,
		    teardown),
		cmocka_unit_test_teardown(test_configured_event_variation,
		    teardown),
		cmocka_unit_test_teardown(test_octet_string_event, teardown),
		cmocka_unit_test_teardown(test_event_count_limits, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
