/*
 * Liveness of the workers (see supervise.h).
 *
 * The listener is the only writer of a worker's channel, and on an
 * AF_UNIX socket SIOCOUTQ on the listener's end counts the bytes of the
 * records the worker has not read yet. So "not reading" is seen without
 * asking anything of the worker: a count above zero that has not shrunk
 * for liveness_ms is a worker that stopped reading its channel. An idle
 * worker has nothing to read; half-way through each quiet period it gets
 * a CHAN_PING, which it only has to read. Nothing is asked back: a reply
 * could come from a worker that has stopped taking its hand-offs, reading
 * cannot. A ping goes only to an empty queue, so at most one waits.
 *
 * An idle worker's ping may go up to a tenth of liveness_ms early, at a
 * wake-up for another's: the pings then fall due together, and 10,000
 * idle workers wake the listener a few times per period, not 4,000 times
 * a second (each wake-up looks at every worker's deadline).
 *
 * The count is looked at right before and after every send and at each
 * deadline, so a read between two looks shows as a shrink. A read in the
 * instant between a send and the look after it can go unseen; the bound
 * is seconds, and a worker that reads at all reads again long before it.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "common/log.h"
#include "listener/supervise.h"

/* One look at the queue; after a send, a count that did not grow is a
 * read too. */
static void
look(struct wproc *w, uint64_t now, bool sent)
{
	int n;

	if (ioctl(w->chan, SIOCOUTQ, &n) == -1)
		return;		/* nothing learnt; the deadline stands */
	if (n <= 0)
		w->stall_since = 0;
	else if (w->stall_since == 0 || n < w->unread ||
	    (sent && n <= w->unread))
		w->stall_since = now;
	w->unread = n > 0 ? n : 0;
}

int
supervise_send(struct wproc *w, enum chan_type type, const void *data,
    size_t len, int fd)
{
	uint64_t now = supervise_now();

	look(w, now, false);
	if ((fd >= 0 ? chan_send_fd(w->chan, type, data, len, fd) :
	    chan_send(w->chan, type, data, len)) == -1)
		return -1;
	w->last_sent = now;
	look(w, now, true);
	return 0;
}

void
supervise_live_start(struct wproc *w, uint64_t now)
{
	w->liveness_ms = w->cfg->worker_liveness_ms != 0 ?
	    w->cfg->worker_liveness_ms : CFG_LIVENESS_DEFAULT;
	w->unread = 0;
	w->stall_since = 0;
	w->last_sent = now;
}

uint64_t
supervise_live_deadline(const struct wproc *w)
{
	if (w->stall_since != 0)
		return w->stall_since + w->liveness_ms;
	return w->last_sent + w->liveness_ms / 2;
}

void
supervise_live_tick(struct wproc *w, uint64_t now)
{
	uint64_t due;

	if (w->state != WPROC_READY || w->chan < 0)
		return;
	due = supervise_live_deadline(w);
	if (w->stall_since == 0)
		due -= w->liveness_ms / SUPERVISE_PING_EARLY;
	if (now < due)
		return;
	look(w, now, false);
	if (w->stall_since != 0 && now - w->stall_since >= w->liveness_ms) {
		log_warnx("worker %s (pid %d) has not read its channel for "
		    "%u ms (%d bytes waiting), killing it", w->cfg->name,
		    (int)w->pid, (unsigned)(now - w->stall_since), w->unread);
		supervise_kill(w, "unresponsive");
		return;
	}
	if (w->stall_since == 0 &&
	    supervise_send(w, CHAN_PING, NULL, 0, -1) == -1) {
		log_warn("worker %s: ping", w->cfg->name);
		w->last_sent = now;	/* next try in liveness_ms / 2 */
	}
}
