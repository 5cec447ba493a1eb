/* libs: dnp3os bus */
/*
 * The worker's cheap filter in front of the JSON decoder (worker/bus.c):
 * a worker on the hub's workers' side, an application on the clients'
 * side. Updates reach the worker and are applied, also when the "op" key
 * is written with \u escapes (the filter must not drop what the decoder
 * takes); a message without any op is dropped without an answer; a bad
 * update for this worker still gets its error event.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus.h"
#include "dnp3/outstation/database.h"
#include "dnp3/outstation/outstation.h"
#include "worker/bus.h"
#include "worker/worker.h"
#include "test_worker_fixture.h"

static char dir[64], url[128], wurl[128];
static struct bus_hub *hub;
static struct bus_client *app;
static struct worker w;

static double
analog(uint32_t i)
{
	return outstation_db(w.session.os)->points[PT_ANALOG_INPUT][i].v.analog;
}

/* Pump the hub and the worker for ms milliseconds; the first message
   the application got meanwhile goes to buf ("" if none). */
static void
run(int ms, char *buf, size_t cap)
{
	struct pollfd p = { .fd = bus_hub_fd(hub), .events = POLLIN };
	int64_t end = mono_ms() + ms;
	ssize_t n;

	buf[0] = '\0';
	while (mono_ms() < end) {
		if (poll(&p, 1, 10) > 0)
			bus_hub_forward(hub);
		worker_bus_ready(&w, worker_bus_fd(), POLLIN, 0);
		if (buf[0] == '\0' && (n = bus_client_recv(app, buf, cap)) < 0)
			fail_msg("application receive");
	}
}

static int
setup(void **state)
{
	char err[256];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/dnp3d-wflt.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(url, sizeof(url), "ipc://%s/bus.ipc", dir);
	snprintf(wurl, sizeof(wurl), "ipc://%s/workers.ipc", dir);
	hub = bus_hub_open((const char *const[]){ url }, 1, err, sizeof(err));
	assert_non_null(hub);
	assert_int_equal(bus_hub_open_workers(hub, wurl, err, sizeof(err)), 0);
	app = bus_client_open(url, NULL, err, sizeof(err));
	assert_non_null(app);

	worker_fixture_open(&w, wurl, app);
	return 0;
}

static int
teardown(void **state)
{
	char path[160];

	(void)state;
	worker_bus_close();
	bus_client_close(app);
	bus_hub_close(hub);
	outstation_free(w.session.os);
	snprintf(path, sizeof(path), "%s/bus.ipc", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/workers.ipc", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Publish msg from the application until the worker shows value at
   analog input idx (the workers' side may still be connecting). */
static void
update_until(const char *msg, uint32_t idx, double value)
{
	char buf[1024];

	for (int i = 0; i < 40 && analog(idx) != value; i++) {
		assert_int_equal(bus_client_publish(app, msg, strlen(msg)), 0);
		run(50, buf, sizeof(buf));
	}
	assert_true(analog(idx) == value);
}

static void
test_plain_update_applied(void **state)
{
	(void)state;
	update_until("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"analog_input\",\"index\":1,\"value\":4.5}", 1, 4.5);
}

static void
test_escaped_op_applied(void **state)
{
	(void)state;
	/* "\u006fp" is "op" to any JSON reader */
	update_until("{\"\\u006fp\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"analog_input\",\"index\":2,\"value\":7.25}", 2, 7.25);
}

static void
test_no_op_dropped_bad_update_answered(void **state)
{
	const char *ev = "{\"event\":\"connected\",\"outstation\":\"feeder-1\","
	    "\"type\":\"analog_input\",\"index\":0,\"value\":9}";
	const char *bad = "{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"id\":5,\"type\":\"analog_input\",\"index\":99,\"value\":1}";
	char buf[1024];

	(void)state;
	/* Known to be connected once an update went through. */
	update_until("{\"op\":\"update\",\"outstation\":\"feeder-1\","
	    "\"type\":\"analog_input\",\"index\":3,\"value\":1.5}", 3, 1.5);
	assert_int_equal(bus_client_publish(app, ev, strlen(ev)), 0);
	run(200, buf, sizeof(buf));
	assert_string_equal(buf, "");		/* no answer */
	assert_true(analog(0) == 0.0);		/* nothing applied */
	assert_int_equal(bus_client_publish(app, bad, strlen(bad)), 0);
	run(300, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"event\":\"error\""));
	assert_non_null(strstr(buf, "\"source\":\"feeder-1\""));
	assert_non_null(strstr(buf, "\"id\":5"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_update_applied,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaped_op_applied,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_op_dropped_bad_update_answered, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
