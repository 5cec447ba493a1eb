/*
 * The report as one JSON object (--json): the listener's figures under
 * "server", one object per outstation under "outstations", with the keys
 * of the bus answers (docs/EVENTS.md, status).
 */
#include <jansson.h>
#include <stdio.h>

#include "status.h"

static void
set_time(json_t *o, const char *key, uint64_t ms)
{
	char when[32];

	if (ms == 0)
		return;
	status_time(ms, when, sizeof(when));
	json_object_set_new(o, key, json_string(when));
}

static json_t *
server(const struct status_report *r)
{
	json_t *o = json_object();

	set_time(o, "started", r->started_ms);
	for (int k = 0; k < SC_COUNT; k++)
		json_object_set_new(o, server_counts[k].key,
		    json_integer((json_int_t)r->n[k]));
	return o;
}

static json_t *
outstation(const struct outstation_status *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "worker", json_string(
	    worker_state_names[s->state]));
	json_object_set_new(o, "restarts", json_integer(
	    (json_int_t)s->restarts));
	if (s->pid != 0) {
		json_object_set_new(o, "pid", json_integer((json_int_t)s->pid));
		set_time(o, "worker_started", s->started_ms);
	}
	if (s->restart_known) {
		json_object_set_new(o, "state_kept",
		    json_boolean(s->state_kept));
		if (!s->state_kept && s->state_reason[0])
			json_object_set_new(o, "state_reason",
			    json_string(s->state_reason));
		set_time(o, "state_time", s->state_ms);
	}
	json_object_set_new(o, "answered", json_boolean(s->answered));
	if (!s->answered)
		return o;
	if (s->endpoint[0])
		json_object_set_new(o, "endpoint", json_string(s->endpoint));
	json_object_set_new(o, "master", s->connected ?
	    json_string(s->peer) : json_null());
	if (s->connected)
		set_time(o, "since", s->since_ms);
	for (int k = 0; k < WC_COUNT; k++)
		json_object_set_new(o, worker_counts[k].key,
		    json_integer((json_int_t)s->n[k]));
	if (s->last_error[0]) {
		json_object_set_new(o, "last_error",
		    json_string(s->last_error));
		set_time(o, "last_error_time", s->last_error_ms);
	}
	return o;
}

int
print_json(const struct status_report *r)
{
	json_t *o = json_object(), *list = json_array();
	int rc;

	if (r->server)
		json_object_set_new(o, "server", server(r));
	for (size_t i = 0; i < r->count; i++)
		json_array_append_new(list, outstation(&r->os[i]));
	json_object_set_new(o, "outstations", list);
	rc = json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	putchar('\n');
	return rc;
}
