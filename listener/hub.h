#ifndef DNP3D_LISTENER_HUB_H
#define DNP3D_LISTENER_HUB_H

/*
 * The listener's side of the bus hub (dnp3d-hub, hub/hub.h): it starts
 * the hub (fork + exec, like a worker), restarts it with backoff when it
 * dies, gives it and every worker the two ends of one socketpair per
 * worker (again after either restarts: no worker stays deaf), and
 * publishes the listener's own events through it.
 *
 * Nothing comes back from the hub but bytes: the listener's end of the
 * channel is shut for reading (the hub's sends fail), and the hub's only
 * way back is a pipe on which it writes one byte, "R", once bound and
 * locked down. So no descriptor from the hub ever enters the listener,
 * and the listener parses nothing of the bus. A pipe that closes means
 * the hub is gone; anything but one "R" gets it killed.
 *
 * The listener's events are queued (HUB_QUEUE_MAX) while the hub cannot
 * take them (starting, restarting, slow): they reach the next hub in
 * order, and only a queue overflow loses some (a gap in seq says so).
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bus/event.h"
#include "common/config.h"
#include "listener/supervise.h"

#define HUB_QUEUE_MAX		1024	/* listener events waiting */
/* The hub's RLIMIT_NOFILE: a socket per outstation, HUB_CLIENTS_MAX bus
   connections, and the spare for its own (stdio, channel, nanomsg's). */
#define HUB_CLIENTS_MAX		512
#define HUB_FDS_SPARE		32
#define HUB_ATTACH_RETRY_MS	200	/* a worker's channel was full */
#define HUB_SEND_WAIT_MS	2000	/* configuration to a new hub */
/* A restarted hub waits this long after binding before it publishes, so
   that clients of the one before (nanomsg reconnects every 100 ms) see
   hub_exited and hub_started. */
#define HUB_REJOIN_MS		500

/* Finds dnp3d-hub ($DNP3D_HUB, else beside dnp3d-worker's places) and
   keeps what starting it needs. dirfd: the runtime directory, checked
   (proc_prepare_rundir). 0, or -1 after logging why. */
int	listener_hub_init(const struct dnp3d_config *cfg,
	    struct supervisor *sup, int dirfd, int verbose);

/* Starts the hub (first start: no delay). */
void	listener_hub_start(void);

/* The two descriptors to poll: the ready pipe (POLLIN) and the channel
   (POLLOUT while something waits for room). fd -1 when none. */
void	listener_hub_pollfds(struct pollfd *ready, struct pollfd *chan);
void	listener_hub_events(short ready_revents, short chan_revents);

/* Sends what waits (queued events, workers' sockets), restarts a dead
   hub whose backoff ran out, kills one not ready in time. */
void	listener_hub_tick(uint64_t now);
int	listener_hub_timeout(uint64_t now);

/* The hub has bound the bus and locked itself down (it said so once). */
bool	listener_hub_ready(void);

/* SIGCHLD of pid: true if it was the hub (then restarted later). */
bool	listener_hub_reaped(pid_t pid, int status);

/* Publishes the listener's own event: source "listener", next seq, now. */
void	listener_hub_emit(struct bus_event *ev);

/* A reload changed the outstations' names or their order, which index
   the hub's table: the hub is restarted at once (reason "reconfigured")
   with the new list, and every worker gets a new bus socket. */
void	listener_hub_reconfigure(size_t count);

/* At shutdown, after the workers: the queued events go out, the channel
   closes, the hub forwards what the workers left and exits (killed after
   SUPERVISE_STOP_WAIT_MS). sigfd: the listener's signalfd. */
void	listener_hub_stop(int sigfd);

/* hub_attach.c: bus socketpairs for workers that lack one with the
   current hub generation gen. -1 when the hub's channel is full.
   hub_attach_init() again (a reload) forgets every pair. */
int	hub_attach_init(size_t count);
int	hub_attach_all(struct supervisor *sup, int hubchan, uint32_t gen,
	    uint64_t now);
int	hub_attach_timeout(const struct supervisor *sup, uint32_t gen,
	    uint64_t now);

#endif
