/* libs: dnp3app */
/*
 * Unsolicited responses: the null one after a master connects, retries
 * and the hold-off after them, events of the classes the master enabled,
 * their own confirms, and the solicited exchange going first.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;
static struct os_output out;

#define ASSERT_OUT(...) do {						\
	const uint8_t want_[] = { __VA_ARGS__ };			\
	assert_int_equal(out.len, sizeof(want_));			\
	assert_memory_equal(out.data, want_, sizeof(want_));		\
} while (0)

static int
setup(void **state)
{
	struct outstation_params cfg;
	(void)state;
	cfg_default(&cfg, 10);
	cfg.unsol_enabled = true;
	cfg.unsol_retries = 2;
	cfg.db[PT_BINARY_OUTPUT].class = 2;
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
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

static void
uns_confirm(uint8_t seq, uint64_t now)
{
	uint8_t c[2] = { (uint8_t)(0xd0 | seq), 0x00 };

	req(os, &r, c, sizeof(c), now);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);
}

/* Connect, send the null unsolicited response and confirm it. */
static void
connect_and_enable(uint64_t now)
{
	outstation_connection_reset(os);
	outstation_tick(os, now, &out);
	ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
	uns_confirm(0, now + 10);
	REQ(os, &r, now + 20, 0xc1, 0x14, 0x3c, 0x02, 0x06);
	assert_int_equal(r.len, 4);
	assert_int_equal(rsp_iin(&r), DNP3_IIN1_DEVICE_RESTART);
}

static void
update_analog(uint32_t index, double value)
{
	update_point(os, PT_ANALOG_INPUT, index,
	    (struct point_value){ .analog = value }, T0);
}

static void
test_null_after_connect(void **state)
{
	(void)state;
	outstation_tick(os, 100, &out);
	assert_int_equal(out.len, 0);	/* no master yet */
	assert_int_equal(outstation_deadline(os), 0);
	outstation_connection_reset(os);
	assert_int_equal(outstation_deadline(os), 1);	/* due at once */
	outstation_tick(os, 200, &out);
	ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
	assert_int_equal(out.deadline_ms, 5200);
	uns_confirm(0, 300);
	assert_int_equal(r.deadline, 0);	/* no class enabled */
	outstation_tick(os, 6000, &out);
	assert_int_equal(out.len, 0);
}

static void
test_retries_then_holdoff(void **state)
{
	(void)state;
	outstation_connection_reset(os);
	outstation_tick(os, 1000, &out);
	ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
	outstation_tick(os, 5999, &out);
	assert_int_equal(out.len, 0);
	outstation_tick(os, 6000, &out);	/* retry 1 */
	ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
	outstation_tick(os, 11000, &out);	/* retry 2 */
	ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
	outstation_tick(os, 16000, &out);	/* given up */
	assert_int_equal(out.len, 0);
	assert_int_equal(out.deadline_ms, 21000);
	outstation_tick(os, 20999, &out);
	assert_int_equal(out.len, 0);
	outstation_tick(os, 21000, &out);	/* a new series, new seq */
	ASSERT_OUT(0xf1, 0x82, 0x80, 0x00);
	/* A late confirm of the old one changes nothing. */
	uns_confirm(0, 21100);
	assert_int_equal(outstation_deadline(os), 26000);
	uns_confirm(1, 21200);
	assert_int_equal(outstation_deadline(os), 0);
}

static void
test_events_of_enabled_classes(void **state)
{
	struct point_value v = { .binary = 1 };
	(void)state;
	connect_and_enable(1000);
	update_analog(0, 42);
	assert_int_equal(outstation_deadline(os), 1);
	outstation_tick(os, 2000, &out);
	ASSERT_OUT(0xf1, 0x82, 0x80, 0x00, 0x20, 0x01, 0x28, 0x01, 0x00,
	    0x00, 0x00, 0x01, 0x2a, 0x00, 0x00, 0x00);
	/* A solicited confirm of that sequence is another matter. */
	confirm(os, &r, 1, 2100);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 1);
	uns_confirm(1, 2200);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	/* Class 2 is not enabled: a binary output event waits for a read. */
	assert_int_equal(outstation_update(os, PT_BINARY_OUTPUT, 0, &v,
	    DB_FLAG_ONLINE, T0), 0);
	assert_int_equal(outstation_deadline(os), 0);
	/* Until the master enables it, and then disables class 1 again. */
	REQ(os, &r, 3000, 0xc2, 0x14, 0x3c, 0x03, 0x06);
	assert_int_equal(r.deadline, 1);
	REQ(os, &r, 3100, 0xc3, 0x15, 0x3c, 0x02, 0x06);
	update_analog(1, 100);
	outstation_tick(os, 3200, &out);
	assert_int_equal(out.len, 4 + 5 + 2 + 7);	/* g11v2: flags, time */
	assert_int_equal(out.data[4], 11);
	assert_int_equal(out.data[2], 0x82);	/* class 1 still waiting */
}

