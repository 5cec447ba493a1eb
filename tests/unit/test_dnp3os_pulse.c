/* libs: dnp3app */
/*
 * Pulse outputs of controls = "echo" (dnp3/outstation/pulse.c), on a fake
 * clock: the status a master reads and the g11 events it gets for
 * pulse_on and pulse_off trains, each change at its own time and
 * stamped with it, the deadline that drives the ticks, a second control
 * on a pulsing output (ALREADY_ACTIVE, the train untouched), count 0
 * (SUCCESS, nothing done), the caps (OUT_OF_RANGE) and a cold restart.
 */
#include "test_dnp3os_helpers.h"

static struct rsp r;
static struct outstation *os;
static uint8_t seq;

#define CLOCK	(T0 + 1000000)	/* DNP3 time at now_ms 0 */

static void
make(void)
{
	struct outstation_params cfg;

	cfg_default(&cfg, 10);
	os = outstation_new(&cfg);
	assert_non_null(os);
	time_synced(os);
	outstation_set_time(os, 0, CLOCK);
	seq = 0;
}

static int
teardown(void **state)
{
	(void)state;
	outstation_free(os);
	return 0;
}

/* One CROB (g12v1, qualifier 0x28) with function func; its status. */
static uint8_t
crob(uint8_t func, uint32_t idx, uint8_t code, uint8_t count,
    uint32_t on_ms, uint32_t off_ms, uint64_t now)
{
	uint8_t q[2 + 5 + 13] = { (uint8_t)(0xc0 | (seq++ & 0x0f)), func,
	    0x0c, 0x01, 0x28, 0x01, 0x00, (uint8_t)idx, 0x00, code, count };

	for (int i = 0; i < 4; i++) {
		q[11 + i] = (uint8_t)(on_ms >> (8 * i));
		q[15 + i] = (uint8_t)(off_ms >> (8 * i));
	}
	req(os, &r, q, sizeof(q), now);
	assert_int_equal(r.len, 4 + sizeof(q) - 2);
	return r.b[r.len - 1];
}

static uint8_t
operate(uint32_t idx, uint8_t code, uint8_t count, uint32_t on_ms,
    uint32_t off_ms, uint64_t now)
{
	return crob(DNP3_FC_DIRECT_OPERATE, idx, code, count, on_ms, off_ms,
	    now);
}

static bool
output(uint32_t idx)
{
	return outstation_db(os)->points[PT_BINARY_OUTPUT][idx].v.bits & 1;
}

/* A tick at now: nothing to send; returns the next deadline. */
static uint64_t
tick(uint64_t now)
{
	struct os_output out;

	outstation_tick(os, now, &out);
	assert_int_equal(out.len, 0);
	return out.deadline_ms;
}

/*
 * The master's READ of g11v2 (with time) at now: the events it gets in
 * order, compared with n (value, now_ms of the change) pairs; confirmed.
 */
static void
events_are(uint64_t now, int n, const uint64_t want[][2])
{
	struct hdr h[4];
	uint32_t index;

	REQ(os, &r, now, (uint8_t)(0xc0 | (seq++ & 0x0f)), 0x01, 0x0b, 0x02,
	    0x06);
	if (n == 0) {
		assert_int_equal(r.len, 4);
		return;
	}
	assert_int_equal(rsp_headers(&r, h, 4), 1);
	assert_int_equal(h[0].group, 11);
	assert_int_equal(h[0].variation, 2);
	assert_int_equal(h[0].count, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		union dnp3_obj o = hdr_obj(&h[0], (uint32_t)i, &index);

		assert_int_equal(index, 1);
		assert_int_equal((int)o.point.value, (int)want[i][0]);
		assert_int_equal(o.point.time_ms, CLOCK + want[i][1]);
	}
	confirm(os, &r, r.b[0], now);
}

/* pulse_on, count 2, on 200 ms, off 300 ms: on off on off, rests off. */
static void
test_pulse_on(void **state)
{
	static const uint64_t want[][2] = { { 1, 1000 }, { 0, 1200 },
	    { 1, 1500 }, { 0, 1700 } };

	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 2, 200, 300, 1000),
	    DNP3_CS_SUCCESS);
	assert_true(output(1));
	assert_int_equal(r.deadline, 1200);
	assert_int_equal(outstation_deadline(os), 1200);
	assert_int_equal(tick(1199), 1200);
	assert_true(output(1));
	assert_int_equal(tick(1200), 1500);
	assert_false(output(1));
	assert_int_equal(tick(1500), 1700);
	assert_true(output(1));
	assert_int_equal(tick(1700), 0);
	assert_false(output(1));
	assert_int_equal(tick(5000), 0);
	events_are(6000, 4, want);
}

/* pulse_off from on: off for off_ms, on for on_ms, count 2; rests on. */
static void
test_pulse_off(void **state)
{
	static const uint64_t want[][2] = { { 1, 10 }, { 0, 1000 },
	    { 1, 1050 }, { 0, 1150 }, { 1, 1200 } };

	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_LATCH_ON, 1, 0, 0, 10),
	    DNP3_CS_SUCCESS);
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_OFF, 2, 100, 50, 1000),
	    DNP3_CS_SUCCESS);
	assert_false(output(1));
	assert_int_equal(tick(1050), 1150);
	assert_int_equal(tick(1150), 1200);
	assert_int_equal(tick(1200), 0);
	assert_true(output(1));
	events_are(2000, 5, want);
}

