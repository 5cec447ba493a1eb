/*
 * The readable line dnp3-events prints for a bus message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "bus/event.h"
#include "bus/format.h"

#define T0	1795519800123LL	/* 2026-11-24T11:30:00.123Z */

static char line[512];

static int
fmt(const char *msg)
{
	return bus_format_line(msg, strlen(msg), T0, line, sizeof(line));
}

static void
test_event_line(void **state)
{
	struct bus_event ev = { .type = BUS_EV_CONNECTED, .source = "feeder-1",
	    .seq = 3, .time_ms = T0, .outstation = "feeder-1",
	    .endpoint = "127.0.0.1:20000", .peer = "127.0.0.2:40000" };
	char msg[BUS_EVENT_MAX];
	int n;

	(void)state;
	assert_true(bus_event_encode(&ev, msg, sizeof(msg)) > 0);
	n = fmt(msg);
	assert_string_equal(line, "2026-11-24T11:30:00.123Z feeder-1 "
	    "connected peer=127.0.0.2:40000 endpoint=127.0.0.1:20000");
	assert_int_equal(n, strlen(line));
}

/* restarted: the kind, and state_kept of a process restart. */
static void
test_restarted_line(void **state)
{
	struct bus_event ev = { .type = BUS_EV_RESTARTED, .source = "feeder-1",
	    .seq = 4, .time_ms = T0, .outstation = "feeder-1",
	    .endpoint = "127.0.0.1:20000", .peer = "127.0.0.2:40000",
	    .u.restarted.kind = BUS_RESTART_COLD };
	char msg[BUS_EVENT_MAX];

	(void)state;
	assert_true(bus_event_encode(&ev, msg, sizeof(msg)) > 0);
	fmt(msg);
	assert_string_equal(line, "2026-11-24T11:30:00.123Z feeder-1 "
	    "restarted peer=127.0.0.2:40000 endpoint=127.0.0.1:20000 "
	    "kind=cold");
	ev.peer = ev.endpoint = NULL;
	ev.u.restarted.kind = BUS_RESTART_PROCESS;
	assert_true(bus_event_encode(&ev, msg, sizeof(msg)) > 0);
	fmt(msg);
	assert_string_equal(line, "2026-11-24T11:30:00.123Z feeder-1 "
	    "restarted kind=process state_kept=false");
}

static void
test_listener_event_and_quotes(void **state)
{
	(void)state;
	fmt("{\"event\":\"worker_exited\",\"time\":\"2026-11-24T11:30:01.000Z\","
	    "\"source\":\"listener\",\"seq\":9,\"outstation\":\"feeder-2\","
	    "\"pid\":77,\"signal\":\"SIGSYS\",\"reason\":\"seccomp violation\"}");
	assert_string_equal(line, "2026-11-24T11:30:01.000Z feeder-2 "
	    "worker_exited source=listener pid=77 signal=SIGSYS "
	    "reason=\"seccomp violation\"");
	fmt("{\"event\":\"rejected\",\"source\":\"listener\","
	    "\"time\":\"2026-11-24T11:30:01.000Z\",\"peer\":\"10.0.0.9:1\"}");
	assert_string_equal(line, "2026-11-24T11:30:01.000Z listener rejected "
	    "peer=10.0.0.9:1");
}

static void
test_op_message_uses_now(void **state)
{
	(void)state;
	fmt("{\"op\":\"update\",\"outstation\":\"feeder-1\",\"type\":"
	    "\"analog_input\",\"index\":3,\"value\":12.5,\"flags\":"
	    "[\"online\",\"over_range\"],\"time\":1764000000000}");
	assert_string_equal(line, "2026-11-24T11:30:00.123Z feeder-1 update "
	    "type=analog_input index=3 value=12.5 flags=online,over_range "
	    "time=1764000000000");
	fmt("{\"op\":\"update\",\"outstation\":\"f\",\"updates\":"
	    "[{\"type\":\"counter\",\"index\":1,\"value\":2}]}");
	assert_string_equal(line, "2026-11-24T11:30:00.123Z f update "
	    "updates=[{\"type\":\"counter\",\"index\":1,\"value\":2}]");
}

static void
test_hostile_text_is_quoted(void **state)
{
	(void)state;
	fmt("{\"event\":\"x\\u001b[2J\",\"outstation\":\"a b\",\"k\\n\":\"\"}");
	assert_string_equal(line, "2026-11-24T11:30:00.123Z \"a b\" "
	    "\"x\\u001B[2J\" \"k\\n\"=\"\"");
	assert_null(strchr(line, '\033'));
}

static void
test_not_an_object(void **state)
{
	(void)state;
	assert_int_equal(fmt("not json"), -1);
	assert_int_equal(fmt("[1]"), -1);
	assert_int_equal(fmt("{}"), (int)strlen("2026-11-24T11:30:00.123Z - ?"));
	assert_string_equal(line, "2026-11-24T11:30:00.123Z - ?");
}

static void
test_long_line_is_cut(void **state)
{
	char msg[2048], small[64];
	int n;

	(void)state;
	memset(msg, 0, sizeof(msg));
	strcpy(msg, "{\"event\":\"error\",\"detail\":\"");
	memset(msg + strlen(msg), 'a', 1000);
	strcat(msg, "\"}");
	n = bus_format_line(msg, strlen(msg), T0, small, sizeof(small));
	assert_int_equal(n, sizeof(small) - 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_string_equal(small + sizeof(small) - 4, "...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_line),
		cmocka_unit_test(test_restarted_line),
		cmocka_unit_test(test_listener_event_and_quotes),
		cmocka_unit_test(test_op_message_uses_now),
		cmocka_unit_test(test_hostile_text_is_quoted),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_long_line_is_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
