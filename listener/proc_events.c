/*
 * The listener's hook points (see proc.h): published on the bus as
 * `rejected`, `worker_started` and `worker_exited` (docs/EVENTS.md).
 * Only the rejection is logged here (rate limited); starts and exits are
 * logged by the supervisor with more context.
 */
#include <string.h>

#include "common/log.h"
#include "listener/hub.h"
#include "listener/proc.h"
#include "listener/ratelimit.h"
#include "listener/status.h"
#include "listener/supervise.h"

static struct ratelimit reject_rl =
    RATELIMIT_INIT(PROC_REJECT_BURST, PROC_REJECT_WINDOW_MS);

static void
emit_rejected(const char *peer, const char *endpoint, const char *reason,
    uint32_t count)
{
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_REJECTED;
	ev.endpoint = endpoint;
	ev.peer = peer;
	ev.u.rejected.reason = reason;
	ev.u.rejected.count = count;
	listener_hub_emit(&ev);
}

void
proc_event_tick(uint64_t now)
{
	uint32_t n = ratelimit_due(&reject_rl, now);

	if (n == 0)
		return;
	log_info("rejected %u more connections (rate limited: %d per %d ms "
	    "are logged one by one)", (unsigned)n, PROC_REJECT_BURST,
	    PROC_REJECT_WINDOW_MS);
	emit_rejected(NULL, NULL, "rate limited", n);
}

int
proc_event_timeout(uint64_t now)
{
	return ratelimit_timeout(&reject_rl, now);
}

/* Logged and published one by one up to the rate limit. */
static void
publish_rejection(const char *peer, const char *endpoint, const char *reason)
{
	uint64_t now = supervise_now();

	proc_event_tick(now);
	if (!ratelimit_pass(&reject_rl, now))
		return;
	log_info("rejected %s on %s: %s", peer, endpoint, reason);
	emit_rejected(peer, endpoint, reason, 0);
}

void
proc_event_rejected(const char *peer, const char *endpoint,
    const char *reason)
{
	listener_figures.rejected++;
	publish_rejection(peer, endpoint, reason);
}

void
proc_event_frame_dropped(const char *peer, const char *endpoint,
    const char *reason)
{
	publish_rejection(peer, endpoint, reason);
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
    int status, uint32_t restart_ms, const char *killed_for)
{
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_WORKER_EXITED;
	ev.outstation = oc->name;
	ev.u.worker_exited.pid = pid;
	ev.u.worker_exited.status = status;
	ev.u.worker_exited.restart_ms = restart_ms;
	ev.u.worker_exited.reason = killed_for;
	listener_hub_emit(&ev);
}
