/*
 * Event encoding, field by field: every event is parsed back with jansson
 * and its fields compared with what a bus client must see.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "bus/event.h"
#include "bus/update.h"

/* 2026-11-24T11:30:00.123Z */
#define T0	1795519800123LL

static json_t *
encode(struct bus_event *ev)
{
	char buf[BUS_EVENT_MAX];
	json_t *o;
	int n;

	if (ev->source == NULL)
		ev->source = "feeder-1";
	if (ev->time_ms == 0)
		ev->time_ms = T0;
	n = bus_event_encode(ev, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(strlen(buf), n);
	o = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(o);
	assert_true(json_is_object(o));
	return o;
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void
test_time_format(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(bus_format_time(T0, buf, sizeof(buf)), 24);
	assert_string_equal(buf, "2026-11-24T11:30:00.123Z");
	assert_int_equal(bus_format_time(0, buf, sizeof(buf)), 24);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	assert_int_equal(bus_format_time(-1, buf, sizeof(buf)), 24);
	assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
	assert_int_equal(bus_format_time(T0, buf, 24), -1);	/* no room */
}

static void
test_connected_common_fields(void **state)
{
	struct bus_event ev = { .type = BUS_EV_CONNECTED, .seq = 42,
	    .outstation = "feeder-1", .endpoint = "127.0.0.1:20000",
	    .peer = "127.0.0.2:40000" };
	json_t *o;

	(void)state;
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "connected");
	assert_string_equal(str(o, "time"), "2026-11-24T11:30:00.123Z");
	assert_string_equal(str(o, "source"), "feeder-1");
	assert_int_equal(num(o, "seq"), 42);
	assert_string_equal(str(o, "outstation"), "feeder-1");
	assert_string_equal(str(o, "endpoint"), "127.0.0.1:20000");
	assert_string_equal(str(o, "peer"), "127.0.0.2:40000");
	assert_int_equal(json_object_size(o), 7);
	json_decref(o);
}

static void
test_disconnected_reasons(void **state)
{
	static const char *const want[BUS_DISC_COUNT] = {
		"replaced", "closed by peer", "link error",
		"keep-alive timeout", "shutdown", "worker died",
		"socket error", "master not reading", "reconfigured",
		"removed"
	};
	struct bus_event ev = { .type = BUS_EV_DISCONNECTED,
	    .outstation = "feeder-1" };
	char buf[BUS_EVENT_MAX];
	json_t *o;
	int r;

	(void)state;
	for (r = 0; r < BUS_DISC_COUNT; r++) {
		ev.u.disconnected.reason = r;
		o = encode(&ev);
		assert_string_equal(str(o, "event"), "disconnected");
		assert_string_equal(str(o, "reason"), want[r]);
		assert_null(json_object_get(o, "peer"));
		json_decref(o);
	}
	ev.u.disconnected.reason = BUS_DISC_COUNT;
	assert_int_equal(bus_event_encode(&ev, buf, sizeof(buf)), -1);
}

/* kind always; state_kept only for a process restart. */
static void
test_restarted_kinds(void **state)
{
	static const char *const want[BUS_RESTART_COUNT] = {
		"cold", "warm", "process"
	};
	struct bus_event ev = { .type = BUS_EV_RESTARTED,
	    .outstation = "feeder-1" };
	char buf[BUS_EVENT_MAX];
	json_t *o;
	int k;

	(void)state;
	for (k = 0; k < BUS_RESTART_COUNT; k++) {
		ev.u.restarted.kind = k;
		ev.u.restarted.state_kept = 1;
		o = encode(&ev);
		assert_string_equal(str(o, "event"), "restarted");
		assert_string_equal(str(o, "kind"), want[k]);
		if (k == BUS_RESTART_PROCESS)
			assert_true(json_is_true(json_object_get(o,
			    "state_kept")));
		else
			assert_null(json_object_get(o, "state_kept"));
		json_decref(o);
	}
	ev.u.restarted.state_kept = 0;
	o = encode(&ev);	/* still "process" */
	assert_true(json_is_false(json_object_get(o, "state_kept")));
	json_decref(o);
	ev.u.restarted.kind = BUS_RESTART_COUNT;
	assert_int_equal(bus_event_encode(&ev, buf, sizeof(buf)), -1);
}

static void
test_rejected_from_listener(void **state)
{
	struct bus_event ev = { .type = BUS_EV_REJECTED, .source = "listener",
	    .endpoint = "[::]:20000", .peer = "[2001:db8::7]:5000" };
	json_t *o;

	(void)state;
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "rejected");
	assert_string_equal(str(o, "source"), "listener");
	assert_string_equal(str(o, "reason"), "no filter matched");
	assert_string_equal(str(o, "peer"), "[2001:db8::7]:5000");
	assert_null(json_object_get(o, "outstation"));
	json_decref(o);
}

