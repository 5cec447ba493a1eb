/* libs: dnp3app */
/*
 * Controls: CROBs on binary outputs and analog output blocks on analog
 * outputs, echoed with their status; select-before-operate rules; the
 * "echo" mode mirrors into the output status points, "reject" refuses.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;

#define ASSERT_RSP(...)	RSP_EQUAL(&r, __VA_ARGS__)

/* g12v1, one CROB on index idx with control code code. */
#define CROB(idx, code)	0x0c, 0x01, 0x28, 0x01, 0x00, (idx), 0x00, \
	(code), 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00

/* One CROB object after a header with qualifier 0x28 (13 bytes). */
#define CROBX(idx, code)	(idx), 0x00, (code), 0x01, 0x00, 0x00, 0x00, \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00

static uint32_t max_controls;	/* 0: the default */

/* The status of CROB i in a response to CROBX objects under one header. */
static uint8_t
crob_status(uint32_t i)
{
	size_t at = 4 + 5 + 13 * i + 12;

	assert_true(at < r.len);
	return r.b[at];
}

static struct outstation *
make(enum control_mode mode)
{
	struct outstation_params cfg;

	cfg_default(&cfg, 10);
	cfg.controls = mode;
	cfg.max_controls = max_controls;
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	outstation_set_time(os, 0, T0 + 1000000);
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
	const struct db *db = outstation_db(os);

	assert_true(index < db->count[t]);
	return &db->points[t][index];
}

static void
test_direct_operate_latch(void **state)
{
	(void)state;
	make(CONTROL_ECHO);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits, 0);
	REQ(os, &r, 100, 0xc1, 0x05, CROB(0, 0x03));
	ASSERT_RSP(0xc1, 0x81, 0x82, 0x00, CROB(0, 0x03));
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits, 1);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->time_ms, T0 + 1000100);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 1);
	/* The status point reads ON; TRIP turns it off again. */
	REQ(os, &r, 200, 0xc2, 0x01, 0x0a, 0x02, 0x00, 0x00, 0x00);
	ASSERT_RSP(0xc2, 0x81, 0x82, 0x00, 0x0a, 0x02, 0x00, 0x00, 0x00,
	    0x81);
	REQ(os, &r, 300, 0xc3, 0x05, CROB(0, 0x81));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_SUCCESS);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits, 0);
}

static void
test_select_then_operate(void **state)
{
	(void)state;
	make(CONTROL_ECHO);
	REQ(os, &r, 100, 0xc2, 0x03, CROB(2, 0x03));
	ASSERT_RSP(0xc2, 0x81, 0x80, 0x00, CROB(2, 0x03));
	assert_int_equal(point(PT_BINARY_OUTPUT, 2)->v.bits, 0);
	REQ(os, &r, 200, 0xc3, 0x04, CROB(2, 0x03));
	ASSERT_RSP(0xc3, 0x81, 0x82, 0x00, CROB(2, 0x03));
	assert_int_equal(point(PT_BINARY_OUTPUT, 2)->v.bits, 1);
	/* The select is used up. */
	REQ(os, &r, 300, 0xc4, 0x04, CROB(2, 0x04));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NO_SELECT);
	assert_int_equal(point(PT_BINARY_OUTPUT, 2)->v.bits, 1);
}

