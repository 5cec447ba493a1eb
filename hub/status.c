/*
 * Status requests (docs/EVENTS.md, status). The hub answers for the
 * listener, which reads nothing from the bus: its figures come on the
 * channel when they change and are kept here. Each worker asked gets the
 * request and answers for itself with a `status` event.
 */
#include <string.h>

#include "common/log.h"
#include "hub/hub.h"

static const char *const worker_states[HUB_WORKER_STATES] = {
	[HUB_WORKER_STOPPED] = "stopped",
	[HUB_WORKER_STARTING] = "starting",
	[HUB_WORKER_RUNNING] = "running",
	[HUB_WORKER_RESTARTING] = "restarting",
};

int
hub_status_store(struct hub *h, uint16_t type, const uint8_t *data,
    size_t len)
{
	struct hub_status_worker w;

	if (type == CHAN_HUB_STATUS) {
		if (len != sizeof(h->figures))
			return -1;
		memcpy(&h->figures, data, sizeof(h->figures));
		return 0;
	}
	if (len != sizeof(w))
		return -1;
	memcpy(&w, data, sizeof(w));
	if (w.index >= h->cfg.outstation_count ||
	    w.state >= HUB_WORKER_STATES)
		return -1;
	h->slot[w.index].st = w;
	return 0;
}

#define FIG(k, v)	{ .name = (k), .kind = BUS_FIG_COUNT, .n = (v) }
#define FIG_T(k, v)	{ .name = (k), .kind = BUS_FIG_TIME, .n = (v) }

static void
server_status(struct hub *h, int64_t id)
{
	const struct hub_status_listener *f = &h->figures;
	const struct bus_figure fig[] = {
		FIG("outstations", h->cfg.outstation_count),
		FIG_T("started", f->started_ms),
		FIG("accepted", f->accepted),
		FIG("rejected", f->rejected),
		FIG("handed_off", f->handed_off),
		FIG("reloads", f->reloads),
		FIG("reloads_failed", f->reloads_failed),
	};
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_SERVER_STATUS;
	ev.u.status.id = id;
	ev.u.status.fig = fig;
	ev.u.status.count = sizeof(fig) / sizeof(fig[0]);
	hub_emit(h, &ev);
}

static void
worker_status(struct hub *h, const struct hub_slot *s, int64_t id)
{
	const struct hub_status_worker *w = &s->st;
	const struct hub_restart *r = &s->restart;
	struct bus_figure fig[7] = {
		{ .name = "state", .kind = BUS_FIG_TEXT,
		    .text = worker_states[w->state] },
		FIG("restarts", w->restarts),
	};
	struct bus_event ev;
	size_t n = 2;

	if (w->pid != 0) {
		fig[n++] = (struct bus_figure)FIG("pid", w->pid);
		fig[n++] = (struct bus_figure)FIG_T("started", w->started_ms);
	}
	/* The last `restarted` of kind process: was the state kept. */
	if (r->have) {
		fig[n++] = (struct bus_figure){ .name = "state_kept",
		    .kind = BUS_FIG_BOOL, .n = r->kept };
		fig[n++] = (struct bus_figure){ .name = "state_reason",
		    .kind = BUS_FIG_TEXT, .text = r->kept ? NULL : r->reason };
		fig[n++] = (struct bus_figure)FIG_T("state_time", r->time_ms);
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_WORKER_STATUS;
	ev.outstation = s->name;
	ev.u.status.id = id;
	ev.u.status.fig = fig;
	ev.u.status.count = n;
	hub_emit(h, &ev);
}

/*
 * server_status, then per outstation asked its worker_status and the
 * request to its worker, which answers with `status` (a worker that is
 * not running is not asked: its worker_status says so).
 */
void
hub_status_answer(struct hub *h, const struct hub_verdict *v,
    const char *msg, size_t len, uint64_t now)
{
	uint32_t first = 0, end = h->cfg.outstation_count;

	if (v->to >= 0) {
		first = (uint32_t)v->to;
		end = first + 1;
	} else
		server_status(h, v->id);
	for (uint32_t i = first; i < end; i++) {
		worker_status(h, &h->slot[i], v->id);
		if (h->slot[i].fd >= 0)
			hub_worker_deliver(h, (int)i, msg, len, now);
	}
}
