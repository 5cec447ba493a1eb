/*
 * What a multi-drop relay tells the listener (relay.h): untrusted, so
 * every record is checked, and a link's address must be one the listener
 * gave that relay.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/proc.h"
#include "listener/relay.h"

/* The link of r to address, or -1. */
static int
link_of(const struct relay_proc *r, uint16_t address)
{
	for (uint32_t i = 0; i < r->links; i++)
		if (r->address[i] == address)
			return (int)i;
	return -1;
}

/* One piece of news: false when it is a lie. */
static bool
report(struct relay_proc *r, const struct relay_news *n)
{
	int i = link_of(r, n->address);
	const char *name = i >= 0 ? r->name[i] : NULL;
	char why[128];

	switch (n->kind) {
	case RELAY_NEWS_UNKNOWN:
		if (name != NULL)
			return false;	/* it has that link */
		snprintf(why, sizeof(why), "frame to link address %u dropped: "
		    "no outstation on this connection", (unsigned)n->address);
		proc_event_frame_dropped(r->peer, r->endpoint, why);
		return true;
	case RELAY_NEWS_MASTER_BAD:
		log_info("%s on %s: %s, connection closed", r->peer,
		    r->endpoint, relay_news_str(n->kind));
		return true;
	default:
		if (name == NULL)
			return false;
	}
	if (n->kind != RELAY_NEWS_OVERRUN)
		r->gone[i] = true;	/* its next worker gets a new link */
	if (n->kind == RELAY_NEWS_OVERRUN)
		log_debug("%s on %s: outstation %s: %s", r->peer, r->endpoint,
		    name, relay_news_str(n->kind));
	else
		log_info("%s on %s: outstation %s: %s", r->peer, r->endpoint,
		    name, relay_news_str(n->kind));
	return true;
}

bool
relays_read_news(struct relay_proc *r, const char **why)
{
	static struct chan_msg m;
	struct relay_news n;

	for (int i = 0; r->in >= 0 && i < RELAY_NEWS_BURST; i++) {
		int st = chan_read(r->in, &m);
		if (st == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
			return true;
		if (st == CHAN_EOF) {
			close(r->in);	/* it ended: SIGCHLD follows */
			r->in = -1;
			return true;
		}
		if (st != CHAN_OK) {
			*why = chan_strerror(st);
			return false;
		}
		if (m.type == CHAN_READY && m.len == 0 && !r->ready) {
			r->ready = true;
			log_debug("multi-drop relay (pid %d) for %s ready",
			    (int)r->pid, r->peer);
			continue;
		}
		if (m.type != CHAN_RELAY_NEWS || !r->ready) {
			*why = "unexpected record";
			return false;
		}
		if (relay_news_decode(m.data, m.len, &n, why) == -1)
			return false;
		if (!report(r, &n)) {
			*why = "news that does not fit its links";
			return false;
		}
	}
	return true;
}
