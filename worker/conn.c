/*
 * The master connection of a worker: adopt, read and parse, reply, close.
 * One master at a time; a new one replaces the old. The link state starts
 * afresh with every connection (the outstation's data does not).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "worker/worker.h"

_Static_assert(WORKER_IN_MAX + LINK_MAX_FRAME < WORKER_OUT_MAX,
    "link replies to one read must fit WORKER_OUT_MAX");

/*
 * Tells the listener whether a master is connected, and which (CHAN_MASTER),
 * so that it can report the master if this worker dies. Only the latest
 * state matters: when the channel is full (a busy listener), it is sent
 * again when the channel can take it (worker_conn_tell_listener from the
 * loop on POLLOUT). The channel is gone when the listener shuts down.
 */
void
worker_conn_tell_listener(struct worker *w)
{
	struct worker_conn *c = &w->conn;
	uint8_t pl[CHAN_MASTER_LEN];

	c->tell_pending = false;
	if (w->chan_out < 0)
		return;
	chan_master_encode(pl, c->fd >= 0, &c->handoff);
	if (chan_send(w->chan_out, CHAN_MASTER, pl, sizeof(pl)) == 0)
		return;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		c->tell_pending = true;
	else
		log_debug("%s: channel: %s", __func__, strerror(errno));
}

static void
arm_keep_alive(struct worker *w, uint64_t now)
{
	timer_disarm(&w->timers[WTIMER_KEEP_ALIVE_REPLY]);
	if (w->cfg.keep_alive_ms > 0)
		timer_arm(&w->timers[WTIMER_KEEP_ALIVE], now,
		    w->cfg.keep_alive_ms);
}

void
worker_conn_adopt(struct worker *w, int fd, const struct handoff *h)
{
	struct worker_conn *c = &w->conn;
	int fl;

	if (c->fd >= 0)
		worker_conn_close(w, WDISC_REPLACED);
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_warn("%s: fcntl", __func__);
		close(fd);
		return;
	}
	c->fd = fd;
	c->handoff = *h;
	handoff_addrstr(h, c->peer, sizeof(c->peer));
	c->server = h->server;
	c->outlen = 0;
	c->bytes_in = 0;
	c->user_data = 0;
	link_parser_init(&c->parser, w->cfg.link_error_mode);
	link_station_init(&c->station, w->cfg.address, w->cfg.master, false,
	    false);
	c->responses = 0;
	c->addr_reported = false;
	session_reset(&w->session);
	w->connections++;
	arm_keep_alive(w, timer_now());
	worker_conn_tell_listener(w);
	worker_event_connected(w);
}

void
worker_conn_close(struct worker *w, enum worker_disc why)
{
	struct worker_conn *c = &w->conn;

	if (c->fd < 0)
		return;
	close(c->fd);
	c->fd = -1;
	c->outlen = 0;
	for (int i = 0; i < WTIMER_CONN_COUNT; i++)
		timer_disarm(&w->timers[i]);
	/* Unconfirmed events stay for the next master. */
	session_reset(&w->session);
	worker_conn_tell_listener(w);
	worker_event_disconnected(w, why);
}

/*
 * Reading stops while the queue could not take the link replies to a
 * full read (every frame of at least LINK_HEADER_LEN bytes yields at most
 * LINK_HEADER_LEN bytes of reply, and the parser holds < LINK_MAX_FRAME)
 * plus one whole response. Each response is written at once, so only a
 * master that does not read makes the queue grow.
 */
bool
worker_conn_can_read(const struct worker *w)
{
	const struct worker_conn *c = &w->conn;

	return c->fd >= 0 && c->outlen + w->session.frames_max +
	    WORKER_OUT_MAX <= c->outcap;
}

/*
 * One whole frame to the link station; its replies go to the queue.
 * A frame the station dropped for its addresses (another outstation's,
 * or not from our master) is reported once per connection: otherwise a
 * misconfigured master only ever shows as a keep-alive timeout. -1: the
 * station dropped it.
 */
static int
station_rx(struct worker *w, const struct link_frame *f, struct link_rx *rx)
{
	struct worker_conn *c = &w->conn;
	uint64_t other_dest = c->station.stats.other_dest;
	uint64_t unknown_source = c->station.stats.unknown_source;

	link_station_rx(&c->station, f, c->out + c->outlen,
	    c->outcap - c->outlen, rx);
	c->outlen += rx->reply_len;
	if (c->station.stats.other_dest != other_dest ||
	    c->station.stats.unknown_source != unknown_source) {
		worker_event_address(w, f,
		    c->station.stats.other_dest != other_dest);
		return -1;
	}
	return 0;
}

