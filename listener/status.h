#ifndef DNP3D_LISTENER_STATUS_H
#define DNP3D_LISTENER_STATUS_H

/*
 * The listener's figures for dnp3-status: counted here, sent to the hub
 * (CHAN_HUB_STATUS, CHAN_HUB_WSTATUS, ipc/hubmsg.h), which answers the
 * status requests of bus clients with them. The listener reads nothing
 * of those requests: it only writes, when a figure changed.
 */
#include <stddef.h>
#include <stdint.h>

#include "ipc/hubmsg.h"
#include "listener/supervise.h"

/* Counted where they happen (server_route.c, proc_events.c, reload.c). */
extern struct hub_status_listener listener_figures;

/* Forgets what was sent: a start or a reload with count outstations.
   0, or -1 (out of memory). */
int	listener_status_init(size_t count);

/*
 * Sends the hub what changed since the last call (everything to a hub of
 * a new generation gen), at most every HUB_STATUS_MS. -1 when the
 * channel is full: the rest goes with the next call.
 */
int	listener_status_send(const struct supervisor *s, int chan,
	    uint32_t gen, uint64_t now);
/* Milliseconds until a held-back change is due, -1: none. */
int	listener_status_timeout(uint64_t now);

#endif
