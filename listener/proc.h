#ifndef DNP3D_LISTENER_PROC_H
#define DNP3D_LISTENER_PROC_H

/*
 * Hook points of the listener: what happened to connections and workers.
 * They log (or leave the logging to the caller) today; the bus hub will
 * publish them as events (bus/event.h: rejected, worker_started,
 * worker_exited).
 */
#include <stdint.h>
#include <sys/types.h>

#include "common/config.h"
#include "ipc/handoff.h"

/*
 * Creates cfg->runtime_dir (one level, 0755) if needed and the empty
 * directory workers chroot into. 0, or -1 after logging why.
 */
int	proc_prepare_rundir(const struct dnp3d_config *cfg);

void	proc_event_rejected(const char *peer, const char *endpoint,
	    const char *reason);
void	proc_event_worker_started(const struct outstation_config *oc,
	    pid_t pid);
/* The worker of oc died while master h was connected to it. */
void	proc_event_master_lost(const struct outstation_config *oc,
	    const struct handoff *h);
void	proc_event_worker_exited(const struct outstation_config *oc,
	    pid_t pid, int status, uint32_t restart_ms);

#endif
