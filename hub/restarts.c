/*
 * The last `restarted` event of kind "process" of each outstation. A
 * worker publishes it once, as soon as it is on the bus; at a start of
 * dnp3d that is before any client can have joined. The hub keeps it, so
 * that a client asking for status later still sees whether each
 * outstation's state was kept (worker_status, docs/EVENTS.md). What the
 * worker says about its own state is its business, as in the event
 * itself; the hub keeps it only in the event's form, with a bounded,
 * printable reason. Without I/O but the clock.
 */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "hub/hub.h"

static const char restarted[] = "\"event\":\"restarted\"";

/* A reason to keep: printable ASCII that fits. */
static bool
reason_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= HUB_REASON_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

int
hub_restart_parse(const char *msg, size_t len, struct hub_restart *r)
{
	json_t *o, *kind, *kept, *why;
	int rc = -1;

	/* Stamped JSON is compact (hub_stamp()): anything else is not it. */
	if (memmem(msg, len, restarted, sizeof(restarted) - 1) == NULL ||
	    (o = json_loadb(msg, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	kind = json_object_get(o, "kind");
	kept = json_object_get(o, "state_kept");
	why = json_object_get(o, "reason");
	if (!json_is_string(kind) || strcmp(json_string_value(kind),
	    "process") != 0)
		rc = 0;
	else if (json_is_boolean(kept) && (json_is_true(kept) ?
	    why == NULL : json_is_string(why) &&
	    reason_ok(json_string_value(why)))) {
		memset(r, 0, sizeof(*r));
		r->have = true;
		r->kept = json_is_true(kept);
		if (!r->kept)
			memcpy(r->reason, json_string_value(why),
			    strlen(json_string_value(why)) + 1);
		rc = 1;
	}
	json_decref(o);
	return rc;
}

void
hub_restart_note(struct hub_slot *s, const char *msg, size_t len)
{
	struct hub_restart r;
	struct timespec ts;

	if (hub_restart_parse(msg, len, &r) != 1)
		return;
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		r.time_ms = (uint64_t)ts.tv_sec * 1000 +
		    (uint64_t)ts.tv_nsec / 1000000;
	s->restart = r;
}
