/*
 * Decoding of inbound messages in a worker: good single and batch
 * updates, control answers, messages that are not this worker's business
 * (ignored), and every bad input with its specific error and nothing to
 * apply. Also the hub's envelope check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/update.h"

static struct outstation_config cfg;
static struct bus_update out[BUS_BATCH_MAX];
static struct bus_inbound in;
static char err[256];

static int
setup(void **state)
{
	int t;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "feeder-1");
	for (t = 0; t < PT_COUNT; t++)
		cfg.db[t].count = 10;
	cfg.db[PT_ANALOG_INPUT].count = 32;
	return 0;
}

static int
decode(const char *msg)
{
	memset(out, 0xa5, sizeof(out));
	return bus_update_decode(msg, strlen(msg), &cfg, &in, out,
	    BUS_BATCH_MAX, err, sizeof(err));
}

static void
test_good_single(void **state)
{
	(void)state;
	assert_int_equal(decode("{\"op\":\"update\",\"outstation\":"
	    "\"feeder-1\",\"type\":\"analog_input\",\"index\":3,"
	    "\"value\":12.5,\"flags\":[\"online\"],\"time\":1764000000000}"),
	    BUS_DECODE_OK);
	assert_int_equal(in.kind, BUS_IN_UPDATE);
	assert_int_equal(in.count, 1);
	assert_int_equal(in.id, -1);
	assert_int_equal(out[0].type, PT_ANALOG_INPUT);
	assert_int_equal(out[0].index, 3);
	assert_true(out[0].value.analog == 12.5);
	assert_int_equal(out[0].flags, BUS_FLAG_ONLINE);
	assert_true(out[0].has_time);
	assert_int_equal(out[0].time_ms, 1764000000000LL);
}

/* A ping is the hub's: a worker ignores it, named or not. */
static void
test_ping_ignored(void **state)
{
	(void)state;
	assert_int_equal(decode("{\"op\":\"ping\",\"id\":1}"),
	    BUS_DECODE_IGNORE);
	assert_int_equal(decode("{\"op\":\"ping\",\"outstation\":"
	    "\"feeder-1\",\"id\":1}"), BUS_DECODE_IGNORE);
}

static void
test_defaults_online_no_time(void **state)
{
	(void)state;
	assert_int_equal(decode("{\"op\":\"update\",\"outstation\":"
	    "\"feeder-1\",\"type\":\"counter\",\"index\":9,"
	    "\"value\":4294967295,\"id\":5}"), BUS_DECODE_OK);
	assert_int_equal(in.id, 5);
	assert_int_equal(out[0].value.counter, 4294967295u);
	assert_int_equal(out[0].flags, BUS_FLAG_ONLINE);
	assert_false(out[0].has_time);
}

static void
test_good_batch_every_type(void **state)
{
	(void)state;
	assert_int_equal(decode("{\"op\":\"update\",\"outstation\":"
	    "\"feeder-1\",\"updates\":["
	    "{\"type\":\"binary_input\",\"index\":0,\"value\":true,"
	    "\"flags\":[\"online\",\"chatter_filter\"]},"
	    "{\"type\":\"double_bit_input\",\"index\":1,\"value\":\"on\"},"
	    "{\"type\":\"double_bit_input\",\"index\":2,\"value\":3},"
	    "{\"type\":\"binary_output\",\"index\":3,\"value\":false,"
	    "\"flags\":[]},"
	    "{\"type\":\"frozen_counter\",\"index\":4,\"value\":7,"
	    "\"flags\":[\"comm_lost\",\"discontinuity\"]},"
	    "{\"type\":\"analog_output\",\"index\":5,\"value\":-3,"
	    "\"flags\":[\"over_range\",\"reference_err\"]},"
	    "{\"type\":\"octet_string\",\"index\":6,\"value\":\"hi\"}]}"),
	    BUS_DECODE_OK);
	assert_int_equal(in.count, 7);
	assert_true(out[0].value.binary);
	assert_int_equal(out[0].flags, 0x21);
	assert_int_equal(out[1].value.dbit, 2);
	assert_int_equal(out[2].value.dbit, 3);
	assert_false(out[3].value.binary);
	assert_int_equal(out[3].flags, 0);
	assert_int_equal(out[4].type, PT_FROZEN_COUNTER);
	assert_int_equal(out[4].flags, 0x44);
	assert_true(out[5].value.analog == -3.0);
	assert_int_equal(out[5].flags, 0x60);
	assert_int_equal(out[6].value.octets.len, 2);
	assert_memory_equal(out[6].value.octets.data, "hi", 2);
	assert_int_equal(out[6].flags, 0);
}