static void
test_operate_rules(void **state)
{
	(void)state;
	make(CONTROL_ECHO);
	/* No select at all. */
	REQ(os, &r, 100, 0xc1, 0x04, CROB(4, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NO_SELECT);
	/* Other objects than selected. */
	REQ(os, &r, 100, 0xc2, 0x03, CROB(4, 0x03));
	REQ(os, &r, 200, 0xc3, 0x04, CROB(4, 0x04));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NO_SELECT);
	/* Not the next sequence number. */
	REQ(os, &r, 300, 0xc4, 0x03, CROB(4, 0x03));
	REQ(os, &r, 400, 0xc6, 0x04, CROB(4, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NO_SELECT);
	/* Too late: select_ms is 5000. */
	REQ(os, &r, 1000, 0xc7, 0x03, CROB(4, 0x03));
	REQ(os, &r, 6001, 0xc8, 0x04, CROB(4, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_TIMEOUT);
	assert_int_equal(point(PT_BINARY_OUTPUT, 4)->v.bits, 0);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 0);
}

static void
test_analog_output_blocks(void **state)
{
	(void)state;
	make(CONTROL_ECHO);
	/* g41v1 (int32) 1234 on AO 2, g41v3 (float) 2.5 on AO 3. */
	REQ(os, &r, 100, 0xc1, 0x05, 0x29, 0x01, 0x17, 0x01, 0x02,
	    0xd2, 0x04, 0x00, 0x00, 0x00,
	    0x29, 0x03, 0x17, 0x01, 0x03, 0x00, 0x00, 0x20, 0x40, 0x00);
	ASSERT_RSP(0xc1, 0x81, 0x82, 0x00, 0x29, 0x01, 0x17, 0x01, 0x02,
	    0xd2, 0x04, 0x00, 0x00, 0x00,
	    0x29, 0x03, 0x17, 0x01, 0x03, 0x00, 0x00, 0x20, 0x40, 0x00);
	assert_true(point(PT_ANALOG_OUTPUT, 2)->v.analog == 1234);
	assert_true(point(PT_ANALOG_OUTPUT, 3)->v.analog == 2.5);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_OUTPUT), 2);
}

static void
test_bad_objects(void **state)
{
	(void)state;
	make(CONTROL_ECHO);
	/* Index 10 does not exist. */
	REQ(os, &r, 100, 0xc1, 0x05, CROB(10, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NOT_SUPPORTED);
	/* Code 0x05 is no operation type, 0xc1 the reserved TCC 3. */
	REQ(os, &r, 100, 0xc2, 0x05, CROB(1, 0x05));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_FORMAT_ERROR);
	REQ(os, &r, 100, 0xc4, 0x05, CROB(1, 0xc1));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_FORMAT_ERROR);
	/* Valid, but not done here: queue, clear, TRIP with a latch. */
	REQ(os, &r, 100, 0xc5, 0x05, CROB(1, 0x13));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NOT_SUPPORTED);
	REQ(os, &r, 100, 0xc6, 0x05, CROB(1, 0x83));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NOT_SUPPORTED);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 0);
	/* A control of something that is not an output: IIN2.1. */
	REQ(os, &r, 100, 0xc3, 0x05, 0x1e, 0x01, 0x17, 0x01, 0x00,
	    0x01, 0x00, 0x00, 0x00, 0x00);
	ASSERT_RSP(0xc3, 0x81, 0x80, 0x02);
}

static void
test_no_ack_and_duplicate(void **state)
{
	struct point_value v = { .analog = 20 };
	(void)state;
	make(CONTROL_ECHO);
	/* DIRECT_OPERATE_NR: done, and no response at all. */
	REQ(os, &r, 100, 0xc1, 0x06, 0x29, 0x02, 0x17, 0x01, 0x01,
	    0x0a, 0x00, 0x00);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);
	assert_true(point(PT_ANALOG_OUTPUT, 1)->v.analog == 10);
	/* A repeated DIRECT_OPERATE is answered again, not executed again. */
	REQ(os, &r, 200, 0xc2, 0x05, 0x29, 0x02, 0x17, 0x01, 0x01,
	    0x07, 0x00, 0x00);
	assert_true(point(PT_ANALOG_OUTPUT, 1)->v.analog == 7);
	assert_int_equal(outstation_update(os, PT_ANALOG_OUTPUT, 1, &v,
	    DB_FLAG_ONLINE, T0), 0);
	struct rsp first = r;
	REQ(os, &r, 300, 0xc2, 0x05, 0x29, 0x02, 0x17, 0x01, 0x01,
	    0x07, 0x00, 0x00);
	assert_int_equal(r.len, first.len);
	assert_memory_equal(r.b, first.b, r.len);
	assert_true(point(PT_ANALOG_OUTPUT, 1)->v.analog == 20);
}

