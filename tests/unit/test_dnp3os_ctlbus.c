/* libs: dnp3app */
/*
 * The control hook: reports of every control object and its status, and
 * with controls = "bus" the requests an application answers, the
 * response that waits for the answers, and TIMEOUT when they do not come.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;
static struct os_output out;

#define NSEEN	8
static struct os_control seen[NSEEN];
static int nseen;

static void
hook(void *arg, const struct os_control *c)
{
	assert_ptr_equal(arg, &nseen);
	assert_true(nseen < NSEEN);
	seen[nseen++] = *c;
}

#define ASSERT_BYTES(p, n, ...) do {					\
	const uint8_t want_[] = { __VA_ARGS__ };			\
	assert_int_equal((n), sizeof(want_));				\
	assert_memory_equal((p), want_, sizeof(want_));		\
} while (0)

/* g12v1 with 0x28, one CROB on index idx with code code, status st. */
#define CROB(idx, code, st) 0x0c, 0x01, 0x28, 0x01, 0x00, (idx), 0x00, \
	(code), 0x01, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, (st)
/* g41v2 with 0x17: AO idx to v (16-bit). */
#define AOB16(idx, v, st) 0x29, 0x02, 0x17, 0x01, (idx), (v), 0x00, (st)

static struct outstation *
make(enum control_mode mode, bool with_hook)
{
	struct outstation_params cfg;

	cfg_default(&cfg, 10);
	cfg.controls = mode;
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_load_demo_values(os, T0);
	if (with_hook)
		outstation_set_control_hook(os, hook, &nseen);
	nseen = 0;
	memset(seen, 0, sizeof(seen));
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
test_reports_in_echo_mode(void **state)
{
	(void)state;
	make(CONTROL_ECHO, true);
	REQ(os, &r, 100, 0xc1, 0x05, CROB(0, 0x03, 0), AOB16(12, 5, 0));
	ASSERT_BYTES(r.b, r.len, 0xc1, 0x81, 0x82, 0x00,
	    CROB(0, 0x03, 0), AOB16(12, 5, DNP3_CS_NOT_SUPPORTED));
	assert_int_equal(nseen, 2);
	assert_false(seen[0].request);
	assert_int_equal(seen[0].func, DNP3_FC_DIRECT_OPERATE);
	assert_int_equal(seen[0].type, PT_BINARY_OUTPUT);
	assert_int_equal(seen[0].index, 0);
	assert_int_equal(seen[0].crob.code, 0x03);
	assert_int_equal(seen[0].crob.on_ms, 100);
	assert_int_equal(seen[0].status, DNP3_CS_SUCCESS);
	assert_int_equal(seen[1].type, PT_ANALOG_OUTPUT);
	assert_int_equal(seen[1].index, 12);
	assert_true(seen[1].value == 5);
	assert_int_equal(seen[1].status, DNP3_CS_NOT_SUPPORTED);
}

static void
test_bus_answer(void **state)
{
	(void)state;
	make(CONTROL_BUS, true);
	REQ(os, &r, 100, 0xc1, 0x05, AOB16(1, 10, 0));
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);		/* waiting for the bus */
	assert_int_equal(r.deadline, 2100);	/* control_answer_ms */
	assert_int_equal(nseen, 1);
	assert_true(seen[0].request);
	assert_int_equal(seen[0].id, 1);
	assert_int_equal(seen[0].index, 1);
	assert_true(seen[0].value == 10);
	assert_int_equal(outstation_control_answer(os, 2, 0, 200, &out), -1);
	assert_int_equal(outstation_control_answer(os, 1, 0, 200, &out), 0);
	ASSERT_BYTES(out.data, out.len, 0xc1, 0x81, 0x80, 0x00,
	    AOB16(1, 10, 0));
	assert_int_equal(out.deadline_ms, 0);
	assert_int_equal(nseen, 2);
	assert_false(seen[1].request);
	assert_int_equal(seen[1].status, DNP3_CS_SUCCESS);
	/* The application, not the outstation, changes the status point. */
	assert_true(outstation_db(os)->points[PT_ANALOG_OUTPUT][1].v.analog
	    == 2.5);
	/* Answered once only; a repeat of the request gets the same echo. */
	assert_int_equal(outstation_control_answer(os, 1, 0, 300, &out), -1);
	REQ(os, &r, 400, 0xc1, 0x05, AOB16(1, 10, 0));
	ASSERT_BYTES(r.b, r.len, 0xc1, 0x81, 0x80, 0x00, AOB16(1, 10, 0));
}

/*
 * The master repeats the request (its response timeout) while the bus
 * has not answered: nothing is asked again, nothing sent yet, and the
 * one answer completes it.
 */
