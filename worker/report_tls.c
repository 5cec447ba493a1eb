/*
 * The tls_failed event (docs/EVENTS.md): a master whose handshake did
 * not complete, with the reason a person reads.
 */
#include <string.h>

#include "common/log.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

void
worker_report_tls_failed(struct worker *w, const char *reason)
{
	struct bus_event ev;

	log_warnx("tls: %s refused: %s", w->conn.peer, reason);
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_TLS_FAILED;
	ev.outstation = w->cfg.name;
	ev.endpoint = w->cfg.endpoint;
	ev.peer = w->conn.peer;
	ev.u.tls_failed.reason = reason;
	worker_bus_emit(&ev);
}
