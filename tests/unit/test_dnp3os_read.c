/* libs: dnp3app */
/*
 * READ: integrity poll of a database like the embedded default's, every
 * qualifier, variation 0 and configured defaults, packed variations, and
 * the IIN bits for unknown objects, bad ranges and unknown functions.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

static int
setup(void **state)
{
	struct outstation_params cfg;
	(void)state;
	cfg_default(&cfg, 10);
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	return 0;
}

static int
setup_demo(void **state)
{
	setup(state);
	outstation_load_demo_values(os, T0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

#define ASSERT_RSP(...)	RSP_EQUAL(&r, __VA_ARGS__)

static const struct { uint8_t group, variation; } static_defaults[] = {
	{ 1, 2 }, { 3, 2 }, { 10, 2 }, { 20, 1 }, { 21, 1 }, { 30, 1 },
	{ 40, 1 }, { 110, 0 },
};

/* Every type with its default variation, points 0..9, flags as given. */
static void
check_static(const struct hdr *h, uint8_t flags, uint8_t octet_len)
{
	uint32_t index;

	for (int t = 0; t < PT_COUNT; t++) {
		assert_int_equal(h[t].group, static_defaults[t].group);
		assert_int_equal(h[t].variation, t == PT_OCTET_STRING ?
		    octet_len : static_defaults[t].variation);
		assert_int_equal(h[t].qualifier, 0x00);
		assert_int_equal(h[t].first, 0);
		assert_int_equal(h[t].last, 9);
		if (t == PT_OCTET_STRING)
			continue;
		for (uint32_t i = 0; i < 10; i++) {
			union dnp3_obj o = hdr_obj(&h[t], i, &index);
			assert_int_equal(index, i);
			assert_int_equal(o.point.flags, flags);
		}
	}
}

static void
test_integrity_poll_before_update(void **state)
{
	struct hdr h[16];
	(void)state;
	REQ(os, &r, 1, 0xc0, 0x01, 0x3c, 0x02, 0x06, 0x3c, 0x03, 0x06,
	    0x3c, 0x04, 0x06, 0x3c, 0x01, 0x06);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.b[0], 0xc0);	/* FIR FIN, no events: no CON */
	assert_int_equal(rsp_iin(&r), DNP3_IIN1_DEVICE_RESTART);
	assert_int_equal(r.deadline, 0);
	assert_int_equal(rsp_headers(&r, h, 16), PT_COUNT);
	check_static(h, DB_FLAG_RESTART, 1);
}

static void
test_integrity_poll_events_first(void **state)
{
	struct point_value v = { .binary = false };
	struct hdr h[16];
	uint32_t index;
	(void)state;
	/* Binary input 3 goes 1 -> 0: one class 1 event. */
	assert_int_equal(outstation_update(os, PT_BINARY_INPUT, 3, &v,
	    DB_FLAG_ONLINE, T0 + 500), 0);
	REQ(os, &r, 1, 0xc5, 0x01, 0x3c, 0x02, 0x06, 0x3c, 0x03, 0x06,
	    0x3c, 0x04, 0x06, 0x3c, 0x01, 0x06);
	assert_int_equal(r.b[0], 0xe5);	/* FIR FIN CON seq 5 */
	assert_int_equal(rsp_headers(&r, h, 16), 1 + PT_COUNT);
	assert_int_equal(h[0].group, 2);
	assert_int_equal(h[0].variation, 2);
	assert_int_equal(h[0].count, 1);
	union dnp3_obj o = hdr_obj(&h[0], 0, &index);
	assert_int_equal(index, 3);
	assert_true(o.point.value == 0);
	assert_int_equal(o.point.time_ms, T0 + 500);
	check_static(h + 1, DB_FLAG_ONLINE, 3);
	/* Values as documented for the demo. */
	o = hdr_obj(&h[1 + PT_COUNTER], 7, &index);
	assert_true(o.point.value == 70);
	o = hdr_obj(&h[1 + PT_ANALOG_INPUT], 4, &index);
	assert_true(o.point.value == 6);
	o = hdr_obj(&h[1 + PT_OCTET_STRING], 9, &index);
	assert_int_equal(o.octets.len, 3);
	assert_memory_equal(o.octets.data, "os9", 3);
	assert_int_equal(r.deadline, 1 + 5000);
}

