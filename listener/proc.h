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
 * Creates cfg->runtime_dir (one level, 0700) if needed, or checks the
 * existing one (a real directory of the listener's user, not writable by
 * group or others: else refused), and the empty directory workers and the
 * hub chroot into. Returns the directory opened (O_NOFOLLOW), or -1
 * after logging why.
 */
int	proc_prepare_rundir(const struct dnp3d_config *cfg);
/* The same for any directory of the listener's own (what: for the log). */
int	proc_private_dir(const char *what, const char *dir);

/*
 * Anyone on the network can cause rejections: the first
 * PROC_REJECT_BURST of each PROC_REJECT_WINDOW_MS are logged and
 * published one by one, the rest as one summary (log line and `rejected`
 * event with reason "rate limited" and their count) when the window ends.
 */
#define PROC_REJECT_BURST	10
#define PROC_REJECT_WINDOW_MS	1000

/*
 * Starts path with argv: chan becomes its CHAN_WORKER_FD and extra[i]
 * CHAN_WORKER_FD + 1 + i; it gets stdio and those, nothing else, an
 * empty signal mask, SIGPIPE's default action, and dies with the
 * listener. Returns its pid, or -1 with errno. proc_spawn_init()
 * reserves those descriptor numbers: first thing at start-up.
 */
#define PROC_EXEC_EXTRA_MAX	2
int	proc_spawn_init(void);
pid_t	proc_spawn(const char *path, char *const argv[], int chan,
	    const int *extra, int nextra);

void	proc_event_rejected(const char *peer, const char *endpoint,
	    const char *reason);
/* A frame of a multi-drop connection dropped, the connection kept: a
   `rejected` event too, in the same rate limit, but no connection
   counted as rejected. */
void	proc_event_frame_dropped(const char *peer, const char *endpoint,
	    const char *reason);
/* The summary of rejections, when due; the poll timeout until it, or -1. */
void	proc_event_tick(uint64_t now);
int	proc_event_timeout(uint64_t now);
void	proc_event_worker_started(const struct outstation_config *oc,
	    pid_t pid);
/* The worker of oc died while master h was connected to it. */
void	proc_event_master_lost(const struct outstation_config *oc,
	    const struct handoff *h);
/* killed_for: why the listener killed it ("unresponsive"), or NULL. */
void	proc_event_worker_exited(const struct outstation_config *oc,
	    pid_t pid, int status, uint32_t restart_ms, const char *killed_for);

#endif
