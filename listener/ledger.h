#ifndef DNP3D_LISTENER_LEDGER_H
#define DNP3D_LISTENER_LEDGER_H

/*
 * The hand-offs the listener made to one worker, oldest first, checked
 * against what the worker reports (CHAN_MASTER). The worker takes its
 * channel in order and serves one master at a time, so a report names
 * an entry of the ledger and settles every entry before it:
 *
 *	connected P	P is an entry not yet open; the entries before it
 *			were taken (and replaced); P becomes the open one.
 *	disconnected P	P is the open entry, or a later one whose
 *			"connected" the worker folded into this report
 *			(it sends only its latest state when the channel
 *			is full); P and the entries before it are gone.
 *	refused P	P is an entry not yet open (accept = "keep": the
 *			worker closed it at once); P and the pending
 *			entries before it are gone (refused too, their
 *			reports folded); the open entry stays open.
 *
 * Anything else -- a peer never handed over, a second "connected" for the
 * open one -- is a lie: the caller treats the worker as compromised. So
 * each report settles at least one entry, and a worker can send no more
 * good reports than two per hand-off.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ipc/handoff.h"

#define LEDGER_PENDING_MAX	32	/* hand-offs not yet taken, per worker */

struct ledger {
	struct handoff	 h[LEDGER_PENDING_MAX + 1];	/* ring */
	int		 fd[LEDGER_PENDING_MAX + 1];	/* the listener's copy
							   of each socket, or
							   -1 */
	uint32_t	 head;
	uint32_t	 count;
	uint32_t	 max_pending;	/* 1..LEDGER_PENDING_MAX */
	bool		 open;		/* h[head] is the master served */
};

void	 ledger_init(struct ledger *l, uint32_t max_pending);

/* Hand-offs the worker has not reported taking. */
uint32_t ledger_pending(const struct ledger *l);

/* Records a hand-off that was sent. -1: max_pending reached. */
int	 ledger_add(struct ledger *l, const struct handoff *h);
/* The same, keeping fd, the listener's copy of the socket: closed when
   the entry is settled (the worker reported the master gone, refused or
   replaced); until then the connection outlives a worker that dies
   (ledger_take()). */
int	 ledger_add_fd(struct ledger *l, const struct handoff *h, int fd);

/* Checks and applies one report (state: enum chan_master_state). 0, or
   -1 (a lie, nothing changed). */
int	 ledger_report(struct ledger *l, int state, const struct handoff *h);

/* The master the worker serves, NULL if none. */
const struct handoff *ledger_open(const struct ledger *l);

/*
 * The worker died: the copy kept of the socket of the master it served
 * (the open entry; with none, a resumed one it had not yet taken) is
 * taken out, with its hand-off in *h. -1 when there is none.
 */
int	 ledger_take(struct ledger *l, struct handoff *h);
/* Every entry settled (copies closed): empty again. */
void	 ledger_clear(struct ledger *l);

#endif