static void
test_qualifier_index8(void **state)
{
	(void)state;
	/* g30v1, 0x17: indexes 2 and 4 (3.0 and 6.0). */
	REQ(os, &r, 1, 0xc3, 0x01, 0x1e, 0x01, 0x17, 0x02, 0x02, 0x04);
	ASSERT_RSP(0xc3, 0x81, 0x80, 0x00, 0x1e, 0x01, 0x17, 0x02,
	    0x02, 0x01, 0x03, 0x00, 0x00, 0x00,
	    0x04, 0x01, 0x06, 0x00, 0x00, 0x00);
}

static void
test_qualifier_index16(void **state)
{
	(void)state;
	/* g10v2, 0x28: indexes 1 and 9, both ON and ONLINE. */
	REQ(os, &r, 1, 0xc6, 0x01, 0x0a, 0x02, 0x28, 0x02, 0x00,
	    0x01, 0x00, 0x09, 0x00);
	ASSERT_RSP(0xc6, 0x81, 0x80, 0x00, 0x0a, 0x02, 0x28, 0x02, 0x00,
	    0x01, 0x00, 0x81, 0x09, 0x00, 0x81);
}

static void
test_qualifier_range8_and_range16(void **state)
{
	(void)state;
	/* g30v2 0..2: 0, 1.5 (rounds to 2), 3. */
	REQ(os, &r, 1, 0xc4, 0x01, 0x1e, 0x02, 0x00, 0x00, 0x02);
	ASSERT_RSP(0xc4, 0x81, 0x80, 0x00, 0x1e, 0x02, 0x00, 0x00, 0x02,
	    0x01, 0x00, 0x00, 0x01, 0x02, 0x00, 0x01, 0x03, 0x00);
	/* g20v1 8..9 asked with 16-bit range, answered with 8-bit. */
	REQ(os, &r, 1, 0xc5, 0x01, 0x14, 0x01, 0x01, 0x08, 0x00, 0x09, 0x00);
	ASSERT_RSP(0xc5, 0x81, 0x80, 0x00, 0x14, 0x01, 0x00, 0x08, 0x09,
	    0x01, 0x50, 0x00, 0x00, 0x00, 0x01, 0x5a, 0x00, 0x00, 0x00);
}

static void
test_packed_variations(void **state)
{
	(void)state;
	/* g1v1 all: states i % 2, LSB first. */
	REQ(os, &r, 1, 0xc7, 0x01, 0x01, 0x01, 0x06);
	ASSERT_RSP(0xc7, 0x81, 0x80, 0x00, 0x01, 0x01, 0x00, 0x00, 0x09,
	    0xaa, 0x02);
	/* g3v1 all: OFF (01) for even, ON (10) for odd indexes. */
	REQ(os, &r, 1, 0xc8, 0x01, 0x03, 0x01, 0x06);
	ASSERT_RSP(0xc8, 0x81, 0x80, 0x00, 0x03, 0x01, 0x00, 0x00, 0x09,
	    0x99, 0x99, 0x09);
	/* Packed objects have no index prefix: an index read gets g10v2. */
	REQ(os, &r, 1, 0xc9, 0x01, 0x0a, 0x01, 0x17, 0x01, 0x02);
	ASSERT_RSP(0xc9, 0x81, 0x80, 0x00, 0x0a, 0x02, 0x17, 0x01,
	    0x02, 0x01);
}

static void
test_count_qualifier_on_static(void **state)
{
	(void)state;
	/* g21v9 (32-bit frozen counter, no flags), first 2 points. */
	REQ(os, &r, 1, 0xca, 0x01, 0x15, 0x09, 0x07, 0x02);
	ASSERT_RSP(0xca, 0x81, 0x80, 0x00, 0x15, 0x09, 0x00, 0x00, 0x01,
	    0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00);
}

