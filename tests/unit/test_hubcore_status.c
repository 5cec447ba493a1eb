/*
 * Status requests at the hub, without I/O: `{"op":"status"}` goes to
 * every worker (HUB_ALL) and one naming an outstation to that one; a bad
 * envelope is answered as for any op. The listener's records are taken
 * only when whole and in range. A worker decodes the request (with or
 * without its name) and ignores one for another outstation; a worker's
 * `status` event passes the hub's stamp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hub/hub.h"

static struct hub h;
static struct hub_slot slots[2];
static uint32_t order[2];

static int
setup(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	memset(slots, 0, sizeof(slots));
	h.slot = slots;
	h.byname = order;
	h.cfg.outstation_count = 2;
	snprintf(slots[0].name, sizeof(slots[0].name), "feeder-1");
	snprintf(slots[1].name, sizeof(slots[1].name), "feeder-2");
	slots[0].fd = slots[1].fd = -1;
	h.named = 2;
	assert_int_equal(hub_names_index(&h), 0);
	return 0;
}

static void
judge(const char *msg, struct hub_verdict *v)
{
	hub_judge(&h, msg, strlen(msg), v);
}

static void
test_request(void **state)
{
	struct hub_verdict v;

	(void)state;
	judge("{\"op\":\"status\",\"id\":9}", &v);
	assert_true(v.status);
	assert_int_equal(v.to, HUB_ALL);
	assert_int_equal(v.code, 0);
	assert_int_equal(v.id, 9);
	judge("{\"op\":\"status\",\"outstation\":\"feeder-2\"}", &v);
	assert_true(v.status);
	assert_int_equal(v.to, 1);
	assert_int_equal(v.id, -1);
	judge("{\"op\":\"status\",\"outstation\":\"feeder-9\",\"id\":1}", &v);
	assert_false(v.status);
	assert_int_equal(v.code, BUS_ERR_UNKNOWN_OUTSTATION);
	judge("{\"op\":\"status\",\"id\":-4}", &v);
	assert_false(v.status);
	assert_int_equal(v.code, BUS_ERR_BAD_ID);
	judge("{\"op\":\"update\",\"id\":1}", &v);	/* still needed there */
	assert_false(v.status);
	assert_int_equal(v.code, BUS_ERR_NO_OUTSTATION);
}

static void
test_store(void **state)
{
	struct hub_status_listener f = { .accepted = 5, .rejected = 1 };
	struct hub_status_worker w = { .index = 1, .state =
	    HUB_WORKER_RUNNING, .pid = 42, .restarts = 3 };

	(void)state;
	assert_int_equal(hub_status_store(&h, CHAN_HUB_STATUS,
	    (const uint8_t *)&f, sizeof(f)), 0);
	assert_int_equal(h.figures.accepted, 5);
	assert_int_equal(hub_status_store(&h, CHAN_HUB_STATUS,
	    (const uint8_t *)&f, sizeof(f) - 1), -1);
	assert_int_equal(hub_status_store(&h, CHAN_HUB_WSTATUS,
	    (const uint8_t *)&w, sizeof(w)), 0);
	assert_int_equal(slots[1].st.pid, 42);
	assert_int_equal(slots[1].st.restarts, 3);
	w.index = 2;		/* no such outstation */
	assert_int_equal(hub_status_store(&h, CHAN_HUB_WSTATUS,
	    (const uint8_t *)&w, sizeof(w)), -1);
	w.index = 0;
	w.state = HUB_WORKER_STATES;
	assert_int_equal(hub_status_store(&h, CHAN_HUB_WSTATUS,
	    (const uint8_t *)&w, sizeof(w)), -1);
	assert_int_equal(hub_status_store(&h, CHAN_HUB_WSTATUS,
	    (const uint8_t *)&w, sizeof(w) + 1), -1);
	assert_int_equal(slots[0].st.pid, 0);	/* nothing of them kept */
}

static int
stamp(const char *msg, char *buf, size_t cap, const char **why)
{
	return hub_stamp("feeder-1", msg, strlen(msg), buf, cap, why);
}

static void
test_worker_side(void **state)
{
	struct outstation_config cfg;
	struct bus_inbound in;
	struct bus_update out[1];
	char err[128], buf[512];
	const char *why;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.name, sizeof(cfg.name), "feeder-1");
#define DECODE(m) bus_update_decode(m, strlen(m), &cfg, &in, out, 1, err, \
	    sizeof(err))
	assert_int_equal(DECODE("{\"op\":\"status\",\"id\":3}"),
	    BUS_DECODE_OK);
	assert_int_equal(in.kind, BUS_IN_STATUS);
	assert_int_equal(in.id, 3);
	assert_int_equal(DECODE("{\"op\":\"status\",\"outstation\":"
	    "\"feeder-1\"}"), BUS_DECODE_OK);
	assert_int_equal(in.kind, BUS_IN_STATUS);
	assert_int_equal(DECODE("{\"op\":\"status\",\"outstation\":"
	    "\"feeder-2\"}"), BUS_DECODE_IGNORE);
	assert_int_equal(DECODE("{\"op\":\"update\",\"id\":3}"),
	    BUS_DECODE_IGNORE);