static void
test_control_answer(void **state)
{
	(void)state;
	assert_int_equal(decode("{\"op\":\"control_answer\",\"outstation\":"
	    "\"feeder-1\",\"id\":31,\"status\":\"NOT_AUTHORIZED\"}"),
	    BUS_DECODE_OK);
	assert_int_equal(in.kind, BUS_IN_CONTROL_ANSWER);
	assert_int_equal(in.id, 31);
	assert_int_equal(in.status, 9);
	assert_int_equal(decode("{\"op\":\"control_answer\",\"outstation\":"
	    "\"feeder-1\",\"status\":\"SUCCESS\"}"), -BUS_ERR_BAD_ID);
	assert_int_equal(decode("{\"op\":\"control_answer\",\"outstation\":"
	    "\"feeder-1\",\"id\":1,\"status\":\"FINE\"}"), -BUS_ERR_STATUS);
}

static void
test_not_mine_is_ignored(void **state)
{
	static const char *const msgs[] = {
		/* other outstation, even when its body is bad */
		"{\"op\":\"update\",\"outstation\":\"feeder-2\","
		"\"type\":\"nope\"}",
		/* events from other members */
		"{\"event\":\"connected\",\"outstation\":\"feeder-1\"}",
		/* an error event names the op it answers: still an event */
		"{\"event\":\"error\",\"outstation\":\"feeder-1\","
		"\"op\":\"update\",\"error\":\"unknown key\"}",
		/* bad envelopes: the hub reports those */
		"not json", "[1,2]", "{\"outstation\":\"feeder-1\"}",
		"{\"op\":\"delete\",\"outstation\":\"feeder-1\"}",
		"{\"op\":\"update\"}",
		"{\"op\":\"update\",\"outstation\":\"feeder-1\",\"id\":-1}",
		/* a longer name that starts like ours */
		"{\"op\":\"update\",\"outstation\":\"feeder-1-and-more-and-"
		"more-and-more\",\"type\":\"x\"}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		err[0] = 'x';
		assert_int_equal(decode(msgs[i]), BUS_DECODE_IGNORE);
		assert_int_equal(in.count, 0);
		assert_string_equal(err, "");
	}
}

struct bad {
	const char *body;	/* after {"op":"update","outstation":"feeder-1", */
	int code;
	const char *detail;	/* substring of err */
};

