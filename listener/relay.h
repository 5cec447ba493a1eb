#ifndef DNP3D_LISTENER_RELAY_H
#define DNP3D_LISTENER_RELAY_H

/*
 * The listener's side of the multi-drop relays (dnp3d-relay,
 * relay/relay.h), for servers with multidrop = true. A new connection on
 * such a server gets a relay of its own (fork + exec, the channel of a
 * worker). For each outstation of the server whose filter matches the
 * master, the listener makes a stream socketpair, hands one end to that
 * outstation's worker exactly as it hands a master's socket (the same
 * struct handoff: the worker reports the master's real address), and
 * gives the other end to the relay with the outstation's link address;
 * then the master's socket. The listener keeps none of them, and never
 * reads a byte of any.
 *
 * What a relay tells it (ipc/relaymsg.h) is untrusted: fixed size, a
 * known kind, a link address it gave that relay. A relay that breaks the
 * protocol, or is not ready in time, is killed; a relay that ends closes
 * its connection only (its descriptors were the only ones). At most
 * RELAY_CONNS_MAX relays run at once.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "common/config.h"
#include "ipc/handoff.h"
#include "ipc/relaymsg.h"
#include "listener/server.h"
#include "listener/supervise.h"

#define RELAY_CONNS_MAX		64	/* multi-drop connections at once */
#define RELAY_NEWS_BURST	64	/* records read per wake-up */

/* Keeps what starting relays needs; finds the program when a server of
   cfg is multidrop. 0, or -1 after logging why. */
int	relays_init(const struct dnp3d_config *cfg, struct supervisor *sup,
	    int verbose);

/* One descriptor for every relay's news (an epoll set), and its events. */
void	relays_pollfd(struct pollfd *p);
void	relays_events(short revents);

/* Kills relays not ready in time. */
void	relays_tick(uint64_t now);
int	relays_timeout(uint64_t now);

/* SIGCHLD of pid: true if it was a relay. */
bool	relays_reaped(pid_t pid, int status);

/* Worker oi of sup is ready (again): its closed links get a new pair. */
void	relays_worker_ready(struct supervisor *sup, size_t oi);

/* Shutdown: every relay ends, and with it its connection. */
void	relays_stop(void);

/* A new connection of a multidrop server: to a new relay, or rejected
   with the reason. The caller closes fd either way. */
void	relays_submit(const struct listen_sock *ls, int fd,
	    const struct handoff *h, const struct sockaddr_storage *ss,
	    const char *peer);

/* One relay and what the listener gave it. */
struct relay_proc {
	pid_t		 pid;		/* 0: a free slot */
	int		 chan;		/* to it; open while it runs */
	int		 in;		/* its news (a pipe), -1 after EOF */
	bool		 ready;
	uint64_t	 started_at;
	const char	*killed_for;	/* why the listener killed it */
	char		 peer[HANDOFF_ADDRSTR_MAX];
	char		 endpoint[CFG_ENDPOINT_MAX];
	struct handoff	 h;		/* the master, as workers get it */
	uint32_t	 links;
	bool		 gone[RELAY_LINKS_MAX];	/* closed in the relay */
	uint16_t	 address[RELAY_LINKS_MAX];
	char		 name[RELAY_LINKS_MAX][CFG_NAME_MAX + 1];
};

/* The relays of relay.c; relay_start.c starts them. */
struct relay_table {
	const struct dnp3d_config *cfg;
	struct supervisor *sup;
	char		 path[4096];	/* "": not looked for yet */
	int		 verbose;
	int		 epfd;		/* every relay's news pipe */
	struct relay_proc r[RELAY_CONNS_MAX];
	size_t		 count;
};
extern struct relay_table relays;
int	relays_find_program(void);

/* relay_news.c: one relay's records on its pipe, until none is left;
   false when it must be killed (*why says what it did). */
bool	relays_read_news(struct relay_proc *r, const char **why);

#endif