static void
test_solicited_goes_first(void **state)
{
	(void)state;
	connect_and_enable(1000);
	update_analog(0, 42);
	outstation_tick(os, 2000, &out);	/* unsolicited seq 1 out */
	assert_int_equal(out.len, 16);
	/* A class 1 read meanwhile does not carry the events in flight. */
	REQ(os, &r, 2100, 0xc2, 0x01, 0x3c, 0x02, 0x06);
	const uint8_t empty[] = { 0xc2, 0x81, 0x80, 0x00 };
	assert_int_equal(r.len, sizeof(empty));
	assert_memory_equal(r.b, empty, sizeof(empty));
	uns_confirm(1, 2200);
	/* A solicited response awaiting its confirm holds new ones back. */
	update_analog(1, 100);
	REQ(os, &r, 2300, 0xc3, 0x01, 0x3c, 0x02, 0x06);
	assert_int_equal(r.b[0], 0xe3);
	assert_int_equal(r.deadline, 7300);
	update_analog(2, 100);
	assert_int_equal(outstation_deadline(os), 7300);
	outstation_tick(os, 2400, &out);
	assert_int_equal(out.len, 0);
	confirm(os, &r, 3, 2500);
	assert_int_equal(r.deadline, 1);
	outstation_tick(os, 2600, &out);
	ASSERT_OUT(0xf2, 0x82, 0x80, 0x00, 0x20, 0x01, 0x28, 0x01, 0x00,
	    0x02, 0x00, 0x01, 0x64, 0x00, 0x00, 0x00);
}

static void
test_not_configured(void **state)
{
	struct outstation_params cfg;
	(void)state;
	outstation_free(os);
	cfg_default(&cfg, 10);
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_connection_reset(os);
	assert_int_equal(outstation_deadline(os), 0);
	outstation_tick(os, 100, &out);
	assert_int_equal(out.len, 0);
	REQ(os, &r, 200, 0xc1, 0x14, 0x3c, 0x02, 0x06);
	const uint8_t want[] = { 0xc1, 0x81, 0x80, 0x01 };
	assert_int_equal(r.len, sizeof(want));
	assert_memory_equal(r.b, want, sizeof(want));
	/*
	 * DISABLE_UNSOLICITED, which masters send on every connect, asks
	 * for what holds already: done, no IIN2.0.
	 */
	REQ(os, &r, 300, 0xc2, 0x15, 0x3c, 0x02, 0x06, 0x3c, 0x03, 0x06,
	    0x3c, 0x04, 0x06);
	const uint8_t done[] = { 0xc2, 0x81, 0x80, 0x00 };
	assert_int_equal(r.len, sizeof(done));
	assert_memory_equal(r.b, done, sizeof(done));
	/* Its objects are still checked: g60v1 is no unsolicited class. */
	REQ(os, &r, 400, 0xc3, 0x15, 0x3c, 0x01, 0x06);
	const uint8_t bad[] = { 0xc3, 0x81, 0x80, 0x02 };
	assert_int_equal(r.len, sizeof(bad));
	assert_memory_equal(r.b, bad, sizeof(bad));
	outstation_tick(os, 500, &out);
	assert_int_equal(out.len, 0);
	assert_int_equal(outstation_deadline(os), 0);
}

/* retries = -1: the same response again and again, never given up. */
static void
test_retries_forever(void **state)
{
	struct outstation_params cfg;
	(void)state;
	outstation_free(os);
	cfg_default(&cfg, 10);
	cfg.unsol_enabled = true;
	cfg.unsol_retries = -1;
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_connection_reset(os);
	outstation_tick(os, 1000, &out);
	ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
	for (uint64_t i = 1; i <= 50; i++) {
		outstation_tick(os, 1000 + i * 5000, &out);
		ASSERT_OUT(0xf0, 0x82, 0x80, 0x00);
		assert_int_equal(out.deadline_ms, 1000 + (i + 1) * 5000);
	}
	uns_confirm(0, 300000);
	assert_int_equal(outstation_deadline(os), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_null_after_connect,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_retries_then_holdoff,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_events_of_enabled_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_solicited_goes_first,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_configured,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_retries_forever,
		    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
