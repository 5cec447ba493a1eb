/*
 * What the hub parses (hub/judge.c, hub/stamp.c): the first byte picks
 * the side, the rest is one message.
 *	even	a client's message, judged by hub_judge() for a hub that
 *		serves "demo", "feeder-1" and "feeder-2"
 *	odd	a worker's message, stamped by hub_stamp() as outstation
 *		"feeder-1"
 * Aborts when a result breaks the promises of hub/hub.h: a destination
 * out of range, a message routed with an error, an error without its
 * text; a stamped message that is not one JSON object of an event a
 * worker publishes, with source and outstation "feeder-1", or longer
 * than its buffer; a refusal without a reason.
 *
 * fuzz-options: -max_len=66000
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"

static struct hub h;
static struct hub_slot slots[3];
static uint32_t order[3];

static void
setup(void)
{
	static const char *names[] = { "feeder-2", "demo", "feeder-1" };

	h.slot = slots;
	h.byname = order;
	h.cfg.outstation_count = 3;
	for (int i = 0; i < 3; i++) {
		strcpy(slots[i].name, names[i]);
		slots[i].fd = -1;
	}
	h.named = 3;
	if (hub_names_index(&h) == -1)
		abort();
}

static void
judge(const char *msg, size_t len)
{
	struct hub_verdict v;

	hub_judge(&h, msg, len, &v);
	if (v.to < HUB_PING || v.to >= 3 || v.code < 0 ||
	    v.code >= BUS_ERR_COUNT)
		abort();
	if (v.to >= 0 && v.code != 0)
		abort();
	if (v.code != 0 && (memchr(v.detail, '\0', sizeof(v.detail)) == NULL ||
	    v.detail[0] == '\0'))
		abort();
	if (memchr(v.op, '\0', sizeof(v.op)) == NULL ||
	    memchr(v.outstation, '\0', sizeof(v.outstation)) == NULL)
		abort();
}

static void
stamped_ok(const char *out, int n)
{
	json_t *o = json_loadb(out, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	json_t *src, *os;

	if (o == NULL || !json_is_object(o))
		abort();
	src = json_object_get(o, "source");
	os = json_object_get(o, "outstation");
	if (!json_is_string(src) || strcmp(json_string_value(src),
	    "feeder-1") != 0 || !json_is_string(os) ||
	    strcmp(json_string_value(os), "feeder-1") != 0 ||
	    !json_is_string(json_object_get(o, "event")))
		abort();
	json_decref(o);
}

static void
stamp(const char *msg, size_t len)
{
	static char out[2 * HUB_WORKER_MSG_MAX];
	const char *why = NULL;
	int n;

	n = hub_stamp("feeder-1", msg, len, out, sizeof(out), &why);
	if (n < 0) {
		if (n != -1 || why == NULL)
			abort();
		return;
	}
	if (why != NULL || (size_t)n >= sizeof(out) || out[n] != '\0' ||
	    strlen(out) != (size_t)n)
		abort();
	stamped_ok(out, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (h.named == 0)
		setup();
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		judge((const char *)data + 1, size - 1);
	else
		stamp((const char *)data + 1, size - 1);
	return 0;
}
