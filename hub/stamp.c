/*
 * A worker's message, checked and stamped without I/O. The hub knows
 * which worker sent it (its socketpair), so the message says so: source
 * and outstation are that worker's outstation, and a message that claims
 * another outstation, or an event only the listener or the hub publishes,
 * is refused. Everything else of the event is the worker's business and
 * goes through as it came (re-encoded by jansson, so it is valid JSON).
 */
#include <jansson.h>
#include <string.h>

#include "hub/hub.h"

/* The events a worker publishes (worker/report.c, bus_control.c, bus.c). */
static const char *const worker_events[] = {
	"connected", "disconnected", "link_error", "control",
	"control_request", "error", "tls_failed", "restarted", "rejected",
	"status",
};

static bool
worker_event(const char *name)
{
	for (size_t i = 0; i < sizeof(worker_events) /
	    sizeof(worker_events[0]); i++)
		if (strcmp(name, worker_events[i]) == 0)
			return true;
	return false;
}

static const char *
check(json_t *o, const char *name)
{
	json_t *ev, *os;

	if (!json_is_object(o))
		return "not a JSON object";
	ev = json_object_get(o, "event");
	if (!json_is_string(ev))
		return "not an event";
	if (!worker_event(json_string_value(ev)))
		return "an event a worker does not publish";
	os = json_object_get(o, "outstation");
	if (os != NULL && (!json_is_string(os) ||
	    strcmp(json_string_value(os), name) != 0))
		return "names another outstation";
	return NULL;
}

int
hub_stamp(const char *name, const char *msg, size_t len, char *out,
    size_t cap, const char **why)
{
	json_t *o;
	size_t n;

	*why = "too big";
	if (len > HUB_WORKER_MSG_MAX || cap == 0)
		return -1;
	*why = "not JSON";
	if ((o = json_loadb(msg, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return -1;
	if ((*why = check(o, name)) != NULL) {
		json_decref(o);
		return -1;
	}
	*why = "cannot stamp";
	if (json_object_set_new(o, "source", json_string(name)) == -1 ||
	    json_object_set_new(o, "outstation", json_string(name)) == -1) {
		json_decref(o);
		return -1;
	}
	n = json_dumpb(o, out, cap - 1, JSON_COMPACT);
	json_decref(o);
	*why = "too big";
	if (n == 0 || n >= cap)
		return -1;
	out[n] = '\0';
	*why = NULL;
	return (int)n;
}
