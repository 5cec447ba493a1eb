/*
 * The listener's hook points (see proc.h). Only the rejection is logged
 * here; starts and exits are logged by the supervisor with more context.
 */
#include "common/log.h"
#include "listener/proc.h"

void
proc_event_rejected(const char *peer, const char *endpoint,
    const char *reason)
{
	log_info("rejected %s on %s: %s", peer, endpoint, reason);
}

void
proc_event_worker_started(const struct outstation_config *oc, pid_t pid)
{
	log_debug("worker %s started (pid %d)", oc->name, (int)pid);
}

void
proc_event_worker_exited(const struct outstation_config *oc, pid_t pid,
    int status, uint32_t restart_ms)
{
	(void)oc;
	(void)pid;
	(void)status;
	(void)restart_ms;
}
