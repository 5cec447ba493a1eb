/*
 * The connection's links: the master's frames to the outstations by
 * destination address, the outstations' frames back to the master.
 */
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "relay/relay.h"

void
relay_init(struct relay *r, int chan, int out)
{
	memset(r, 0, sizeof(*r));
	r->chan = chan;
	r->out = out;
	r->master = -1;
	r->news = relay_send_news;
}

int
relay_add_link(struct relay *r, int fd, uint16_t address)
{
	bool dup = false;

	for (size_t i = 0; i < r->nlinks; i++)
		dup = dup || r->link[i].address == address;
	if (dup || r->nlinks >= RELAY_LINKS_MAX) {
		close(fd);
		return -1;
	}
	r->link[r->nlinks].fd = fd;
	r->link[r->nlinks].address = address;
	r->nlinks++;
	r->open++;
	return 0;
}

int
relay_reopen_link(struct relay *r, int fd, uint16_t address)
{
	for (size_t i = 0; i < r->nlinks; i++) {
		struct relay_link *l = &r->link[i];
		if (l->address != address || l->fd >= 0)
			continue;
		l->fd = fd;
		l->rx.len = 0;
		l->tx.off = l->tx.len = 0;
		r->open++;
		return 0;
	}
	close(fd);
	return -1;
}

void
relay_close_link(struct relay *r, struct relay_link *l, uint8_t kind)
{
	if (l->fd < 0)
		return;
	close(l->fd);
	l->fd = -1;
	l->rx.len = 0;
	l->tx.off = l->tx.len = 0;
	r->open--;
	r->news(r, kind, l->address);
}

static struct relay_link *
find(struct relay *r, uint16_t address)
{
	for (size_t i = 0; i < r->nlinks; i++)
		if (r->link[i].address == address)
			return &r->link[i];
	return NULL;
}

/* A link that cannot take the frame loses it, not the others. */
static void
to_link(struct relay *r, struct relay_link *l, const uint8_t *frame,
    size_t len)
{
	if (l->fd < 0)
		return;
	if (!relay_tx_put(&l->tx, frame, len))
		r->news(r, RELAY_NEWS_OVERRUN, l->address);
}

static void
route(struct relay *r, const uint8_t *frame, size_t len)
{
	uint16_t dest = relay_frame_dest(frame);
	struct relay_link *l;

	if (LINK_ADDR_IS_BROADCAST(dest)) {
		for (size_t i = 0; i < r->nlinks; i++)
			to_link(r, &r->link[i], frame, len);
		return;
	}
	if ((l = find(r, dest)) == NULL) {
		log_debug("frame to link address %u dropped: no outstation",
		    (unsigned)dest);
		r->news(r, RELAY_NEWS_UNKNOWN, dest);
		return;
	}
	/* A closed link was reported once, when it closed. */
	to_link(r, l, frame, len);
}

void
relay_from_master(struct relay *r)
{
	const uint8_t *frame;
	size_t len;
	enum relay_frame f;

	/* Bounded: each round consumes a frame. */
	while ((f = relay_rx_next(&r->rx, &frame, &len)) == RELAY_FRAME_WHOLE) {
		route(r, frame, len);
		relay_rx_consume(&r->rx, len);
	}
	if (f == RELAY_FRAME_BAD && r->master >= 0) {
		log_warnx("malformed frame from the master, closing");
		close(r->master);
		r->master = -1;
		r->news(r, RELAY_NEWS_MASTER_BAD, 0);
	}
}

/* One link's whole frames onto the master's queue while they fit. A
   frame that is malformed or not from the link's own address closes the
   link: a worker speaks for its outstation only. */
static void
merge_link(struct relay *r, struct relay_link *l)
{
	const uint8_t *frame;
	size_t len;
	enum relay_frame f;

	while ((f = relay_rx_next(&l->rx, &frame, &len)) == RELAY_FRAME_WHOLE) {
		if (relay_frame_src(frame) != l->address) {
			f = RELAY_FRAME_BAD;
			break;
		}
		if (!relay_tx_put(&r->tx, frame, len))
			return;		/* waits for room, whole */
		relay_rx_consume(&l->rx, len);
	}
	if (f == RELAY_FRAME_BAD)
		relay_close_link(r, l, RELAY_NEWS_WORKER_BAD);
}

void
relay_merge(struct relay *r)
{
	/* Each turn another link goes first: none starves the others. */
	for (size_t k = 0; k < r->nlinks; k++) {
		struct relay_link *l = &r->link[(r->turn + k) % r->nlinks];
		if (l->fd >= 0)
			merge_link(r, l);
	}
	r->turn = r->nlinks > 0 ? (r->turn + 1) % r->nlinks : 0;
}