static void
test_variation_zero_uses_configured_default(void **state)
{
	struct outstation_params cfg;
	struct hdr h[4];
	(void)state;
	REQ(os, &r, 1, 0xc1, 0x01, 0x1e, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(rsp_headers(&r, h, 4), 1);
	assert_int_equal(h[0].variation, 1);
	outstation_free(os);
	cfg_default(&cfg, 10);
	cfg.db[PT_ANALOG_INPUT].static_variation = 5;	/* float */
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	REQ(os, &r, 1, 0xc1, 0x01, 0x1e, 0x00, 0x00, 0x03, 0x03);
	/* 4.5 as a float: 0x40900000 */
	ASSERT_RSP(0xc1, 0x81, 0x80, 0x00, 0x1e, 0x05, 0x00, 0x03, 0x03,
	    0x01, 0x00, 0x00, 0x90, 0x40);
}

static void
test_unknown_object_rest_answered(void **state)
{
	(void)state;
	/* g50v1 (time) is not readable here, g1v9 does not exist. */
	REQ(os, &r, 1, 0xcb, 0x01, 0x32, 0x01, 0x07, 0x01,
	    0x01, 0x09, 0x06, 0x1e, 0x01, 0x00, 0x02, 0x02);
	ASSERT_RSP(0xcb, 0x81, 0x80, 0x02, 0x1e, 0x01, 0x00, 0x02, 0x02,
	    0x01, 0x03, 0x00, 0x00, 0x00);
}

static void
test_range_past_end(void **state)
{
	(void)state;
	/* g30v1 8..12: points 8 and 9 exist (12, 13.5 -> 14). */
	REQ(os, &r, 1, 0xcc, 0x01, 0x1e, 0x01, 0x00, 0x08, 0x0c);
	ASSERT_RSP(0xcc, 0x81, 0x80, 0x04, 0x1e, 0x01, 0x00, 0x08, 0x09,
	    0x01, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x0e, 0x00, 0x00, 0x00);
	/* Wholly outside: nothing but IIN2.2. */
	REQ(os, &r, 1, 0xcd, 0x01, 0x1e, 0x01, 0x00, 0x0a, 0x0b);
	ASSERT_RSP(0xcd, 0x81, 0x80, 0x04);
	/* An index list with one bad index: the good one, and IIN2.2. */
	REQ(os, &r, 1, 0xce, 0x01, 0x14, 0x01, 0x17, 0x02, 0x01, 0x14);
	ASSERT_RSP(0xce, 0x81, 0x80, 0x04, 0x14, 0x01, 0x17, 0x01,
	    0x01, 0x01, 0x0a, 0x00, 0x00, 0x00);
}

static void
test_unsupported_function(void **state)
{
	(void)state;
	/* OPEN_FILE (25): no file transfer here. */
	REQ(os, &r, 1, 0xc2, 0x19);
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x01);
	/* An unknown function code (34). */
	REQ(os, &r, 1, 0xc3, 0x22, 0x3c, 0x01, 0x06);
	ASSERT_RSP(0xc3, 0x81, 0x80, 0x01);
}

static void
test_malformed_requests_dropped(void **state)
{
	(void)state;
	REQ(os, &r, 1, 0xc0);
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.len, 0);
	REQ(os, &r, 1, 0x80, 0x01, 0x3c, 0x01, 0x06);	/* FIR without FIN */
	assert_int_equal(r.ret, -1);
	assert_int_equal(r.len, 0);
	REQ(os, &r, 1, 0xc0, 0x81, 0x00, 0x00);		/* a response */
	assert_int_equal(r.ret, -1);
	/* Truncated object header: answered, IIN2.2. */
	REQ(os, &r, 1, 0xc4, 0x01, 0x1e, 0x01, 0x00, 0x02);
	ASSERT_RSP(0xc4, 0x81, 0x80, 0x04);
}

static void
test_write_clears_restart(void **state)
{
	(void)state;
	/* Writing 1 to IIN1.7 is not allowed. */
	REQ(os, &r, 1, 0xc1, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x01);
	ASSERT_RSP(0xc1, 0x81, 0x80, 0x04);
	REQ(os, &r, 1, 0xc2, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	ASSERT_RSP(0xc2, 0x81, 0x00, 0x00);
	REQ(os, &r, 1, 0xc3, 0x01, 0x3c, 0x02, 0x06);
	ASSERT_RSP(0xc3, 0x81, 0x00, 0x00);
	/* Analog inputs cannot be written: IIN2.1. */
	REQ(os, &r, 1, 0xc4, 0x02, 0x1e, 0x01, 0x00, 0x00, 0x00,
	    0x01, 0x00, 0x00, 0x00, 0x00);
	ASSERT_RSP(0xc4, 0x81, 0x00, 0x02);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_integrity_poll_before_update, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_integrity_poll_events_first, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_qualifier_index8,
		    setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_qualifier_index16,
		    setup_demo, teardown),
		cmocka_unit_test_setup_teardown(
		    test_qualifier_range8_and_range16, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_packed_variations,
		    setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_count_qualifier_on_static,
		    setup_demo, teardown),
		cmocka_unit_test_setup_teardown(
		    test_variation_zero_uses_configured_default, setup_demo,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_object_rest_answered, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_range_past_end,
		    setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_unsupported_function,
		    setup_demo, teardown),
		cmocka_unit_test_setup_teardown(
		    test_malformed_requests_dropped, setup_demo, teardown),
		cmocka_unit_test_setup_teardown(test_write_clears_restart,
		    setup_demo, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
