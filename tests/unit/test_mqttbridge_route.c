/* dnp3-mqtt's topics, inbound checks, event queue and id memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "queue.h"
#include "route.h"
#include "seen.h"

static void
topic_inbound(void **state)
{
	char name[33];
	enum route_kind k;

	(void)state;
	assert_int_equal(route_topic("dnp3d", "dnp3d/feeder-1/update", name,
	    sizeof(name), &k), 0);
	assert_string_equal(name, "feeder-1");
	assert_int_equal(k, ROUTE_UPDATE);
	assert_int_equal(route_topic("dnp3d", "dnp3d/f/control_answer", name,
	    sizeof(name), &k), 0);
	assert_int_equal(k, ROUTE_CONTROL_ANSWER);
	assert_int_equal(route_topic("dnp3d", "dnp3d/f/event", name,
	    sizeof(name), &k), -1);
	assert_int_equal(route_topic("dnp3d", "dnp3dx/f/update", name,
	    sizeof(name), &k), -1);
	assert_int_equal(route_topic("dnp3d", "dnp3d//update", name,
	    sizeof(name), &k), -1);
	assert_int_equal(route_topic("dnp3d", "dnp3d/a/b/update", name,
	    sizeof(name), &k), -1);
}

static void
inbound_messages(void **state)
{
	struct route_error e;
	int64_t id;
	char *t;

	(void)state;
	t = route_inbound("f", ROUTE_UPDATE, "{\"type\":\"counter\",\"id\":5}",
	    25, &id, &e);
	assert_non_null(t);
	assert_int_equal(id, 5);
	assert_non_null(strstr(t, "\"op\":\"update\""));
	assert_non_null(strstr(t, "\"outstation\":\"f\""));
	free(t);
	assert_null(route_inbound("f", ROUTE_UPDATE, "{\"a\":", 5, &id, &e));
	assert_string_equal(e.error, "not JSON");
	assert_null(route_inbound("f", ROUTE_UPDATE, "[1]", 3, &id, &e));
	assert_string_equal(e.error, "not an object");
	assert_null(route_inbound("f", ROUTE_UPDATE,
	    "{\"outstation\":\"g\",\"id\":3}", 25, &id, &e));
	assert_string_equal(e.error, "outstation does not match topic");
	assert_int_equal(e.id, 3);
	assert_null(route_inbound("f", ROUTE_UPDATE,
	    "{\"op\":\"control_answer\"}", 23, &id, &e));
	assert_string_equal(e.error, "op does not match topic");
}

static void
events_routed(void **state)
{
	struct route_filter all = { .n = 0 }, only = { { "b" }, 1 };
	struct route_out r;
	const char *c = "{\"event\":\"connected\",\"source\":\"a\","
	    "\"outstation\":\"a\"}";
	const char *rej = "{\"event\":\"rejected\",\"source\":\"listener\"}";
	const char *req = "{\"op\":\"update\",\"outstation\":\"a\"}";
	const char *pong = "{\"event\":\"pong\",\"source\":\"hub\",\"id\":3}";

	(void)state;
	assert_int_equal(route_event("p", &all, c, strlen(c), &r), 1);
	assert_string_equal(r.topic, "p/a/event");
	assert_string_equal(r.extra, "p/a/state");
	assert_int_equal(r.extra_retain, 1);
	assert_int_equal(route_event("p", &all, rej, strlen(rej), &r), 1);
	assert_string_equal(r.topic, "p/_server/event");
	assert_string_equal(r.extra, "");
	assert_int_equal(route_event("p", &all, req, strlen(req), &r), 0);
	/* the bus's join handshake stays on the bus */
	assert_int_equal(route_event("p", &all, pong, strlen(pong), &r), 0);
	assert_int_equal(route_event("p", &only, c, strlen(c), &r), 0);
}

static void
queue_counts_loss(void **state)
{
	struct route_out r = { "t", "", 0 };
	struct queue q;
	char *lost;

	(void)state;
	assert_int_equal(queue_init(&q, 2), 0);
	assert_int_equal(queue_push(&q, &r, "1", 1, 1000), 0);
	assert_int_equal(queue_push(&q, &r, "2", 1, 1000), 0);
	assert_int_equal(queue_push(&q, &r, "3", 1, 1000), -1);
	assert_int_equal(queue_push(&q, &r, "4", 1, 1000), -1);
	assert_null(queue_take_loss(&q, 2000));		/* still full */
	assert_string_equal(queue_peek(&q)->msg, "1");
	queue_pop(&q);
	lost = queue_take_loss(&q, 2000);
	assert_non_null(lost);
	assert_non_null(strstr(lost, "\"event\":\"events_lost\""));
	assert_non_null(strstr(lost, "\"count\":2"));
	free(lost);
	assert_null(queue_take_loss(&q, 2000));
	assert_string_equal(queue_peek(&q)->msg, "2");
	queue_free(&q);
}

static void
seen_ids(void **state)
{
	struct seen *s = malloc(sizeof(*s));
	int64_t i;

	(void)state;
	seen_init(s);
	assert_false(seen_has(s, "a", 1));
	seen_note(s, "a", 1);
	assert_true(seen_has(s, "a", 1));
	assert_false(seen_has(s, "b", 1));
	for (i = 2; i <= SEEN_MAX; i++)
		seen_note(s, "a", i);
	assert_true(seen_has(s, "a", 1));
	seen_note(s, "a", SEEN_MAX + 1);	/* the oldest goes */
	assert_false(seen_has(s, "a", 1));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(topic_inbound),
		cmocka_unit_test(inbound_messages),
		cmocka_unit_test(events_routed),
		cmocka_unit_test(queue_counts_loss),
		cmocka_unit_test(seen_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
