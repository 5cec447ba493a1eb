#ifndef DNP3D_LISTENER_RELOAD_H
#define DNP3D_LISTENER_RELOAD_H

/*
 * Reload on SIGHUP (dnp3d(8), "RELOAD"). The new file is loaded and
 * checked completely, as -t does; settings that cannot change while
 * running are refused by name; every new endpoint is bound. Any failure
 * leaves everything as it was, logs why and publishes `reload_failed`.
 * Then the difference is applied, outstations matched by name: the
 * workers of changed and removed ones stop (their masters are told
 * "reconfigured" / "removed"), removed endpoints close, new and changed
 * outstations start; an unchanged outstation's worker is not touched.
 * `reloaded` lists what was started, restarted and stopped.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "listener/server.h"
#include "listener/supervise.h"

/* What main() hands over; the arrays are replaced on success. */
/* The listener's poll array: signals, the endpoints, the workers' epoll,
   the relays', the classifier, the hub's ready pipe and channel. */
#define LISTENER_POLL_FDS(servers)	((size_t)(servers) + 6)

struct reload_state {
	struct dnp3d_config	*cfg;
	struct listen_sock	**ls;
	struct pollfd		**pfd;
	struct supervisor	*sup;
};

/* 0: applied; -1: refused, nothing changed. file NULL: the default. */
int	reload(const char *file, struct reload_state *st);

/* reload_plan.c: what happens to each outstation. */
enum reload_fate {
	RELOAD_KEEP,		/* same settings: the worker stays */
	RELOAD_RESTART,		/* changed: a new worker */
	RELOAD_START		/* added */
};

struct reload_plan {
	uint8_t		*fate;		/* per new outstation */
	int32_t		*from;		/* per new: old index, or -1 */
	uint8_t		*stop;		/* per old: 0 (kept), or
					   enum chan_stop_why */
	uint32_t	 count[3];	/* started, restarted, stopped */
	bool		 renamed;	/* names or their order changed */
};

/* Settings that cannot change while running: -1 with err naming it. */
int	reload_fixed(const struct dnp3d_config *o,
	    const struct dnp3d_config *n, char *err, size_t len);
int	reload_plan_make(const struct dnp3d_config *o,
	    const struct dnp3d_config *n, struct reload_plan *p);
void	reload_plan_free(struct reload_plan *p);

/* reload_bind.c: the new endpoints, reusing the sockets of those that
   stay (same text, same address). -1 with err, nothing changed. */
int	reload_bind(const struct dnp3d_config *o,
	    const struct dnp3d_config *n, struct listen_sock *old,
	    uint32_t nold, struct listen_sock *ls, char *err, size_t len);

#endif
