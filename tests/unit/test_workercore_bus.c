/* libs: dnp3os bus */
/*
 * What a bus message does to the worker's outstation (worker/hub_link.c,
 * worker_bus_apply): good updates land in the database with their value,
 * flags and time and make events; a batch is all or nothing; messages for
 * another outstation and events are ignored; bad ones name what is wrong
 * and change nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/outstation/database.h"
#include "dnp3/outstation/outstation.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

#define NOW_TIME	1764000000000ull	/* DNP3 time "now" */

static struct outstation_config cfg;
static struct outstation *os;
static struct bus_inbound in;
static char err[256];

static int
setup(void **state)
{
	struct outstation_params p;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "feeder-1");
	for (int t = 0; t < PT_COUNT; t++) {
		cfg.db[t].count = 4;
		cfg.db[t].class = 1;
		cfg.db[t].event_buffer = 10;
	}
	cfg.confirm_ms = cfg.select_ms = 5000;
	cfg.frag_rx = cfg.frag_tx = 2048;
	cfg.address = 10;
	cfg.master = 1;
	config_os_params(&cfg, &p);
	os = outstation_new(&p);
	assert_non_null(os);
	outstation_set_time(os, 0, NOW_TIME);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

static int
apply(const char *msg)
{
	return worker_bus_apply(os, &cfg, msg, strlen(msg), NOW_TIME, &in,
	    err, sizeof(err));
}

static const struct db_point *
point(enum point_type t, uint32_t i)
{
	const struct db *db = outstation_db(os);

	assert_true(i < db->count[t]);
	return &db->points[t][i];
}

static void
test_single_update(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"analog_input\",\"index\":3,\"value\":12.5,"
	    "\"flags\":[\"online\",\"over_range\"],\"time\":1700000000123}"),
	    BUS_DECODE_OK);
	assert_int_equal(in.kind, BUS_IN_UPDATE);
	assert_int_equal(in.count, 1);
	assert_true(point(PT_ANALOG_INPUT, 3)->v.analog == 12.5);
	assert_int_equal(point(PT_ANALOG_INPUT, 3)->flags,
	    DB_FLAG_ONLINE | DB_FLAG_OVER_RANGE);
	assert_int_equal(point(PT_ANALOG_INPUT, 3)->time_ms, 1700000000123ull);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 1);
}

static void
test_default_flags_and_time(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"binary_input\",\"index\":0,\"value\":true}"),
	    BUS_DECODE_OK);
	assert_int_equal(point(PT_BINARY_INPUT, 0)->v.bits, 1);
	assert_int_equal(point(PT_BINARY_INPUT, 0)->flags, DB_FLAG_ONLINE);
	assert_int_equal(point(PT_BINARY_INPUT, 0)->time_ms, NOW_TIME);
}

static void
test_batch_every_type(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"id\":17,\"updates\":["
	    "{\"type\":\"double_bit_input\",\"index\":1,\"value\":\"on\"},"
	    "{\"type\":\"binary_output\",\"index\":2,\"value\":true},"
	    "{\"type\":\"counter\",\"index\":3,\"value\":1200,"
	    "\"flags\":[\"online\",\"discontinuity\"]},"
	    "{\"type\":\"frozen_counter\",\"index\":0,\"value\":4294967295},"
	    "{\"type\":\"analog_output\",\"index\":1,\"value\":-2.5},"
	    "{\"type\":\"octet_string\",\"index\":2,\"value\":\"hello\"}]}"),
	    BUS_DECODE_OK);
	assert_int_equal(in.count, 6);
	assert_int_equal(in.id, 17);
	assert_int_equal(point(PT_DOUBLE_BIT_INPUT, 1)->v.bits, DBIT_ON);
	assert_int_equal(point(PT_BINARY_OUTPUT, 2)->v.bits, 1);
	assert_int_equal(point(PT_COUNTER, 3)->v.counter, 1200);
	assert_int_equal(point(PT_COUNTER, 3)->flags,
	    DB_FLAG_ONLINE | DB_FLAG_DISCONTINUITY);
	assert_int_equal(point(PT_FROZEN_COUNTER, 0)->v.counter, 4294967295u);
	assert_true(point(PT_ANALOG_OUTPUT, 1)->v.analog == -2.5);
	assert_int_equal(point(PT_OCTET_STRING, 2)->octet_len, 5);
	assert_memory_equal(db_octets(outstation_db(os), 2), "hello", 5);
}

/* One bad item: the error names it, and the good one before is not set. */
static void
test_bad_batch_changes_nothing(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"id\":5,\"updates\":["
	    "{\"type\":\"counter\",\"index\":0,\"value\":77},"
	    "{\"type\":\"counter\",\"index\":1,\"value\":\"x\"}]}"),
	    -BUS_ERR_VALUE);
	assert_int_equal(in.id, 5);
	assert_non_null(strstr(err, "updates[1]"));
	assert_int_equal(point(PT_COUNTER, 0)->v.counter, 0);
	assert_int_equal(point(PT_COUNTER, 0)->flags, DB_FLAG_RESTART);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), 0);
}

static void
test_bad_single(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"analog_input\",\"index\":4,\"value\":1}"),
	    -BUS_ERR_INDEX);
	assert_string_equal(err, "index 4, but analog_input has 4 points");
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"bogus\",\"index\":0,\"value\":1}"),
	    -BUS_ERR_UNKNOWN_TYPE);
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"binary_input\",\"index\":0,\"valeu\":true}"),
	    -BUS_ERR_UNKNOWN_KEY);
	for (int t = 0; t < PT_COUNT; t++)
		assert_int_equal(outstation_events_pending(os, t), 0);
}

static void
test_not_for_us(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"update\",\"outstation\":\"feeder-2\","
	    "\"type\":\"analog_input\",\"index\":0,\"value\":9}"),
	    BUS_DECODE_IGNORE);
	assert_int_equal(apply("{\"event\":\"connected\",\"source\":"
	    "\"feeder-1\",\"outstation\":\"feeder-1\"}"), BUS_DECODE_IGNORE);
	assert_int_equal(apply("not json"), BUS_DECODE_IGNORE);
	assert_int_equal(point(PT_ANALOG_INPUT, 0)->flags, DB_FLAG_RESTART);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
}

/* A control answer is decoded, not applied as an update. */
static void
test_control_answer(void **state)
{
	(void)state;
	assert_int_equal(apply("{\"op\":\"control_answer\",\"outstation\":"
	    "\"feeder-1\",\"id\":9,\"status\":\"LOCAL\"}"), BUS_DECODE_OK);
	assert_int_equal(in.kind, BUS_IN_CONTROL_ANSWER);
	assert_int_equal(in.id, 9);
	assert_int_equal(in.status, 7);
	assert_int_equal(apply("{\"op\":\"control_answer\",\"outstation\":"
	    "\"feeder-1\",\"id\":9,\"status\":\"MAYBE\"}"), -BUS_ERR_STATUS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_single_update, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_default_flags_and_time,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_every_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_batch_changes_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_single, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_for_us, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_control_answer, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