/* A late tick makes every change that is due, each with its own time. */
static void
test_late_tick(void **state)
{
	static const uint64_t want[][2] = { { 1, 100 }, { 0, 110 },
	    { 1, 130 }, { 0, 140 }, { 1, 160 }, { 0, 170 } };

	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 3, 10, 20, 100),
	    DNP3_CS_SUCCESS);
	assert_int_equal(tick(10000), 0);
	assert_false(output(1));
	events_are(10000, 6, want);
}

/*
 * While a train runs, a CROB that would change its output gets
 * ALREADY_ACTIVE (pulse, latch, SELECT alike) and the train goes on; the
 * other outputs are free; after its end the output takes controls again.
 */
static void
test_second_pulse(void **state)
{
	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 1, 500, 500, 0),
	    DNP3_CS_SUCCESS);
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 1, 100, 100, 100),
	    DNP3_CS_ALREADY_ACTIVE);
	assert_int_equal(operate(1, DNP3_CROB_OP_LATCH_OFF, 1, 0, 0, 150),
	    DNP3_CS_ALREADY_ACTIVE);
	assert_int_equal(crob(DNP3_FC_SELECT, 1, DNP3_CROB_OP_PULSE_OFF, 1,
	    100, 100, 200), DNP3_CS_ALREADY_ACTIVE);
	assert_int_equal(operate(1, DNP3_CROB_OP_NUL, 1, 0, 0, 250),
	    DNP3_CS_SUCCESS);
	assert_true(output(1));
	assert_int_equal(outstation_deadline(os), 500);
	assert_int_equal(operate(2, DNP3_CROB_OP_PULSE_ON, 1, 100, 100, 300),
	    DNP3_CS_SUCCESS);
	assert_int_equal(tick(400), 500);
	assert_int_equal(tick(500), 0);
	assert_false(output(1));
	assert_int_equal(operate(1, DNP3_CROB_OP_LATCH_ON, 1, 0, 0, 600),
	    DNP3_CS_SUCCESS);
	assert_true(output(1));
}

/* Count 0: no operation, answered SUCCESS; nothing changes or runs. */
static void
test_count_zero(void **state)
{
	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 0, 100, 100, 10),
	    DNP3_CS_SUCCESS);
	assert_false(output(1));
	assert_int_equal(outstation_deadline(os), 0);
	assert_int_equal(outstation_events_pending(os, PT_BINARY_OUTPUT), 0);
}

/* Over the caps: OUT_OF_RANGE, nothing runs; at the caps: it runs. */
static void
test_caps(void **state)
{
	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 1,
	    OS_PULSE_MS_MAX + 1, 0, 10), DNP3_CS_OUT_OF_RANGE);
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_OFF, 1, 0,
	    OS_PULSE_MS_MAX + 1, 10), DNP3_CS_OUT_OF_RANGE);
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON,
	    OS_PULSE_COUNT_MAX + 1, 10, 10, 10), DNP3_CS_OUT_OF_RANGE);
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 255, 1, 1, 10),
	    DNP3_CS_OUT_OF_RANGE);
	assert_false(output(1));
	assert_int_equal(outstation_deadline(os), 0);
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, OS_PULSE_COUNT_MAX,
	    OS_PULSE_MS_MAX, OS_PULSE_MS_MAX, 10), DNP3_CS_SUCCESS);
	assert_int_equal(outstation_deadline(os), 10 + OS_PULSE_MS_MAX);
	/* A latch with a long time is not a pulse: no cap. */
	assert_int_equal(operate(2, DNP3_CROB_OP_LATCH_ON, 1,
	    UINT32_MAX, UINT32_MAX, 20), DNP3_CS_SUCCESS);
}

/* A cold restart stops the trains; a warm one lets them run. */
static void
test_restarts(void **state)
{
	(void)state;
	make();
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 1, 100, 100, 0),
	    DNP3_CS_SUCCESS);
	REQ(os, &r, 10, (uint8_t)(0xc0 | seq++), DNP3_FC_WARM_RESTART);
	assert_int_equal(outstation_deadline(os), 100);
	REQ(os, &r, 20, (uint8_t)(0xc0 | seq++), DNP3_FC_COLD_RESTART);
	assert_int_equal(outstation_deadline(os), 0);
	assert_false(output(1));
	assert_int_equal(operate(1, DNP3_CROB_OP_PULSE_ON, 1, 100, 100, 30),
	    DNP3_CS_SUCCESS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pulse_on, teardown),
		cmocka_unit_test_teardown(test_pulse_off, teardown),
		cmocka_unit_test_teardown(test_late_tick, teardown),
		cmocka_unit_test_teardown(test_second_pulse, teardown),
		cmocka_unit_test_teardown(test_count_zero, teardown),
		cmocka_unit_test_teardown(test_caps, teardown),
		cmocka_unit_test_teardown(test_restarts, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