static const struct bad bads[] = {
	{ "\"type\":\"analog_input\",\"index\":3,\"value\":1,\"x\":1}",
	    BUS_ERR_UNKNOWN_KEY, "\"x\"" },
	{ "\"index\":3,\"value\":1}", BUS_ERR_NO_TYPE, "type" },
	{ "\"type\":\"analog\",\"index\":3,\"value\":1}",
	    BUS_ERR_UNKNOWN_TYPE, "\"analog\"" },
	{ "\"type\":7,\"index\":3,\"value\":1}", BUS_ERR_UNKNOWN_TYPE, "" },
	{ "\"type\":\"analog_input\",\"value\":1}", BUS_ERR_NO_INDEX, "index" },
	{ "\"type\":\"analog_input\",\"index\":32,\"value\":1}",
	    BUS_ERR_INDEX, "index 32, but analog_input has 32 points" },
	{ "\"type\":\"analog_input\",\"index\":-1,\"value\":1}",
	    BUS_ERR_INDEX, "" },
	{ "\"type\":\"analog_input\",\"index\":1.0,\"value\":1}",
	    BUS_ERR_INDEX, "index must be an integer" },
	{ "\"type\":\"analog_input\",\"index\":1}", BUS_ERR_NO_VALUE, "" },
	{ "\"type\":\"analog_input\",\"index\":1,\"value\":\"1\"}",
	    BUS_ERR_VALUE, "analog_input value must be a number" },
	{ "\"type\":\"binary_input\",\"index\":1,\"value\":1}",
	    BUS_ERR_VALUE, "true or false" },
	{ "\"type\":\"counter\",\"index\":1,\"value\":4294967296}",
	    BUS_ERR_VALUE, "" },
	{ "\"type\":\"counter\",\"index\":1,\"value\":1.5}", BUS_ERR_VALUE, "" },
	{ "\"type\":\"double_bit_input\",\"index\":1,\"value\":4}",
	    BUS_ERR_VALUE, "" },
	{ "\"type\":\"octet_string\",\"index\":1,\"value\":\"\"}",
	    BUS_ERR_VALUE, "" },
	{ "\"type\":\"analog_input\",\"index\":1,\"value\":1,"
	    "\"flags\":\"online\"}", BUS_ERR_FLAGS, "list" },
	{ "\"type\":\"analog_input\",\"index\":1,\"value\":1,"
	    "\"flags\":[\"shiny\"]}", BUS_ERR_FLAGS, "unknown flag \"shiny\"" },
	{ "\"type\":\"analog_input\",\"index\":1,\"value\":1,"
	    "\"flags\":[\"chatter_filter\"]}", BUS_ERR_FLAGS,
	    "does not apply to analog_input" },
	{ "\"type\":\"octet_string\",\"index\":1,\"value\":\"a\","
	    "\"flags\":[\"online\"]}", BUS_ERR_FLAGS, "" },
	{ "\"type\":\"analog_input\",\"index\":1,\"value\":1,"
	    "\"time\":\"now\"}", BUS_ERR_TIME, "" },
	{ "\"type\":\"analog_input\",\"index\":1,\"value\":1,"
	    "\"time\":-5}", BUS_ERR_TIME, "" },
	{ "\"updates\":[]}", BUS_ERR_BAD_BATCH, "non-empty" },
	{ "\"updates\":{}}", BUS_ERR_BAD_BATCH, "" },
	{ "\"updates\":[1]}", BUS_ERR_BAD_BATCH, "updates[0]: not an object" },
	{ "\"type\":\"analog_input\",\"updates\":[{}]}",
	    BUS_ERR_UNKNOWN_KEY, "\"type\"" },
	{ "\"updates\":[{\"type\":\"analog_input\",\"index\":0,\"value\":1,"
	    "\"outstation\":\"feeder-1\"}]}", BUS_ERR_UNKNOWN_KEY,
	    "updates[0]: \"outstation\"" },
};

static void
test_each_bad_input(void **state)
{
	char msg[1024];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		snprintf(msg, sizeof(msg), "{\"op\":\"update\",\"outstation\":"
		    "\"feeder-1\",\"id\":%zu,%s", i, bads[i].body);
		rc = decode(msg);
		if (rc != -bads[i].code || strstr(err, bads[i].detail) == NULL)
			fail_msg("%s: got %d (%s: %s), want %d (%s)", msg, rc,
			    bus_msg_strerror(rc), err, -bads[i].code,
			    bus_msg_strerror(bads[i].code));
		assert_int_equal(in.count, 0);
		assert_int_equal(in.id, (int64_t)i);	/* echoed in the error */
	}
}

static void
test_batch_all_or_nothing(void **state)
{
	(void)state;
	/* the third update is wrong: the decoder says so, names it, and
	   reports nothing to apply */
	assert_int_equal(decode("{\"op\":\"update\",\"outstation\":"
	    "\"feeder-1\",\"updates\":["
	    "{\"type\":\"analog_input\",\"index\":0,\"value\":1},"
	    "{\"type\":\"analog_input\",\"index\":1,\"value\":2},"
	    "{\"type\":\"analog_input\",\"index\":40,\"value\":3}]}"),
	    -BUS_ERR_INDEX);
	assert_int_equal(in.count, 0);
	assert_non_null(strstr(err, "updates[2]: index 40, but analog_input has 32 points"));
}

static void
test_batch_too_big(void **state)
{
	size_t cap = 64 + (BUS_BATCH_MAX + 1) * 48, len, i;
	char *msg = malloc(cap);
	int rc;

	(void)state;
	len = (size_t)snprintf(msg, cap,
	    "{\"op\":\"update\",\"outstation\":\"feeder-1\",\"updates\":[");
	for (i = 0; i <= BUS_BATCH_MAX; i++)
		len += (size_t)snprintf(msg + len, cap - len,
		    "%s{\"type\":\"counter\",\"index\":1,\"value\":1}",
		    i ? "," : "");
	len += (size_t)snprintf(msg + len, cap - len, "]}");
	assert_true(len < BUS_MSG_MAX);
	assert_int_equal(decode(msg), -BUS_ERR_BATCH_TOO_BIG);
	assert_int_equal(in.count, 0);
	/* and a caller with less room than the batch */
	snprintf(msg, cap, "{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"updates\":[{\"type\":\"counter\",\"index\":1,\"value\":1},"
	    "{\"type\":\"counter\",\"index\":1,\"value\":1}]}");
	rc = bus_update_decode(msg, strlen(msg), &cfg, &in, out, 1, err,
	    sizeof(err));
	assert_int_equal(rc, -BUS_ERR_BATCH_TOO_BIG);
	free(msg);
}

