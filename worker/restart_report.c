/*
 * The restarted event (docs/EVENTS.md) for a master's COLD_RESTART or
 * WARM_RESTART: the outstation counts them, and the worker publishes
 * each one the count shows after a frame, so that an application that
 * feeds the points knows to publish them again.
 */
#include <string.h>

#include "common/log.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

static void
emit(struct worker *w, enum bus_restart_kind kind)
{
	struct bus_event ev;

	log_info("%s restart by %s", bus_restart_kind_name(kind),
	    w->conn.fd >= 0 ? w->conn.peer : "a master");
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_RESTARTED;
	ev.outstation = w->cfg.name;
	ev.endpoint = w->cfg.endpoint;
	ev.peer = w->conn.fd >= 0 ? w->conn.peer : NULL;
	ev.u.restarted.kind = kind;
	worker_bus_emit(&ev);
}

void
worker_report_restarts(struct worker *w)
{
	const struct os_stats *st = outstation_stats(w->session.os);

	/* One request restarts once: at most one of each per frame. */
	if (st->cold_restarts != w->cold_restarts) {
		w->cold_restarts = st->cold_restarts;
		emit(w, BUS_RESTART_COLD);
	}
	if (st->warm_restarts != w->warm_restarts) {
		w->warm_restarts = st->warm_restarts;
		emit(w, BUS_RESTART_WARM);
	}
}
