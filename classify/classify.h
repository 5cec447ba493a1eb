#ifndef DNP3D_CLASSIFY_H
#define DNP3D_CLASSIFY_H

/*
 * dnp3d-classify: the link address classifier. For a server with
 * route = "link_address", the listener passes each new connection's
 * socket here (ipc/classifymsg.h) and routes it by the answer: the
 * destination address of its first link frame, or why there is none.
 * The classifier only peeks (MSG_PEEK): every byte stays in the socket
 * for the worker. It runs unprivileged, chrooted and seccomp-confined
 * (policy/classify_filter.c), so the listener never parses a byte of
 * the network and the classifier can at worst misroute a connection.
 */
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc/classifymsg.h"

#define CLASSIFY_RETRY_MS	10	/* part of a header came: look again */
#define CLASSIFY_BURST		64	/* channel records per wake-up */
#define CLASSIFY_FDS_SPARE	16	/* RLIMIT_NOFILE beyond max_conns */

/*
 * header.c: what the first n bytes of a connection say. Returns 1 with
 * *a filled (verdict, address; not the id), or 0 when more bytes are
 * needed. eof: the peer has closed, nothing more will come.
 */
int	classify_header(const uint8_t *buf, size_t n, bool eof,
	    struct classify_answer *a);

/* One connection waiting for its first frame. */
struct cl_conn {
	int		 fd;
	uint32_t	 id;
	uint64_t	 deadline;	/* monotonic ms: then CLASSIFY_TIMEOUT */
	uint64_t	 retry_at;	/* 0: poll for data; else peek again */
};

struct classifier {
	int		 chan;		/* from the listener (descriptors) */
	int		 out;		/* the answer pipe */
	struct cl_conn	*conn;		/* max of them, count in use */
	struct pollfd	*pfd;		/* chan, then one per conn */
	size_t		 count, max;
};

uint64_t classify_now(void);

/* conns.c: the table and the loop's steps. */
int	classify_table_init(struct classifier *c, size_t max);
/* Takes fd; 0, or -1 when the table is full (fd closed). */
int	classify_add(struct classifier *c, int fd, uint32_t id,
	    uint32_t timeout_ms, uint64_t now);
/* Fills c->pfd; the number to poll and the timeout in *ms. */
nfds_t	classify_poll_setup(struct classifier *c, uint64_t now, int *ms);
/* After poll: peeks where there is news, answers what is decided and
   what timed out, and forgets those. */
void	classify_step(struct classifier *c, uint64_t now);

#endif