static void
test_worker_exited_status(void **state)
{
	struct bus_event ev = { .type = BUS_EV_WORKER_EXITED,
	    .source = "listener", .outstation = "feeder-2" };
	json_t *o;

	(void)state;
	ev.u.worker_exited.pid = 1234;
	ev.u.worker_exited.status = 3 << 8;	/* exit(3) */
	o = encode(&ev);
	assert_int_equal(num(o, "pid"), 1234);
	assert_int_equal(num(o, "exit_code"), 3);
	assert_null(json_object_get(o, "signal"));
	assert_null(json_object_get(o, "restart_in_ms"));
	json_decref(o);

	ev.u.worker_exited.status = SIGSYS;	/* killed by SIGSYS */
	ev.u.worker_exited.restart_ms = 2000;
	o = encode(&ev);
	assert_string_equal(str(o, "signal"), "SIGSYS");
	assert_int_equal(num(o, "signal_number"), SIGSYS);
	assert_string_equal(str(o, "reason"), "seccomp violation");
	assert_int_equal(num(o, "restart_in_ms"), 2000);
	assert_null(json_object_get(o, "exit_code"));
	assert_null(json_object_get(o, "core_dumped"));
	json_decref(o);

	/* A seccomp kill that dumped core says both. */
	ev.u.worker_exited.status = SIGSYS | WCOREFLAG;
	o = encode(&ev);
	assert_string_equal(str(o, "reason"), "seccomp violation");
	assert_true(json_is_true(json_object_get(o, "core_dumped")));
	json_decref(o);

	ev.u.worker_exited.status = SIGSEGV | WCOREFLAG;
	o = encode(&ev);
	assert_string_equal(str(o, "signal"), "SIGSEGV");
	assert_null(json_object_get(o, "reason"));
	assert_true(json_is_true(json_object_get(o, "core_dumped")));
	json_decref(o);

	ev.u.worker_exited.status = SIGKILL;
	o = encode(&ev);
	assert_string_equal(str(o, "signal"), "SIGKILL");
	assert_null(json_object_get(o, "reason"));
	json_decref(o);
}

static void
test_worker_started(void **state)
{
	struct bus_event ev = { .type = BUS_EV_WORKER_STARTED,
	    .source = "listener", .outstation = "feeder-1" };
	json_t *o;

	(void)state;
	ev.u.worker_started.pid = 77;
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "worker_started");
	assert_int_equal(num(o, "pid"), 77);
	json_decref(o);
}

static void
test_link_error_closed_or_discarded(void **state)
{
	struct bus_event ev = { .type = BUS_EV_LINK_ERROR,
	    .outstation = "feeder-1", .peer = "127.0.0.2:40000" };
	json_t *o;

	(void)state;
	ev.u.link_error.what = "bad CRC in header";
	ev.u.link_error.closed = 1;
	o = encode(&ev);
	assert_string_equal(str(o, "what"), "bad CRC in header");
	assert_string_equal(str(o, "action"), "closed");
	assert_null(json_object_get(o, "discarded"));
	json_decref(o);

	ev.u.link_error.closed = 0;
	ev.u.link_error.discarded = 17;
	o = encode(&ev);
	assert_string_equal(str(o, "action"), "discarded");
	assert_int_equal(num(o, "discarded"), 17);
	json_decref(o);
}

static void
test_control_crob_and_analog(void **state)
{
	struct bus_event ev = { .type = BUS_EV_CONTROL,
	    .outstation = "feeder-1", .peer = "127.0.0.2:40000" };
	json_t *o;

	(void)state;
	ev.u.control = (struct bus_control){ .function = "select",
	    .type = PT_BINARY_OUTPUT, .index = 2, .op = "latch_on",
	    .count = 1, .on_ms = 100, .off_ms = 0, .status = 0 };
	o = encode(&ev);
	assert_string_equal(str(o, "function"), "select");
	assert_string_equal(str(o, "type"), "binary_output");
	assert_int_equal(num(o, "index"), 2);
	assert_string_equal(str(o, "op"), "latch_on");
	assert_int_equal(num(o, "count"), 1);
	assert_int_equal(num(o, "on_ms"), 100);
	assert_string_equal(str(o, "status"), "SUCCESS");
	assert_int_equal(num(o, "status_code"), 0);
	assert_null(json_object_get(o, "value"));
	assert_null(json_object_get(o, "id"));
	json_decref(o);

	ev.type = BUS_EV_CONTROL_REQUEST;
	ev.u.control = (struct bus_control){ .id = 9,
	    .function = "direct_operate", .type = PT_ANALOG_OUTPUT,
	    .index = 1, .value = -2.5 };
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "control_request");
	assert_int_equal(num(o, "id"), 9);
	assert_true(json_real_value(json_object_get(o, "value")) == -2.5);
	assert_null(json_object_get(o, "status"));
	assert_null(json_object_get(o, "op"));
	json_decref(o);
}

