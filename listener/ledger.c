/*
 * The hand-off ledger of one worker (see ledger.h).
 */
#include <string.h>
#include <unistd.h>

#include "ipc/channel.h"
#include "listener/ledger.h"

#define CAP	(LEDGER_PENDING_MAX + 1)

void
ledger_init(struct ledger *l, uint32_t max_pending)
{
	memset(l, 0, sizeof(*l));
	for (uint32_t i = 0; i < CAP; i++)
		l->fd[i] = -1;
	if (max_pending < 1)
		max_pending = 1;
	if (max_pending > LEDGER_PENDING_MAX)
		max_pending = LEDGER_PENDING_MAX;
	l->max_pending = max_pending;
}

uint32_t
ledger_pending(const struct ledger *l)
{
	return l->count - (l->open ? 1 : 0);
}

int
ledger_add(struct ledger *l, const struct handoff *h)
{
	return ledger_add_fd(l, h, -1);
}

int
ledger_add_fd(struct ledger *l, const struct handoff *h, int fd)
{
	uint32_t i = (l->head + l->count) % CAP;

	if (ledger_pending(l) >= l->max_pending)
		return -1;
	l->h[i] = *h;
	l->fd[i] = fd;
	l->count++;
	return 0;
}

static bool
same(const struct handoff *a, const struct handoff *b)
{
	return a->family == b->family && a->port == b->port &&
	    a->server == b->server && memcmp(a->addr, b->addr, 16) == 0;
}

/* Drops the n oldest entries, closing the copies kept of them. */
static void
settle(struct ledger *l, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		int *fd = &l->fd[(l->head + i) % CAP];

		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
	l->head = (l->head + n) % CAP;
	l->count -= n;
	l->open = false;
}

int
ledger_report(struct ledger *l, int state, const struct handoff *h)
{
	/* An open entry cannot be connected again, nor refused. */
	uint32_t i = state != CHAN_MASTER_GONE && l->open ? 1 : 0;
	struct handoff open;
	int open_fd;
	bool was_open = l->open;

	for (; i < l->count; i++)
		if (same(&l->h[(l->head + i) % CAP], h))
			break;
	if (i == l->count)
		return -1;
	switch (state) {
	case CHAN_MASTER_CONNECTED:
		settle(l, i);
		l->open = true;
		break;
	case CHAN_MASTER_REFUSED:
		/* Entries up to P go; the open one moves into P's slot. */
		open = l->h[l->head];
		open_fd = l->fd[l->head];
		l->fd[l->head] = -1;
		settle(l, i);
		if (was_open) {
			if (l->fd[l->head] >= 0)	/* P's */
				close(l->fd[l->head]);
			l->h[l->head] = open;
			l->fd[l->head] = open_fd;
			l->open = true;
		} else
			settle(l, 1);
		break;
	default:
		settle(l, i + 1);
	}
	return 0;
}

const struct handoff *
ledger_open(const struct ledger *l)
{
	return l->open ? &l->h[l->head] : NULL;
}

int
ledger_take(struct ledger *l, struct handoff *h)
{
	int fd;

	/* The one handed back to a new worker that died before taking it
	   is still its predecessor's master. */
	if (l->count == 0 || (!l->open && !l->h[l->head].resumed))
		return -1;
	fd = l->fd[l->head];
	l->fd[l->head] = -1;
	*h = l->h[l->head];
	return fd;
}

void
ledger_clear(struct ledger *l)
{
	settle(l, l->count);
	ledger_init(l, l->max_pending);
}