#undef DECODE
	assert_true(stamp("{\"event\":\"status\",\"id\":3,"
	    "\"frames_in\":7}", buf, sizeof(buf), &why) > 0);
	assert_non_null(strstr(buf, "\"source\":\"feeder-1\""));
	/* the hub's own answers a worker cannot give */
	assert_int_equal(stamp("{\"event\":\"worker_status\"}", buf,
	    sizeof(buf), &why), -1);
	assert_string_equal(why, "an event a worker does not publish");
	assert_int_equal(stamp("{\"event\":\"server_status\"}", buf,
	    sizeof(buf), &why), -1);
	assert_string_equal(why, "an event a worker does not publish");
}

/* restarted: a worker's event stamped, and what the hub keeps of it. */
static int
restart(const char *msg, struct hub_restart *r)
{
	char buf[512];
	const char *why;
	int n = stamp(msg, buf, sizeof(buf), &why);

	assert_true(n > 0);
	memset(r, 0, sizeof(*r));
	return hub_restart_parse(buf, (size_t)n, r);
}

static void
test_restart_kept(void **state)
{
	struct hub_restart r;
	char reason[HUB_REASON_MAX + 80];

	(void)state;
	assert_int_equal(restart("{\"event\":\"restarted\",\"kind\":"
	    "\"process\",\"state_kept\":true}", &r), 1);
	assert_true(r.have);
	assert_true(r.kept);
	assert_string_equal(r.reason, "");
	assert_int_equal(restart("{\"event\":\"restarted\",\"kind\":"
	    "\"process\",\"state_kept\":false,\"reason\":\"crash loop\"}",
	    &r), 1);
	assert_false(r.kept);
	assert_string_equal(r.reason, "crash loop");
	/* a master's restart, another event: not the state's */
	assert_int_equal(restart("{\"event\":\"restarted\",\"kind\":"
	    "\"cold\"}", &r), 0);
	assert_false(r.have);
	assert_int_equal(restart("{\"event\":\"status\",\"kind\":"
	    "\"process\",\"state_kept\":true}", &r), 0);
	/* not in the event's form: nothing kept */
	assert_int_equal(restart("{\"event\":\"restarted\",\"kind\":"
	    "\"process\",\"state_kept\":1}", &r), -1);
	assert_int_equal(restart("{\"event\":\"restarted\",\"kind\":"
	    "\"process\",\"state_kept\":false}", &r), -1);
	assert_int_equal(restart("{\"event\":\"restarted\",\"kind\":"
	    "\"process\",\"state_kept\":false,\"reason\":\"a\\nb\"}",
	    &r), -1);
	memset(reason, 'x', sizeof(reason));
	snprintf(reason, sizeof(reason), "{\"event\":\"restarted\","
	    "\"kind\":\"process\",\"state_kept\":false,\"reason\":\"%0*d\"}",
	    HUB_REASON_MAX, 0);
	assert_int_equal(restart(reason, &r), -1);
	assert_false(r.have);
}

/* The slot keeps the last one. */
static void
test_restart_note(void **state)
{
	const char kept[] = "{\"event\":\"restarted\",\"source\":"
	    "\"feeder-1\",\"kind\":\"process\",\"state_kept\":true}";
	const char clean[] = "{\"event\":\"restarted\",\"source\":"
	    "\"feeder-1\",\"kind\":\"process\",\"state_kept\":false,"
	    "\"reason\":\"configuration changed\"}";
	const char other[] = "{\"event\":\"connected\",\"source\":"
	    "\"feeder-1\"}";

	(void)state;
	assert_false(slots[0].restart.have);
	hub_restart_note(&slots[0], clean, strlen(clean));
	assert_true(slots[0].restart.have);
	assert_false(slots[0].restart.kept);
	assert_string_equal(slots[0].restart.reason, "configuration changed");
	assert_true(slots[0].restart.time_ms > 0);
	hub_restart_note(&slots[0], other, strlen(other));
	assert_false(slots[0].restart.kept);
	hub_restart_note(&slots[0], kept, strlen(kept));
	assert_true(slots[0].restart.kept);
	assert_false(slots[1].restart.have);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_request, setup),
		cmocka_unit_test_setup(test_store, setup),
		cmocka_unit_test_setup(test_worker_side, setup),
		cmocka_unit_test_setup(test_restart_kept, setup),
		cmocka_unit_test_setup(test_restart_note, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