static void
test_broadcast(void **state)
{
	const uint8_t nr[] = { 0xc1, 0x06, 0x29, 0x02, 0x17, 0x01, 0x01,
	    0x0a, 0x00, 0x00 };
	(void)state;
	make(CONTROL_ECHO);
	assert_int_equal(outstation_broadcast(os, nr, sizeof(nr), 100), 0);
	assert_true(point(PT_ANALOG_OUTPUT, 1)->v.analog == 10);
	/* The same bytes sent to the outstation itself: a new request. */
	req(os, &r, nr, sizeof(nr), 150);
	assert_int_equal(r.len, 0);
	/* The next response says a broadcast came; the one after does not. */
	REQ(os, &r, 200, 0xc2, 0x01, 0x3c, 0x01, 0x06);
	assert_int_equal(rsp_iin(&r) & DNP3_IIN1_BROADCAST,
	    DNP3_IIN1_BROADCAST);
	REQ(os, &r, 300, 0xc3, 0x01, 0x3c, 0x01, 0x06);
	assert_int_equal(rsp_iin(&r) & DNP3_IIN1_BROADCAST, 0);
	/* A confirm or a malformed fragment is not a broadcast request. */
	const uint8_t con[] = { 0xc3, 0x00 };
	assert_int_equal(outstation_broadcast(os, con, sizeof(con), 400), -1);
	assert_int_equal(outstation_broadcast(os, nr, 1, 400), -1);
}

static void
test_reject_mode(void **state)
{
	(void)state;
	make(CONTROL_REJECT);
	REQ(os, &r, 100, 0xc1, 0x05, CROB(0, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NOT_SUPPORTED);
	REQ(os, &r, 100, 0xc2, 0x03, CROB(0, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NOT_SUPPORTED);
	REQ(os, &r, 100, 0xc3, 0x04, CROB(0, 0x03));
	assert_int_equal(r.b[r.len - 1], DNP3_CS_NOT_SUPPORTED);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits, 0);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 0);
}

/* The same point twice in one request: the second is ALREADY_ACTIVE. */
static void
test_already_active(void **state)
{
	(void)state;
	make(CONTROL_ECHO);
	REQ(os, &r, 100, 0xc1, 0x05, 0x0c, 0x01, 0x28, 0x03, 0x00,
	    CROBX(2, 0x03), CROBX(3, 0x03), CROBX(2, 0x04));
	assert_int_equal(crob_status(0), DNP3_CS_SUCCESS);
	assert_int_equal(crob_status(1), DNP3_CS_SUCCESS);
	assert_int_equal(crob_status(2), DNP3_CS_ALREADY_ACTIVE);
	/* The first one stands: latched on, not off. */
	assert_int_equal(point(PT_BINARY_OUTPUT, 2)->v.bits & 1, 1);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 1);
}

/*
 * max_controls = 2: a request with 3 control objects is refused as a
 * whole, every object TOO_MANY_OBJS, nothing done or armed; 2 are fine.
 */
