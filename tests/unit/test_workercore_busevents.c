/* libs: dnp3os bus */
/*
 * The worker's events as a bus member sees them (worker/report.c,
 * worker/bus_control.c, as the hub receives them on the worker's socket):
 * connected and disconnected with outstation, endpoint, peer, source and
 * seq, the reason of each way a connection ends, link errors with the
 * bytes discarded for each, and controls (reports and requests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus.h"
#include "dnp3/app/app.h"
#include "dnp3/app/objects.h"
#include "worker/hub_link.h"
#include "worker/worker.h"
#include "test_worker_fixture.h"

static int app = -1;	/* the hub's end: what the worker publishes */
static struct worker w;

/* The next message the worker sends, as JSON (2 s max). */
static json_t *
next(void)
{
	json_t *o = bus_fixture_next(app, 2000);

	if (o == NULL)
		fail_msg("no message within 2 s");
	return o;
}

static int
setup(void **state)
{
	(void)state;
	worker_fixture_open(&w, &app);
	assert_true(worker_bus_fd() >= 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	worker_bus_close();
	close(app);
	outstation_free(w.session.os);
	return 0;
}

/* A new master replaces the old: disconnected (replaced) comes first. */
static void
test_connection_events(void **state)
{
	json_t *o;

	(void)state;
	w.conn.fd = 1;	/* any open descriptor: "a master is connected" */
	strcpy(w.conn.peer, "127.0.0.2:40000");
	worker_report_connected(&w);
	worker_report_disconnected(&w, WDISC_REPLACED);
	strcpy(w.conn.peer, "127.0.0.2:40001");
	worker_report_connected(&w);

	o = next();
	assert_string_equal(str(o, "event"), "connected");
	assert_string_equal(str(o, "source"), "feeder-1");
	assert_string_equal(str(o, "outstation"), "feeder-1");
	assert_string_equal(str(o, "endpoint"), "127.0.0.1:20000");
	assert_string_equal(str(o, "peer"), "127.0.0.2:40000");
	assert_int_equal(num(o, "seq"), 1);
	assert_null(json_object_get(o, "reason"));
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "event"), "disconnected");
	assert_string_equal(str(o, "reason"), "replaced");
	assert_string_equal(str(o, "peer"), "127.0.0.2:40000");
	assert_int_equal(num(o, "seq"), 2);
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "event"), "connected");
	assert_string_equal(str(o, "peer"), "127.0.0.2:40001");
	assert_int_equal(num(o, "seq"), 3);
	json_decref(o);
}

static void
test_disconnect_reasons(void **state)
{
	static const struct {
		enum worker_disc why;
		const char *reason;
	} want[] = {
		{ WDISC_PEER_CLOSED, "closed by peer" },
		{ WDISC_LINK_ERROR, "link error" },
		{ WDISC_KEEP_ALIVE, "keep-alive timeout" },
		{ WDISC_SHUTDOWN, "shutdown" },
		{ WDISC_IO_ERROR, "socket error" },
		{ WDISC_NOT_READING, "master not reading" },
	};
	json_t *o;

	(void)state;
	strcpy(w.conn.peer, "[::1]:5000");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		worker_report_disconnected(&w, want[i].why);
		o = next();
		assert_string_equal(str(o, "event"), "disconnected");
		assert_string_equal(str(o, "reason"), want[i].reason);
		assert_string_equal(str(o, "peer"), "[::1]:5000");
		json_decref(o);
	}
}

/* discarded: as the stack counted it for this error (see chan.c). */
static void
test_link_errors(void **state)
{
	json_t *o;

	(void)state;
	strcpy(w.conn.peer, "127.0.0.2:40000");
	worker_report_link_error(&w, LINK_ERR_HEADER_CRC, 17, false);
	worker_report_link_error(&w, LINK_ERR_HEADER_CRC, 3, false);
	worker_report_link_error(&w, LINK_ERR_HEADER_CRC, 5, false);
	worker_report_link_error(&w, LINK_ERR_HEADER_CRC, 0, true);

	o = next();
	assert_string_equal(str(o, "event"), "link_error");
	assert_string_equal(str(o, "what"), link_err_str(LINK_ERR_HEADER_CRC));
	assert_string_equal(str(o, "action"), "discarded");
	assert_int_equal(num(o, "discarded"), 17);
	assert_string_equal(str(o, "peer"), "127.0.0.2:40000");
	json_decref(o);
	o = next();
	assert_int_equal(num(o, "discarded"), 3);
	json_decref(o);
	o = next();
	assert_int_equal(num(o, "discarded"), 5);
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "action"), "closed");
	assert_null(json_object_get(o, "discarded"));
	json_decref(o);
}

static void
test_controls(void **state)
{
	struct os_control c;
	json_t *o;

	(void)state;
	w.conn.fd = 1;
	strcpy(w.conn.peer, "127.0.0.2:40000");
	memset(&c, 0, sizeof(c));
	c.func = DNP3_FC_SELECT;
	c.type = PT_BINARY_OUTPUT;
	c.index = 2;
	c.crob.code = DNP3_CROB_OP_LATCH_ON;
	c.crob.count = 1;
	c.crob.on_ms = 100;
	c.status = 0;
	worker_bus_control_hook(&w, &c);
	memset(&c, 0, sizeof(c));
	c.request = true;
	c.id = 9;
	c.func = DNP3_FC_DIRECT_OPERATE;
	c.type = PT_ANALOG_OUTPUT;
	c.index = 1;
	c.value = -2.5;
	worker_bus_control_hook(&w, &c);
	c.request = false;
	c.func = DNP3_FC_DIRECT_OPERATE_NR;
	c.crob.code = DNP3_CROB_TCC_TRIP | DNP3_CROB_OP_PULSE_ON;
	c.type = PT_BINARY_OUTPUT;
	c.status = 1;
	worker_bus_control_hook(&w, &c);
	/* held back until the response is out: the loop publishes it */
	worker_bus_control_flush();

	o = next();
	assert_string_equal(str(o, "event"), "control");
	assert_string_equal(str(o, "function"), "select");
	assert_string_equal(str(o, "type"), "binary_output");
	assert_int_equal(num(o, "index"), 2);
	assert_string_equal(str(o, "op"), "latch_on");
	assert_int_equal(num(o, "count"), 1);
	assert_int_equal(num(o, "on_ms"), 100);
	assert_string_equal(str(o, "status"), "SUCCESS");
	assert_string_equal(str(o, "peer"), "127.0.0.2:40000");
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "event"), "control_request");
	assert_int_equal(num(o, "id"), 9);
	assert_string_equal(str(o, "function"), "direct_operate");
	assert_string_equal(str(o, "type"), "analog_output");
	assert_true(json_real_value(json_object_get(o, "value")) == -2.5);
	assert_null(json_object_get(o, "status"));
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "function"), "direct_operate_no_ack");
	assert_string_equal(str(o, "op"), "trip");
	assert_string_equal(str(o, "status"), "TIMEOUT");
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connection_events, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disconnect_reasons, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_link_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_controls, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
