/*
 * The listener's hook points (see proc.h): published on the bus as
 * `rejected`, `worker_started` and `worker_exited` (docs/EVENTS.md).
 * Only the rejection is logged here; starts and exits are logged by the
 * supervisor with more context.
 */
#include <string.h>

#include "common/log.h"
#include "listener/hub.h"
#include "listener/proc.h"

void
proc_event_rejected(const char *peer, const char *endpoint,
    const char *reason)
{
	struct bus_event ev;

	log_info("rejected %s on %s: %s", peer, endpoint, reason);
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_REJECTED;
	ev.endpoint = endpoint;
	ev.peer = peer;
	ev.u.rejected.reason = reason;
	listener_hub_emit(&ev);
}

void
proc_event_worker_started(const struct outstation_config *oc, pid_t pid)
{
	struct bus_event ev;

	log_debug("worker %s started (pid %d)", oc->name, (int)pid);
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_WORKER_STARTED;
	ev.outstation = oc->name;
	ev.u.worker_started.pid = pid;
	listener_hub_emit(&ev);
}

void
proc_event_master_lost(const struct outstation_config *oc,
    const struct handoff *h)
{
	struct bus_event ev;
	char peer[HANDOFF_ADDRSTR_MAX];

	handoff_addrstr(h, peer, sizeof(peer));
	log_info("%s: disconnected (worker died) %s", oc->name, peer);
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_DISCONNECTED;
	ev.outstation = oc->name;
	ev.endpoint = oc->endpoint;
	ev.peer = peer;
	ev.u.disconnected.reason = BUS_DISC_WORKER_DIED;
	listener_hub_emit(&ev);
}

/* status is the raw wait(2) status: the encoder names exit code, signal
   and a seccomp kill (SIGSYS). restart_ms 0: not restarted (shutdown). */
void
proc_event_worker_exited(const struct outstation_config *oc, pid_t pid,
    int status, uint32_t restart_ms)
{
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_WORKER_EXITED;
	ev.outstation = oc->name;
	ev.u.worker_exited.pid = pid;
	ev.u.worker_exited.status = status;
	ev.u.worker_exited.restart_ms = restart_ms;
	listener_hub_emit(&ev);
}
