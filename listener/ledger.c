/*
 * The hand-off ledger of one worker (see ledger.h).
 */
#include <string.h>

#include "ipc/channel.h"
#include "listener/ledger.h"

#define CAP	(LEDGER_PENDING_MAX + 1)

void
ledger_init(struct ledger *l, uint32_t max_pending)
{
	memset(l, 0, sizeof(*l));
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
	if (ledger_pending(l) >= l->max_pending)
		return -1;
	l->h[(l->head + l->count) % CAP] = *h;
	l->count++;
	return 0;
}

static bool
same(const struct handoff *a, const struct handoff *b)
{
	return a->family == b->family && a->port == b->port &&
	    a->server == b->server && memcmp(a->addr, b->addr, 16) == 0;
}

/* Drops the n oldest entries. */
static void
settle(struct ledger *l, uint32_t n)
{
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
		settle(l, i);
		if (was_open) {
			l->h[l->head] = open;
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
