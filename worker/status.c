/*
 * The worker's answer to a status request (docs/EVENTS.md, status): its
 * counts, the master it serves and the events waiting for it. Counting
 * is plain integer arithmetic where things happen (app.c, report.c,
 * bus_control.c); only this answer builds anything.
 */
#include <stdio.h>
#include <string.h>

#include "bus/event.h"
#include "dnp3/outstation/outstation.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

#define FIG(k, v)	{ .name = (k), .kind = BUS_FIG_COUNT, .n = (v) }

void
worker_status_error(struct worker *w, const char *text)
{
	struct worker_stats *s = &w->stats;

	snprintf(s->error_buf, sizeof(s->error_buf), "%s", text);
	s->last_error = s->error_buf;
	s->error_ms = (uint64_t)bus_now_ms();
}

void
worker_status_answer(struct worker *w, int64_t id)
{
	const struct worker_stats *s = &w->stats;
	const struct outstation *os = w->session.os;
	const struct os_stats *o = outstation_stats(os);
	bool on = w->conn.fd >= 0 && s->connected_ms != 0;
	const struct bus_figure fig[] = {
		{ .name = "master", .kind = BUS_FIG_TEXT,
		    .text = on ? "connected" : "none" },
		{ .name = "since", .kind = BUS_FIG_TIME,
		    .n = on ? s->connected_ms : 0 },
		FIG("connections", w->connections),
		FIG("frames_in", s->frames_in),
		FIG("frames_out", s->frames_out),
		FIG("link_errors", s->link_errors),
		FIG("malformed", o->malformed),
		FIG("replaced", s->replaced),
		FIG("rejected", s->rejected),
		FIG("controls", s->controls),
		FIG("events_class1", outstation_events_waiting(os, 1)),
		FIG("events_class2", outstation_events_waiting(os, 2)),
		FIG("events_class3", outstation_events_waiting(os, 3)),
		FIG("events_overflow", outstation_events_overflow(os)),
		FIG("confirm_timeouts", o->confirm_timeouts),
		{ .name = "last_error", .kind = BUS_FIG_TEXT,
		    .text = s->last_error },
		{ .name = "last_error_time", .kind = BUS_FIG_TIME,
		    .n = s->last_error != NULL ? s->error_ms : 0 },
	};
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_STATUS;
	ev.outstation = w->cfg.name;
	ev.endpoint = w->cfg.endpoint;
	ev.peer = on ? w->conn.peer : NULL;
	ev.u.status.id = id;
	ev.u.status.fig = fig;
	ev.u.status.count = sizeof(fig) / sizeof(fig[0]);
	worker_bus_emit(&ev);
}