static void
test_too_many_objects(void **state)
{
	(void)state;
	max_controls = 2;
	make(CONTROL_ECHO);
	max_controls = 0;
	REQ(os, &r, 100, 0xc1, 0x05, 0x0c, 0x01, 0x28, 0x03, 0x00,
	    CROBX(0, 0x03), CROBX(2, 0x03), CROBX(4, 0x03));
	assert_int_equal(r.len, 4 + 5 + 3 * 13);
	for (uint32_t i = 0; i < 3; i++)
		assert_int_equal(crob_status(i), DNP3_CS_TOO_MANY_OBJS);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits & 1, 0);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 0);
	/* Two headers count together: 1 + 2 is still 3. */
	REQ(os, &r, 200, 0xc2, 0x05, CROB(0, 0x03),
	    0x0c, 0x01, 0x28, 0x02, 0x00, CROBX(2, 0x03), CROBX(4, 0x03));
	assert_int_equal(r.b[4 + 18 - 1], DNP3_CS_TOO_MANY_OBJS);
	assert_int_equal(r.b[r.len - 1], DNP3_CS_TOO_MANY_OBJS);
	/* A refused SELECT arms nothing: its OPERATE gets NO_SELECT. */
	REQ(os, &r, 300, 0xc3, 0x03, 0x0c, 0x01, 0x28, 0x03, 0x00,
	    CROBX(0, 0x03), CROBX(2, 0x03), CROBX(4, 0x03));
	assert_int_equal(crob_status(2), DNP3_CS_TOO_MANY_OBJS);
	REQ(os, &r, 400, 0xc4, 0x04, 0x0c, 0x01, 0x28, 0x03, 0x00,
	    CROBX(0, 0x03), CROBX(2, 0x03), CROBX(4, 0x03));
	assert_int_equal(crob_status(0), DNP3_CS_TOO_MANY_OBJS);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits & 1, 0);
	/* At the limit: done. */
	REQ(os, &r, 500, 0xc5, 0x05, 0x0c, 0x01, 0x28, 0x02, 0x00,
	    CROBX(0, 0x03), CROBX(2, 0x03));
	assert_int_equal(crob_status(0), DNP3_CS_SUCCESS);
	assert_int_equal(crob_status(1), DNP3_CS_SUCCESS);
	assert_int_equal(point(PT_BINARY_OUTPUT, 0)->v.bits & 1, 1);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 2);
}

/* The default limit is 32 objects. */
static void
test_default_limit(void **state)
{
	uint8_t b[2 + 5 + 33 * 13];

	(void)state;
	make(CONTROL_ECHO);
	for (uint32_t n = 32; n <= 33; n++) {
		b[0] = (uint8_t)(0xc0 | (n & 0x0f));
		b[1] = 0x05;
		b[2] = 0x0c, b[3] = 0x01, b[4] = 0x28;
		b[5] = (uint8_t)n, b[6] = 0;
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t o[] = { CROBX(i % 10, 0x01) };

			memcpy(b + 7 + 13 * i, o, sizeof(o));
		}
		req(os, &r, b, 7 + 13 * n, 100 * n);
		assert_int_equal(crob_status(0), n == 32 ?
		    DNP3_CS_SUCCESS : DNP3_CS_TOO_MANY_OBJS);
	}
}

/* max_controls above OS_CONTROLS_MAX is a bad configuration. */
static void
test_limit_range(void **state)
{
	struct outstation_params cfg;

	(void)state;
	cfg_default(&cfg, 10);
	cfg.max_controls = OS_CONTROLS_MAX;
	assert_true(outstation_size(&cfg) > 0);
	cfg.max_controls = OS_CONTROLS_MAX + 1;
	assert_int_equal(outstation_size(&cfg), 0);
	assert_null(outstation_new(&cfg));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_direct_operate_latch, teardown),
		cmocka_unit_test_teardown(test_select_then_operate, teardown),
		cmocka_unit_test_teardown(test_operate_rules, teardown),
		cmocka_unit_test_teardown(test_analog_output_blocks, teardown),
		cmocka_unit_test_teardown(test_bad_objects, teardown),
		cmocka_unit_test_teardown(test_no_ack_and_duplicate, teardown),
		cmocka_unit_test_teardown(test_broadcast, teardown),
		cmocka_unit_test_teardown(test_reject_mode, teardown),
		cmocka_unit_test_teardown(test_already_active, teardown),
		cmocka_unit_test_teardown(test_too_many_objects, teardown),
		cmocka_unit_test_teardown(test_default_limit, teardown),
		cmocka_unit_test(test_limit_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
