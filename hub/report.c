/*
 * The hub's own events (source "hub"), and the counts behind `dropped`
 * and `refused`: a message that could not go where it should is counted
 * and reported, at most once per HUB_REPORT_MS per outstation and kind,
 * so that a flood costs one event a second, not one per message.
 */
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "hub/hub.h"

uint64_t
hub_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("%s: clock_gettime", __func__);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
hub_emit(struct hub *h, struct bus_event *ev)
{
	char buf[BUS_EVENT_MAX];
	int n;

	if ((n = bus_event_stamp(ev, HUB_SOURCE, &h->seq, buf,
	    sizeof(buf))) < 0)
		return -1;
	return hub_publish(h, buf, (size_t)n);
}

void
hub_count(struct hub *h, struct hub_count *c, const char *why, uint64_t now)
{
	if (c->n++ == 0)
		c->why = why;
	if (h->report_at == 0)
		h->report_at = now + HUB_REPORT_MS;
}

static void
report_one(struct hub *h, struct hub_slot *s, struct hub_count *c,
    enum bus_event_type type)
{
	struct bus_event ev;

	if (c->n == 0)
		return;
	log_warnx("bus: %llu message%s %s %s: %s", (unsigned long long)c->n,
	    c->n == 1 ? "" : "s", type == BUS_EV_DROPPED ? "for" : "from",
	    s->name, c->why);
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.outstation = s->name;
	ev.u.dropped.count = c->n;
	ev.u.dropped.reason = c->why;
	hub_emit(h, &ev);
	c->n = 0;
	c->why = NULL;
}

void
hub_report(struct hub *h, uint64_t now)
{
	if (h->report_at == 0 || now < h->report_at)
		return;
	h->report_at = 0;
	for (uint32_t i = 0; i < h->cfg.outstation_count; i++) {
		report_one(h, &h->slot[i], &h->slot[i].dropped, BUS_EV_DROPPED);
		report_one(h, &h->slot[i], &h->slot[i].refused, BUS_EV_REFUSED);
	}
}
