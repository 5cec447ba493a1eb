#ifndef DNP3D_LISTENER_SERVER_H
#define DNP3D_LISTENER_SERVER_H

/*
 * The listening side: one socket per server endpoint, bound before any
 * worker starts; accepted connections are matched against the server's
 * outstation filters and handed to the outstation's worker with
 * SCM_RIGHTS (ipc/channel.h, ipc/handoff.h). The listener never reads a
 * byte from a master.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "listener/supervise.h"

/*
 * Large enough that a burst of connects (a flood from unmatched hosts, or
 * many masters after a network outage) is queued rather than having SYNs
 * dropped, which would delay a legitimate master by a SYN retransmit (1 s).
 * The kernel caps it at net.core.somaxconn.
 */
#define SERVER_BACKLOG		1024
#define SERVER_ACCEPT_BURST	32	/* accepts per readable event */
#define SERVER_PAUSE_MS		250	/* no accept after a failure that
					   shedding could not clear */

struct listen_sock {
	int		 fd;
	uint32_t	 server;	/* index into cfg->servers */
	const char	*name;		/* endpoint text, "127.0.0.1:20000" */
};

/*
 * Binds and listens on one endpoint (SO_REUSEADDR; IPV6_V6ONLY on IPv6,
 * so "[::]:p" and "0.0.0.0:p" are two separate sockets and both can be
 * configured). Returns the socket, or -1 with a reason in err.
 */
int	server_listen(const struct server_config *sc, char *err, size_t len);

/*
 * Binds every server of cfg into ls[0..cfg->server_count). On the first
 * failure logs "cannot listen on ENDPOINT: REASON", closes what was bound
 * and returns -1.
 */
int	server_bind_all(const struct dnp3d_config *cfg, struct listen_sock *ls);
void	server_close_all(struct listen_sock *ls, size_t n);

/*
 * Accepts what is pending on ls (at most SERVER_ACCEPT_BURST) and routes
 * each connection to its outstation's worker, or closes it and logs why.
 */
/* Keeps one descriptor in reserve for shedding connections at EMFILE. */
void	server_spare_fd(void);

void	server_accept(const struct dnp3d_config *cfg,
	    const struct listen_sock *ls, struct supervisor *sup);

/*
 * Sends fd to the worker of outstation oi (an index into sup->w), or
 * rejects the connection (not running, too many hand-offs pending even
 * after reading what the worker has reported, a failed send) and says
 * why. HAND_OFF_KEPT: the worker's ledger keeps
 * fd (a plain TCP master, whose connection outlives a worker that dies:
 * see supervise_hand_back()); else (HAND_OFF_SENT, HAND_OFF_FAILED) the
 * caller closes fd after.
 */
enum hand_off { HAND_OFF_FAILED, HAND_OFF_SENT, HAND_OFF_KEPT };
enum hand_off server_hand_off(const char *endpoint, struct supervisor *sup,
	    int oi, const struct handoff *h, int fd, const char *peer);

/*
 * After an accept failure that could not be cleared (out of descriptors
 * with no spare left) the listen sockets are not polled for a while:
 * server_paused() says whether to leave them out, server_timeout() is the
 * poll timeout until the pause or the failure summary ends (-1: none),
 * and server_tick() ends the pause and logs the summary when due.
 */
bool	server_paused(void);
int	server_timeout(uint64_t now);
void	server_tick(uint64_t now);

#endif
