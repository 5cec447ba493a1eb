#ifndef DNP3D_LISTENER_CLASSIFY_H
#define DNP3D_LISTENER_CLASSIFY_H

/*
 * The listener's side of the link address classifier (dnp3d-classify,
 * classify/classify.h), for servers with route = "link_address". The
 * listener starts it when a server needs it (fork + exec, the channel of
 * a worker: a socketpair towards it, a packet-mode pipe back that can
 * carry no descriptor), restarts it with backoff when it dies, and kills
 * it when it breaks the protocol.
 *
 * A new connection on such a server is sent to the classifier with an id
 * and kept here (the listener's copy of the socket) until the answer:
 * the destination address of its first link frame, which picks the
 * outstation among those whose filter matches the master; or why there
 * is none. Either way the listener's copy is closed then. The answer is
 * untrusted: fixed size, a known id, an address that fits the verdict.
 * At most CLASSIFY_WAIT_MAX connections wait (descriptors of root); a
 * connection without an answer CLASSIFY_GRACE_MS after its route timeout,
 * and every connection waiting when the classifier dies, is closed and
 * reported.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "common/config.h"
#include "ipc/classifymsg.h"
#include "ipc/handoff.h"
#include "listener/server.h"
#include "listener/supervise.h"

#define CLASSIFY_WAIT_MAX	256
#define CLASSIFY_GRACE_MS	1000
#define CLASSIFY_ANSWER_BURST	64	/* records read per wake-up */

/* Keeps what starting it needs; finds the program when a server of cfg
   routes by link address. 0, or -1 after logging why. */
int	classify_init(const struct dnp3d_config *cfg, struct supervisor *sup,
	    int verbose);

/* Ready to classify, or not needed: part of "N outstations ready". */
bool	classify_ready(void);

/* The answer pipe to poll (fd -1 when none) and its events. */
void	classify_pollfd(struct pollfd *p);
void	classify_events(short revents);

/* Starts it when needed (again after a reload that needs it), restarts
   it after its backoff, kills one not ready in time, closes connections
   whose answer is overdue. */
void	classify_tick(uint64_t now);
int	classify_timeout(uint64_t now);

/* SIGCHLD of pid: true if it was the classifier. */
bool	classify_reaped(pid_t pid, int status);

/* Shutdown: waiting connections are closed, the classifier ends. */
void	classify_stop(void);

/*
 * A new connection of a link_address server: true when the classifier
 * has it (the listener keeps fd until the answer), false when it was
 * rejected here (the caller closes fd).
 */
bool	classify_submit(const struct listen_sock *ls, int fd,
	    const struct handoff *h, const struct sockaddr_storage *ss,
	    const char *peer);

/* classify_wait.c: the connections waiting for an answer. */
int	classify_wait_add(const struct listen_sock *ls, int fd,
	    const struct handoff *h, const struct sockaddr_storage *ss,
	    uint32_t timeout_ms, uint64_t now, uint32_t *id);
void	classify_wait_drop(uint32_t id);
/* -1 (unknown id: a lie) or 0 after routing or rejecting it. */
int	classify_wait_answer(const struct dnp3d_config *cfg,
	    struct supervisor *sup, const struct classify_answer *a);
void	classify_wait_reject_all(const char *why);
void	classify_wait_tick(uint64_t now);
int	classify_wait_timeout(uint64_t now);
size_t	classify_wait_count(void);

#endif