/*
 * Feeds bytes to the link layer and user data on to the outstation.
 * -1: the connection must close for *why (or is closed already).
 */
static int
feed(struct worker *w, const uint8_t *in, size_t len, uint64_t now,
    enum worker_disc *why)
{
	struct worker_conn *c = &w->conn;
	struct link_frame frame;
	struct link_rx rx;
	enum link_parse r;
	enum link_err err;
	size_t used, rounds, max_rounds;

	/*
	 * Each round returns a frame (at least LINK_HEADER_LEN bytes, some
	 * perhaps held from the last read) or an error that dropped bytes:
	 * there cannot be more rounds than bytes. Bounded all the same.
	 */
	max_rounds = len + LINK_MAX_FRAME + 1;
	for (rounds = 0; rounds < max_rounds; rounds++) {
		r = link_parser_feed(&c->parser, in, len, &used, &frame, &err);
		in += used;
		len -= used;
		if (r == LINK_PARSE_MORE)
			return 0;
		if (r == LINK_PARSE_ERROR) {
			bool closing = w->cfg.link_error_mode == LINK_ERROR_CLOSE;
			worker_event_link_error(w, err, closing);
			if (closing)
				return -1;
			continue;
		}
		if (station_rx(w, &frame, &rx) == -1)
			continue;
		if (!rx.deliver)
			continue;
		worker_user_data(w, &rx);
		worker_app_user_data(w, &rx, now);
		if (c->fd < 0)
			return -1;	/* closed on the way, reported */
	}
	log_warnx("%s: link parser made no progress", __func__);
	*why = WDISC_LINK_ERROR;
	return -1;
}

void
worker_conn_read(struct worker *w, uint64_t now)
{
	struct worker_conn *c = &w->conn;
	uint8_t in[WORKER_IN_MAX];
	enum worker_disc why = WDISC_LINK_ERROR;
	ssize_t n;

	/* WORKER_IN_MAX bytes need < WORKER_OUT_MAX of link replies. */
	if (!worker_conn_can_read(w))
		return;
	n = read(c->fd, in, sizeof(in));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		log_warn("read from %s", c->peer);
		worker_conn_close(w, WDISC_IO_ERROR);
		return;
	}
	if (n == 0) {
		worker_conn_close(w, WDISC_PEER_CLOSED);
		return;
	}
	c->bytes_in += (size_t)n;
	arm_keep_alive(w, now);
	if (feed(w, in, (size_t)n, now, &why) == -1) {
		worker_conn_flush(w);	/* replies to the good frames before */
		worker_conn_close(w, why);
		return;
	}
	worker_conn_flush(w);
}

/* One write for everything queued; the rest waits for POLLOUT. */
void
worker_conn_flush(struct worker *w)
{
	struct worker_conn *c = &w->conn;
	ssize_t n;

	if (c->fd < 0 || c->outlen == 0)
		return;
	n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		log_warn("write to %s", c->peer);
		worker_conn_close(w, WDISC_IO_ERROR);
		return;
	}
	c->outlen -= (size_t)n;
	if (c->outlen > 0)
		memmove(c->out, c->out + n, c->outlen);
}

/*
 * Keep-alive: after keep_alive_ms without a byte from the master, ask for
 * its link status; no byte within confirm_ms after that ends the session.
 */
void
worker_conn_keep_alive(struct worker *w, uint64_t now)
{
	struct worker_conn *c = &w->conn;
	int n;

	if (c->fd < 0)
		return;
	if (timer_expired(&w->timers[WTIMER_KEEP_ALIVE_REPLY], now)) {
		worker_conn_close(w, WDISC_KEEP_ALIVE);
		return;
	}
	if (!timer_expired(&w->timers[WTIMER_KEEP_ALIVE], now))
		return;
	n = link_station_encode_primary(&c->station,
	    LINK_PRI_REQUEST_LINK_STATUS, c->out + c->outlen,
	    c->outcap - c->outlen);
	if (n > 0)
		c->outlen += (size_t)n;
	log_debug("keep-alive: request link status to %s", c->peer);
	timer_arm(&w->timers[WTIMER_KEEP_ALIVE_REPLY], now,
	    w->cfg.confirm_ms > 0 ? w->cfg.confirm_ms : w->cfg.keep_alive_ms);
	worker_conn_flush(w);
}