static void
test_bus_repeat_while_waiting(void **state)
{
	(void)state;
	make(CONTROL_BUS, true);
	REQ(os, &r, 100, 0xc1, 0x05, AOB16(1, 10, 0));
	assert_int_equal(r.len, 0);
	assert_int_equal(nseen, 1);
	REQ(os, &r, 1000, 0xc1, 0x05, AOB16(1, 10, 0));
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.deadline, 2100);	/* the first one's timer */
	assert_int_equal(nseen, 1);		/* not asked again */
	assert_int_equal(outstation_control_answer(os, 1, 0, 1100, &out), 0);
	ASSERT_BYTES(out.data, out.len, 0xc1, 0x81, 0x80, 0x00,
	    AOB16(1, 10, 0));
	/* A different request while waiting is a new one, asked anew. */
	REQ(os, &r, 3000, 0xc2, 0x05, AOB16(2, 10, 0));
	assert_int_equal(nseen, 3);
	assert_int_equal(seen[2].id, 2);
	REQ(os, &r, 3100, 0xc3, 0x05, AOB16(3, 10, 0));
	assert_int_equal(nseen, 4);
	assert_int_equal(seen[3].id, 3);
	assert_int_equal(outstation_control_answer(os, 2, 0, 3200, &out), -1);
	assert_int_equal(outstation_control_answer(os, 3, 0, 3200, &out), 0);
	ASSERT_BYTES(out.data, out.len, 0xc3, 0x81, 0x80, 0x00,
	    AOB16(3, 10, 0));
}

static void
test_bus_timeout(void **state)
{
	(void)state;
	make(CONTROL_BUS, true);
	REQ(os, &r, 100, 0xc2, 0x05, CROB(3, 0x41, 0), CROB(4, 0x81, 0));
	assert_int_equal(r.len, 0);
	assert_int_equal(nseen, 2);
	assert_int_equal(seen[0].id, 1);
	assert_int_equal(seen[1].id, 2);
	assert_int_equal(outstation_control_answer(os, 2, DNP3_CS_LOCAL, 200,
	    &out), 0);
	assert_int_equal(out.len, 0);		/* id 1 still open */
	/* control_answer_ms (default 2000), not select_ms (5000) */
	outstation_tick(os, 2099, &out);
	assert_int_equal(out.len, 0);
	outstation_tick(os, 2100, &out);
	ASSERT_BYTES(out.data, out.len, 0xc2, 0x81, 0x80, 0x00,
	    CROB(3, 0x41, DNP3_CS_TIMEOUT), CROB(4, 0x81, DNP3_CS_LOCAL));
	assert_int_equal(outstation_control_answer(os, 1, 0, 2200, &out), -1);
	assert_int_equal(outstation_deadline(os), 0);
}

static void
test_bus_select_operate(void **state)
{
	(void)state;
	make(CONTROL_BUS, true);
	REQ(os, &r, 100, 0xc3, 0x03, CROB(2, 0x03, 0));
	assert_int_equal(outstation_control_answer(os, 1, 0, 150, &out), 0);
	ASSERT_BYTES(out.data, out.len, 0xc3, 0x81, 0x80, 0x00,
	    CROB(2, 0x03, 0));
	REQ(os, &r, 200, 0xc4, 0x04, CROB(2, 0x03, 0));
	assert_int_equal(r.len, 0);
	assert_int_equal(seen[2].func, DNP3_FC_OPERATE);
	assert_int_equal(seen[2].id, 2);
	assert_int_equal(outstation_control_answer(os, 2, 0, 250, &out), 0);
	ASSERT_BYTES(out.data, out.len, 0xc4, 0x81, 0x80, 0x00,
	    CROB(2, 0x03, 0));
	/* An operate without its select is not even asked. */
	REQ(os, &r, 300, 0xc5, 0x04, CROB(2, 0x03, 0));
	ASSERT_BYTES(r.b, r.len, 0xc5, 0x81, 0x80, 0x00,
	    CROB(2, 0x03, DNP3_CS_NO_SELECT));
	assert_int_equal(nseen, 5);
	assert_false(seen[4].request);
}

static void
test_bus_without_hook_or_cancelled(void **state)
{
	(void)state;
	make(CONTROL_BUS, false);
	REQ(os, &r, 100, 0xc1, 0x05, AOB16(1, 10, 0));
	ASSERT_BYTES(r.b, r.len, 0xc1, 0x81, 0x80, 0x00,
	    AOB16(1, 10, DNP3_CS_NOT_SUPPORTED));
	outstation_set_control_hook(os, hook, &nseen);
	/* A new request while waiting: answered, the old wait is gone. */
	REQ(os, &r, 200, 0xc2, 0x06, AOB16(1, 10, 0));
	assert_int_equal(r.len, 0);
	REQ(os, &r, 300, 0xc3, 0x01, 0x3c, 0x01, 0x06);
	assert_true(r.len > 4);
	assert_int_equal(outstation_control_answer(os, 1, 0, 400, &out), -1);
	assert_int_equal(out.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_reports_in_echo_mode, teardown),
		cmocka_unit_test_teardown(test_bus_answer, teardown),
		cmocka_unit_test_teardown(test_bus_repeat_while_waiting,
		    teardown),
		cmocka_unit_test_teardown(test_bus_timeout, teardown),
		cmocka_unit_test_teardown(test_bus_select_operate, teardown),
		cmocka_unit_test_teardown(test_bus_without_hook_or_cancelled,
		    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