static int
known(const char *name, void *arg)
{
	(void)arg;
	return strcmp(name, "feeder-1") == 0;
}

static void
test_envelope_check(void **state)
{
	static const struct {
		const char *msg;
		int rc;
	} cases[] = {
		{ "{\"op\":\"update\",\"outstation\":\"feeder-1\"}", 0 },
		{ "{\"event\":\"connected\"}", BUS_DECODE_IGNORE },
		{ "{\"event\":\"error\",\"op\":\"reboot\"}", BUS_DECODE_IGNORE },
		{ "{\"op\":\"update\",\"outstation\":\"feeder-9\"}",
		    -BUS_ERR_UNKNOWN_OUTSTATION },
		{ "{\"op\":\"update\",\"outstation\":3}", -BUS_ERR_NO_OUTSTATION },
		{ "{\"op\":\"update\"}", -BUS_ERR_NO_OUTSTATION },
		{ "{\"op\":\"reboot\",\"outstation\":\"feeder-1\"}",
		    -BUS_ERR_UNKNOWN_OP },
		{ "{\"op\":1}", -BUS_ERR_UNKNOWN_OP },
		{ "{\"outstation\":\"feeder-1\"}", -BUS_ERR_NO_OP },
		{ "\"update\"", -BUS_ERR_NOT_OBJECT },
		{ "{\"op\":\"update\",", -BUS_ERR_NOT_JSON },
		{ "{\"op\":\"update\",\"op\":\"update\"}", -BUS_ERR_NOT_JSON },
		{ "{\"op\":\"update\",\"outstation\":\"feeder-1\",\"id\":\"a\"}",
		    -BUS_ERR_BAD_ID },
	};
	char op[16];
	int64_t id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = bus_envelope_check(cases[i].msg, strlen(cases[i].msg),
		    known, NULL, &id, op, sizeof(op), err, sizeof(err));
		if (rc != cases[i].rc)
			fail_msg("%s: got %d (%s), want %d", cases[i].msg, rc,
			    err, cases[i].rc);
	}
	/* without a known() callback every name passes */
	snprintf(err, sizeof(err), "{\"op\":\"update\",\"outstation\":"
	    "\"x\",\"id\":4}");
	assert_int_equal(bus_envelope_check(err, strlen(err), NULL, NULL, &id,
	    op, sizeof(op), NULL, 0), 0);
	assert_int_equal(id, 4);
	assert_string_equal(op, "update");
	/* one byte over the cap, checked before parsing */
	assert_int_equal(bus_envelope_check("{}", BUS_MSG_MAX + 1, NULL, NULL,
	    &id, NULL, 0, err, sizeof(err)), -BUS_ERR_TOO_BIG);
}

static void
test_strerror(void **state)
{
	(void)state;
	assert_string_equal(bus_msg_strerror(-BUS_ERR_INDEX),
	    "index out of range");
	assert_string_equal(bus_msg_strerror(BUS_ERR_NOT_JSON), "not JSON");
	assert_string_equal(bus_msg_strerror(1000), "unknown error");
	assert_int_equal(bus_point_type_parse("octet_string"), PT_OCTET_STRING);
	assert_int_equal(bus_point_type_parse("octet"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_good_single, setup),
		cmocka_unit_test_setup(test_ping_ignored, setup),
		cmocka_unit_test_setup(test_defaults_online_no_time, setup),
		cmocka_unit_test_setup(test_good_batch_every_type, setup),
		cmocka_unit_test_setup(test_control_answer, setup),
		cmocka_unit_test_setup(test_not_mine_is_ignored, setup),
		cmocka_unit_test_setup(test_each_bad_input, setup),
		cmocka_unit_test_setup(test_batch_all_or_nothing, setup),
		cmocka_unit_test_setup(test_batch_too_big, setup),
		cmocka_unit_test_setup(test_envelope_check, setup),
		cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