static void
test_error_event(void **state)
{
	struct bus_event ev = { .type = BUS_EV_ERROR, .outstation = "f1" };
	json_t *o;

	(void)state;
	ev.u.error.code = BUS_ERR_INDEX;
	ev.u.error.detail = "updates[1]: index out of range";
	ev.u.error.op = "update";
	ev.u.error.id = 12;
	o = encode(&ev);
	assert_string_equal(str(o, "error"), "index out of range");
	assert_string_equal(str(o, "detail"), "updates[1]: index out of range");
	assert_string_equal(str(o, "op"), "update");
	assert_int_equal(num(o, "id"), 12);
	json_decref(o);
	ev.u.error.id = -1;
	ev.u.error.detail = "bad \xff\xfe bytes";	/* not UTF-8 */
	o = encode(&ev);
	assert_null(json_object_get(o, "id"));
	assert_string_equal(str(o, "detail"), "bad ?? bytes");
	json_decref(o);
}

static void
test_pong(void **state)
{
	struct bus_event ev = { .type = BUS_EV_PONG, .source = "hub" };
	json_t *o;

	(void)state;
	ev.u.pong.id = 77;
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "pong");
	assert_string_equal(str(o, "source"), "hub");
	assert_int_equal(num(o, "id"), 77);
	assert_null(json_object_get(o, "outstation"));
	json_decref(o);
	ev.u.pong.id = -1;
	o = encode(&ev);
	assert_null(json_object_get(o, "id"));
	json_decref(o);
}

static void
test_reloaded_lists(void **state)
{
	static const char *started[] = { "feeder-3" };
	static const char *stopped[BUS_RELOAD_NAMES_MAX + 1];
	struct bus_event ev = { .type = BUS_EV_RELOADED,
	    .source = "listener" };
	json_t *o, *a;

	(void)state;
	for (size_t i = 0; i < BUS_RELOAD_NAMES_MAX + 1; i++)
		stopped[i] = "old-outstation-name";
	ev.u.reloaded.list[0] = started;
	ev.u.reloaded.count[0] = 1;
	ev.u.reloaded.list[2] = stopped;
	ev.u.reloaded.count[2] = BUS_RELOAD_NAMES_MAX + 1;
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "reloaded");
	a = json_object_get(o, "started");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_array_get(a, 0)),
	    "feeder-3");
	assert_int_equal(json_array_size(json_object_get(o, "restarted")), 0);
	assert_null(json_object_get(o, "started_count"));
	/* A long list is cut, its count says how long it was. */
	assert_int_equal(json_array_size(json_object_get(o, "stopped")),
	    BUS_RELOAD_NAMES_MAX);
	assert_int_equal(json_integer_value(json_object_get(o,
	    "stopped_count")), BUS_RELOAD_NAMES_MAX + 1);
	json_decref(o);
}

static void
test_reload_failed(void **state)
{
	struct bus_event ev = { .type = BUS_EV_RELOAD_FAILED,
	    .source = "listener" };
	char buf[BUS_EVENT_MAX];
	json_t *o;

	(void)state;
	assert_int_equal(bus_event_encode(&ev, buf, sizeof(buf)), -1);
	ev.u.reload_failed.reason = "/etc/dnp3d.conf:4: user: cannot change "
	    "while running";
	o = encode(&ev);
	assert_string_equal(str(o, "event"), "reload_failed");
	assert_string_equal(str(o, "reason"), ev.u.reload_failed.reason);
	json_decref(o);
}

static void
test_invalid_or_too_small(void **state)
{
	struct bus_event ev = { .type = BUS_EV_CONNECTED, .source = "f",
	    .time_ms = T0, .outstation = "feeder-1" };
	char buf[BUS_EVENT_MAX];
	int n;

	(void)state;
	n = bus_event_encode(&ev, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(bus_event_encode(&ev, buf, (size_t)n), -1);
	assert_int_equal(bus_event_encode(&ev, buf, (size_t)n + 1), n);
	ev.type = BUS_EV_COUNT;
	assert_int_equal(bus_event_encode(&ev, buf, sizeof(buf)), -1);
	ev.type = BUS_EV_CONNECTED;
	ev.source = NULL;
	assert_int_equal(bus_event_encode(&ev, buf, sizeof(buf)), -1);
}

static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(bus_command_status_name(4), "NOT_SUPPORTED");
	assert_string_equal(bus_command_status_name(200), "UNDEFINED");
	assert_int_equal(bus_command_status_parse("TIMEOUT"), 1);
	assert_int_equal(bus_command_status_parse("NON_PARTICIPATING"), 126);
	assert_int_equal(bus_command_status_parse("success"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_connected_common_fields),
		cmocka_unit_test(test_disconnected_reasons),
		cmocka_unit_test(test_restarted_kinds),
		cmocka_unit_test(test_rejected_from_listener),
		cmocka_unit_test(test_worker_exited_status),
		cmocka_unit_test(test_worker_started),
		cmocka_unit_test(test_link_error_closed_or_discarded),
		cmocka_unit_test(test_control_crob_and_analog),
		cmocka_unit_test(test_error_event),
		cmocka_unit_test(test_pong),
		cmocka_unit_test(test_reloaded_lists),
		cmocka_unit_test(test_reload_failed),
		cmocka_unit_test(test_invalid_or_too_small),
		cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
