/*
 * The relay's loop: poll the channel, the master and the links; read
 * what there is room for, route and merge whole frames, write what is
 * queued. A link whose worker is gone closes alone (and comes again when
 * the listener has restarted the worker); the master gone, or every link
 * at once, ends the relay (the listener then reaps it).
 */
#include <errno.h>
#include <unistd.h>

#include "common/log.h"
#include "relay/relay.h"

void
relay_send_news(struct relay *r, uint8_t kind, uint16_t address)
{
	struct relay_news n = { .kind = kind, .address = address };
	uint8_t rec[RELAY_NEWS_LEN];

	relay_news_encode(rec, &n);
	if (chan_send(r->out, CHAN_RELAY_NEWS, rec, sizeof(rec)) == -1 &&
	    errno != EAGAIN)
		fatal("news to the listener");
}

static nfds_t
setup(struct relay *r)
{
	r->pfd[0] = (struct pollfd){ .fd = r->chan, .events = POLLIN };
	r->pfd[1] = (struct pollfd){ .fd = r->master,
	    .events = (r->rx.len < sizeof(r->rx.buf) ? POLLIN : 0) |
	    (relay_tx_pending(&r->tx) ? POLLOUT : 0) };
	for (size_t i = 0; i < r->nlinks; i++) {
		struct relay_link *l = &r->link[i];
		r->pfd[2 + i] = (struct pollfd){ .fd = l->fd,
		    .events = (l->rx.len < sizeof(l->rx.buf) ? POLLIN : 0) |
		    (relay_tx_pending(&l->tx) ? POLLOUT : 0) };
	}
	return 2 + r->nlinks;
}

static void
master_gone(struct relay *r, const char *why)
{
	log_debug("master: %s", why);
	close(r->master);
	r->master = -1;
}

static void
master_io(struct relay *r, short rev)
{
	ssize_t n;

	if (rev & POLLIN) {
		n = relay_rx_read(&r->rx, r->master);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
			master_gone(r, n == 0 ? "closed" : "read error");
			return;
		}
		relay_from_master(r);
	} else if (rev & (POLLHUP | POLLERR)) {
		master_gone(r, "hung up");
		return;
	}
	if (r->master >= 0 && relay_tx_flush(&r->tx, r->master) == -1)
		master_gone(r, "write error");
}

static void
link_io(struct relay *r, struct relay_link *l, short rev)
{
	ssize_t n;

	if (rev & POLLIN) {
		n = relay_rx_read(&l->rx, l->fd);
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
			relay_close_link(r, l, RELAY_NEWS_LINK_GONE);
			return;
		}
	} else if (rev & (POLLHUP | POLLERR)) {
		relay_close_link(r, l, RELAY_NEWS_LINK_GONE);
		return;
	}
	if (relay_tx_flush(&l->tx, l->fd) == -1)
		relay_close_link(r, l, RELAY_NEWS_LINK_GONE);
}

/* A record from the listener: a closed link's new end (its worker was
   restarted). false: the listener closed its end (it stops) or sent
   anything else. */
static bool
chan_record(struct relay *r, short rev)
{
	static struct chan_msg m;
	uint16_t address;
	int st;

	if (rev == 0)
		return true;
	st = chan_recv(r->chan, &m);
	if (st == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
		return true;
	if (st != CHAN_OK)
		return false;
	if (m.type == CHAN_RELAY_LINK &&
	    relay_link_decode(m.data, m.len, &address) == 0) {
		if (relay_reopen_link(r, m.fd, address) == 0) {
			log_debug("link %u again", (unsigned)address);
			return true;
		}
		return false;	/* fd closed */
	}
	if (m.fd >= 0)
		close(m.fd);
	return false;
}

void
relay_run(struct relay *r)
{
	while (r->master >= 0 && r->open > 0) {
		nfds_t n = setup(r);
		if (poll(r->pfd, n, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (!chan_record(r, r->pfd[0].revents))
			break;
		master_io(r, r->pfd[1].revents);
		for (size_t i = 0; r->master >= 0 && i < r->nlinks; i++)
			if (r->link[i].fd >= 0)
				link_io(r, &r->link[i], r->pfd[2 + i].revents);
		/* Frames that waited for room in the master's queue, too. */
		relay_merge(r);
		if (r->master >= 0 && relay_tx_flush(&r->tx, r->master) == -1)
			master_gone(r, "write error");
	}
}
