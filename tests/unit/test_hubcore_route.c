/*
 * What the hub makes of messages, without I/O: a client's message goes
 * to the one worker it names (a bad envelope to none, with the error the
 * hub answers; one too big to nobody at all); a worker's event is
 * stamped with that worker's outstation as source and outstation, and
 * refused when it claims another outstation or an event only the
 * listener or the hub publishes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"

static struct hub h;
static struct hub_slot slots[3];
static uint32_t order[3];

static int
setup(void **state)
{
	static const char *names[] = { "feeder-2", "alpha", "feeder-1" };

	(void)state;
	memset(&h, 0, sizeof(h));
	h.slot = slots;
	h.byname = order;
	h.cfg.outstation_count = 3;
	for (int i = 0; i < 3; i++) {
		snprintf(slots[i].name, sizeof(slots[i].name), "%s", names[i]);
		slots[i].fd = -1;
	}
	h.named = 3;
	assert_int_equal(hub_names_index(&h), 0);
	return 0;
}

static void
judge(const char *msg, struct hub_verdict *v)
{
	hub_judge(&h, msg, strlen(msg), v);
}

static void
test_route_by_name(void **state)
{
	struct hub_verdict v;

	(void)state;
	judge("{\"op\":\"update\",\"outstation\":\"feeder-1\",\"type\":"
	    "\"counter\",\"index\":1,\"value\":2}", &v);
	assert_int_equal(v.to, 2);
	assert_int_equal(v.code, 0);
	judge("{\"op\":\"control_answer\",\"outstation\":\"alpha\",\"id\":3,"
	    "\"status\":\"SUCCESS\"}", &v);
	assert_int_equal(v.to, 1);
	judge("{\"op\":\"update\",\"outstation\":\"feeder-2\",\"id\":7}", &v);
	assert_int_equal(v.to, 0);	/* the body is the worker's to judge */
	assert_int_equal(hub_name_find(&h, "feeder-"), -1);
	assert_int_equal(hub_name_find(&h, "feeder-1x"), -1);
}

static void
test_bad_envelopes(void **state)
{
	struct hub_verdict v;

	(void)state;
	judge("{\"op\":\"update\",\"outstation\":\"feeder-9\",\"id\":4}", &v);
	assert_int_equal(v.to, HUB_NOBODY);
	assert_int_equal(v.code, BUS_ERR_UNKNOWN_OUTSTATION);
	assert_string_equal(v.outstation, "feeder-9");
	assert_string_equal(v.op, "update");
	assert_int_equal(v.id, 4);
	judge("not json", &v);
	assert_int_equal(v.to, HUB_NOBODY);
	assert_int_equal(v.code, BUS_ERR_NOT_JSON);
	judge("{\"op\":\"reboot\",\"outstation\":\"alpha\"}", &v);
	assert_int_equal(v.code, BUS_ERR_UNKNOWN_OP);
	/* An event is for the clients only, and nobody answers it. */
	judge("{\"event\":\"error\",\"op\":\"update\",\"outstation\":"
	    "\"alpha\"}", &v);
	assert_int_equal(v.to, HUB_NOBODY);
	assert_int_equal(v.code, 0);
}

/* A ping is the hub's own: answered with a pong, forwarded to nobody. */
static void
test_ping(void **state)
{
	struct hub_verdict v;

	(void)state;
	judge("{\"op\":\"ping\",\"id\":9007199254740992}", &v);
	assert_int_equal(v.to, HUB_PING);
	assert_int_equal(v.code, 0);
	assert_int_equal(v.id, 9007199254740992LL);
	judge("{\"op\":\"ping\"}", &v);
	assert_int_equal(v.to, HUB_PING);
	assert_int_equal(v.id, -1);
	/* an outstation named in a ping changes nothing */
	judge("{\"op\":\"ping\",\"outstation\":\"feeder-1\",\"id\":1}", &v);
	assert_int_equal(v.to, HUB_PING);
	judge("{\"op\":\"ping\",\"id\":\"x\"}", &v);
	assert_int_equal(v.to, HUB_NOBODY);
	assert_int_equal(v.code, BUS_ERR_BAD_ID);
	assert_string_equal(v.op, "ping");
}

static void
test_too_big(void **state)
{
	struct hub_verdict v;
	char *big = malloc(BUS_MSG_MAX + 2);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', BUS_MSG_MAX + 1);
	big[BUS_MSG_MAX + 1] = '\0';
	judge(big, &v);
	assert_int_equal(v.to, HUB_DROP);
	assert_int_equal(v.code, BUS_ERR_TOO_BIG);
	free(big);
}

static void
test_stamp(void **state)
{
	static const char forged[] = "{\"event\":\"connected\",\"time\":"
	    "\"t\",\"source\":\"listener\",\"seq\":3,\"outstation\":\"alpha\"}";
	char out[2 * HUB_WORKER_MSG_MAX];
	const char *why;
	int n;

	(void)state;
	n = hub_stamp("alpha", forged, strlen(forged), out, sizeof(out), &why);
	assert_true(n > 0);
	assert_string_equal(out, "{\"event\":\"connected\",\"time\":\"t\","
	    "\"source\":\"alpha\",\"seq\":3,\"outstation\":\"alpha\"}");
	/* No outstation: it gets its own. */
	n = hub_stamp("alpha", "{\"event\":\"error\"}", 17, out, sizeof(out),
	    &why);
	assert_true(n > 0);
	assert_string_equal(out, "{\"event\":\"error\",\"source\":\"alpha\","
	    "\"outstation\":\"alpha\"}");
}

static void
test_stamp_refuses(void **state)
{
	static const struct {
		const char *msg, *why;
	} bad[] = {
		{ "{\"event\":\"control_request\",\"outstation\":\"feeder-1\","
		    "\"id\":1,\"op\":\"trip\"}", "names another outstation" },
		{ "{\"event\":\"connected\",\"outstation\":7}",
		    "names another outstation" },
		{ "{\"event\":\"worker_exited\",\"source\":\"listener\"}",
		    "an event a worker does not publish" },
		{ "{\"event\":\"dropped\"}",
		    "an event a worker does not publish" },
		{ "{\"op\":\"update\",\"outstation\":\"feeder-1\"}",
		    "not an event" },
		{ "[1,2]", "not a JSON object" },
		{ "{\"event\":\"connected\",\"event\":\"connected\"}",
		    "not JSON" },
		{ "{\"event\":", "not JSON" },
	};
	char out[2 * HUB_WORKER_MSG_MAX];
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(hub_stamp("alpha", bad[i].msg,
		    strlen(bad[i].msg), out, sizeof(out), &why), -1);
		assert_string_equal(why, bad[i].why);
	}
	assert_int_equal(hub_stamp("alpha", out, HUB_WORKER_MSG_MAX + 1, out,
	    sizeof(out), &why), -1);
	assert_string_equal(why, "too big");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_by_name),
		cmocka_unit_test(test_bad_envelopes),
		cmocka_unit_test(test_ping),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_stamp),
		cmocka_unit_test(test_stamp_refuses),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
