#ifndef DNP3D_HUB_H
#define DNP3D_HUB_H

/*
 * dnp3d-hub: the bus hub, one unprivileged, chrooted, seccomp-confined
 * process started and supervised by the listener (listener/hub.h).
 *
 *  - Clients (dnp3-events, dnp3-update, nanocat, applications) join a raw
 *    nanomsg NN_BUS socket bound on the configured bus endpoints. A
 *    client's message reaches every other client; an op message
 *    (update, control_answer) also reaches the one worker it names, and
 *    no other.
 *  - Each worker has a SOCK_SEQPACKET socketpair with the hub, made by
 *    the listener, which passes one end to the worker and the other to
 *    the hub tagged with the outstation's index. So the hub knows who
 *    speaks: a worker's event is forwarded to the clients with its
 *    source and outstation set to that worker's outstation, and refused
 *    if it claims another outstation or an event only the listener or
 *    the hub publishes.
 *  - The listener publishes its own events through the channel.
 *
 * Nothing is dropped silently: a message that cannot go to its worker
 * (socket full, worker not running) or that the hub refuses from a worker
 * is counted and reported as a `dropped` / `refused` event at most once a
 * second per outstation.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus/event.h"
#include "bus/update.h"
#include "ipc/hubmsg.h"

#define HUB_SOURCE		"hub"
#define HUB_BATCH		64	/* messages per source per round */
#define HUB_REPORT_MS		1000	/* drop/refusal reports, at most */
#define HUB_SNDBUF		(256 * 1024) /* toward one worker */

/* Destinations of a client's message (hub_judge). */
#define HUB_NOBODY		(-1)	/* the other clients only */
#define HUB_DROP		(-2)	/* nobody: too big */
#define HUB_ALL			(-3)	/* every worker: a status request */
#define HUB_PING		(-4)	/* nobody: the hub answers a pong */

struct hub_count {
	uint64_t	 n;		/* since the last report */
	const char	*why;		/* the first reason since then */
};

/* The last `restarted` of kind "process" of an outstation (restarts.c). */
#define HUB_REASON_MAX		64
struct hub_restart {
	bool		 have;
	bool		 kept;		/* state_kept */
	char		 reason[HUB_REASON_MAX];	/* when not kept */
	uint64_t	 time_ms;	/* when the hub got it, UTC */
};

struct hub_slot {
	char		 name[HUB_NAME_LEN];
	int		 fd;		/* -1: no worker attached */
	struct hub_count dropped;	/* to it, not delivered */
	struct hub_count refused;	/* from it, not forwarded */
	struct hub_status_worker st;	/* the listener's view of it */
	struct hub_restart restart;	/* since the hub started */
};

struct hub {
	struct hub_config cfg;
	struct hub_slot	*slot;		/* cfg.outstation_count of them */
	uint32_t	*byname;	/* slot indices sorted by name */
	uint32_t	 named;		/* names received so far */
	int		 chan;		/* to the listener */
	int		 dirfd;		/* the runtime directory */
	int		 epfd;
	int		 sock;		/* raw NN_BUS of the clients, -1 */
	int		 rcvfd;
	uint64_t	 seq;		/* of the hub's own events */
	uint64_t	 report_at;	/* monotonic ms; 0: no report due */
	struct hub_status_listener figures; /* the listener's, latest */
	bool		 stop;
};

/* What a client's message is (hub_judge). */
struct hub_verdict {
	int		 to;		/* slot index, HUB_NOBODY, HUB_DROP,
					   HUB_PING */
	int		 code;		/* 0 or enum bus_msg_error */
	bool		 status;	/* a good status request */
	char		 detail[256];
	char		 op[32];
	char		 outstation[HUB_NAME_LEN];
	int64_t		 id;
};

/* names.c: the outstations, by index and by name. */
int	hub_names_add(struct hub *, const uint8_t *payload, size_t len);
int	hub_names_index(struct hub *);	/* after the last name */
int	hub_name_find(const struct hub *, const char *name);

/* judge.c: a client's message, without I/O. */
void	hub_judge(const struct hub *, const char *msg, size_t len,
	    struct hub_verdict *v);

/* stamp.c: a worker's message, without I/O. The JSON to forward (into
   out, NUL-terminated) with source and outstation those of name; its
   length, or -1 with *why saying why it is refused. */
#define HUB_WORKER_MSG_MAX	BUS_EVENT_MAX
int	hub_stamp(const char *name, const char *msg, size_t len, char *out,
	    size_t cap, const char **why);

/* restarts.c: a stamped worker message (compact JSON). Parse: 1 and *r
   when it is a `restarted` of kind "process" in the event's form, 0 when
   it is something else, -1 a malformed one. Note: kept in the slot. */
int	hub_restart_parse(const char *msg, size_t len, struct hub_restart *r);
void	hub_restart_note(struct hub_slot *, const char *msg, size_t len);

/* report.c: counts and their events. */
void	hub_count(struct hub *, struct hub_count *, const char *why,
	    uint64_t now);
void	hub_report(struct hub *, uint64_t now);
int	hub_emit(struct hub *, struct bus_event *ev);
uint64_t hub_now(void);

/* clients.c: the nanomsg side. */
int	hub_clients_open(struct hub *, char *err, size_t errlen);
int	hub_clients_move(struct hub *, uint64_t now);
int	hub_publish(struct hub *, const char *msg, size_t len);

/* status.c: the listener's figures (CHAN_HUB_STATUS, CHAN_HUB_WSTATUS),
   checked and kept; a status request answered with them and passed to
   the workers it asks. 0, or -1 for a bad record. */
int	hub_status_store(struct hub *, uint16_t type, const uint8_t *data,
	    size_t len);
void	hub_status_answer(struct hub *, const struct hub_verdict *v,
	    const char *msg, size_t len, uint64_t now);

/* workers.c: the socketpairs. */
void	hub_worker_attach(struct hub *, uint32_t index, int fd);
int	hub_worker_read(struct hub *, uint32_t index, uint64_t now);
void	hub_worker_deliver(struct hub *, int index, const char *msg,
	    size_t len, uint64_t now);

/* chan.c: the listener's records. 0, or -1: stop (EOF or error). */
int	hub_chan_setup(struct hub *, char *err, size_t errlen);
int	hub_chan_read(struct hub *);

/* setup.c: bind as root in the runtime directory, then the lockdown. */
int	hub_bind_all(struct hub *, char *err, size_t errlen);
void	hub_lockdown(const struct hub *);

/* loop.c */
int	hub_epoll_add(struct hub *, int fd, uint32_t tag);
/* One wait (at most max_ms, -1: until something happens) and what it
   brought; hub_loop() until the listener closes the channel. */
void	hub_round(struct hub *, int max_ms);
void	hub_loop(struct hub *);
void	hub_drain(struct hub *);

#define HUB_TAG_CHAN		0xffffffffu
#define HUB_TAG_CLIENTS		0xfffffffeu

#endif
