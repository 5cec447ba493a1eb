/* libs: dnp3app */
/*
 * Application confirms: events leave only with the confirm of the response
 * that carried them; a timeout, a new request or a new master keeps them
 * for the next read; a repeated request gets the same answer again.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r, r2;
static struct outstation *os;

static int
setup(void **state)
{
	struct outstation_params cfg;
	struct point_value v = { .analog = 100 };
	(void)state;
	cfg_default(&cfg, 10);
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	/* Two class 1 events: analog input 1 and 2 to 100. */
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 1, &v,
	    DB_FLAG_ONLINE, T0 + 1), 0);
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 2, &v,
	    DB_FLAG_ONLINE, T0 + 2), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

/* READ class 1 with sequence seq at time now. */
static void
read_class1(struct rsp *out, uint8_t seq, uint64_t now)
{
	REQ(os, out, now, (uint8_t)(0xc0 | seq), 0x01, 0x3c, 0x02, 0x06);
	assert_int_equal(out->ret, 0);
}

/* The two events as they go out: g32v1 index 1 and 2, value 100. */
static const uint8_t events_body[] = {
	0x20, 0x01, 0x28, 0x02, 0x00,
	0x01, 0x00, 0x01, 0x64, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x01, 0x64, 0x00, 0x00, 0x00,
};

static void
assert_events_response(const struct rsp *x, uint8_t seq)
{
	assert_int_equal(x->len, 4 + sizeof(events_body));
	assert_int_equal(x->b[0], 0xe0 | seq);	/* FIR FIN CON */
	assert_int_equal(x->b[1], 0x81);
	assert_int_equal(x->b[2], 0x80);	/* restart; class 1 all sent */
	assert_int_equal(x->b[3], 0x00);
	assert_memory_equal(x->b + 4, events_body, sizeof(events_body));
}

static void
test_confirm_removes_events(void **state)
{
	(void)state;
	read_class1(&r, 3, 1000);
	assert_events_response(&r, 3);
	assert_int_equal(r.deadline, 1000 + 5000);
	assert_int_equal(outstation_deadline(os), 1000 + 5000);
	confirm(os, &r, 3, 1100);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.deadline, 0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	read_class1(&r, 4, 1200);
	const uint8_t empty[] = { 0xc4, 0x81, 0x80, 0x00 };
	assert_int_equal(r.len, sizeof(empty));
	assert_memory_equal(r.b, empty, sizeof(empty));
}

static void
test_wrong_sequence_ignored(void **state)
{
	(void)state;
	read_class1(&r, 3, 1000);
	confirm(os, &r, 4, 1100);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.deadline, 6000);	/* still waiting */
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 2);
	/* An unsolicited confirm (UNS) is not ours either. */
	const uint8_t uns[] = { 0xd3, 0x00 };
	req(os, &r, uns, sizeof(uns), 1150);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 2);
	confirm(os, &r, 3, 1200);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
}

static void
test_timeout_keeps_events(void **state)
{
	struct os_output out;
	(void)state;
	read_class1(&r, 3, 1000);
	assert_true(rsp_iin(&r) == DNP3_IIN1_DEVICE_RESTART);
	outstation_tick(os, 5999, &out);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.deadline_ms, 6000);
	outstation_tick(os, 6000, &out);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.deadline_ms, 0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 2);
	assert_true(outstation_iin(os) & DNP3_IIN1_CLASS1_EVENTS);
	/* A late confirm changes nothing. */
	confirm(os, &r2, 3, 6100);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 2);
	/* The next read sends the same events again. */
	read_class1(&r2, 4, 7000);
	assert_events_response(&r2, 4);
	confirm(os, &r2, 4, 7100);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
}

static void
test_new_request_cancels_wait(void **state)
{
	(void)state;
	read_class1(&r, 3, 1000);
	/* A static read meanwhile: answered at once, no CON. */
	REQ(os, &r2, 1100, 0xc4, 0x01, 0x1e, 0x01, 0x00, 0x00, 0x00);
	const uint8_t want[] = { 0xc4, 0x81, 0x82, 0x00, 0x1e, 0x01, 0x00,
	    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 };
	assert_int_equal(r2.len, sizeof(want));
	assert_memory_equal(r2.b, want, sizeof(want));	/* IIN1.1 again */
	assert_int_equal(r2.deadline, 0);
	confirm(os, &r2, 3, 1200);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 2);
	read_class1(&r2, 5, 1300);
	assert_events_response(&r2, 5);
}

static void
test_connection_reset_keeps_events(void **state)
{
	(void)state;
	read_class1(&r, 3, 1000);
	outstation_connection_reset(os);
	assert_int_equal(outstation_deadline(os), 0);
	confirm(os, &r2, 3, 1100);	/* the old master's confirm: too late */
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 2);
	/* The new master may start with the same sequence and bytes. */
	read_class1(&r2, 3, 1200);
	assert_events_response(&r2, 3);
	confirm(os, &r2, 3, 1300);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	assert_true(outstation_iin(os) & DNP3_IIN1_DEVICE_RESTART);
}

static void
test_duplicate_answered_identically(void **state)
{
	struct point_value v = { .analog = 42 };
	(void)state;
	REQ(os, &r, 1000, 0xc7, 0x01, 0x1e, 0x01, 0x00, 0x05, 0x05);
	assert_int_equal(r.len, 14);
	assert_int_equal(r.b[10], 0x08);	/* 7.5 rounds to 8 */
	assert_int_equal(outstation_update(os, PT_ANALOG_INPUT, 5, &v,
	    DB_FLAG_ONLINE, T0 + 3), 0);
	/* The same bytes again: the same answer, not a new read. */
	REQ(os, &r2, 1100, 0xc7, 0x01, 0x1e, 0x01, 0x00, 0x05, 0x05);
	assert_int_equal(r2.len, r.len);
	assert_memory_equal(r2.b, r.b, r.len);
	/* A new sequence reads again: 42, and now three events wait. */
	REQ(os, &r2, 1200, 0xc8, 0x01, 0x1e, 0x01, 0x00, 0x05, 0x05);
	assert_int_equal(r2.b[0], 0xc8);
	assert_int_equal(r2.b[2], 0x82);
	assert_int_equal(r2.b[10], 42);
	/* A repeated event read while the confirm is awaited. */
	read_class1(&r, 9, 1300);
	read_class1(&r2, 9, 1400);
	assert_int_equal(r2.len, r.len);
	assert_memory_equal(r2.b, r.b, r.len);
	confirm(os, &r2, 9, 1500);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_confirm_removes_events,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_sequence_ignored,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_keeps_events,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_request_cancels_wait,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_connection_reset_keeps_events, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_duplicate_answered_identically, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
