/*
 * The master connection of a worker: adopt, read, queue and write, close.
 * One master at a time; a new one replaces the old, also while its TLS
 * handshake runs (tls_conn.c does TLS on the same socket). The protocol stack
 * starts afresh with every connection (the outstation's data does not);
 * app.c feeds it what is read here.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "worker/tls.h"
#include "worker/worker.h"

_Static_assert(WORKER_IN_MAX + LINK_MAX_FRAME < WORKER_OUT_MAX,
    "link replies to one read must fit WORKER_OUT_MAX");

/* One CHAN_MASTER record. -1: the channel is full, to be sent again. */
static int
send_master(struct worker *w, int state, const struct handoff *h)
{
	uint8_t pl[CHAN_MASTER_LEN];

	chan_master_encode(pl, state, h);
	if (chan_send(w->chan_out, CHAN_MASTER, pl, sizeof(pl)) == 0)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		return -1;
	log_debug("%s: channel: %s", __func__, strerror(errno));
	return 0;
}

/*
 * Tells the listener whether a master is connected, and which (CHAN_MASTER),
 * so that it can report the master if this worker dies; and, with
 * accept = "keep", the latest master refused. Only the latest of each
 * matters (listener/ledger.h): when the channel is full (a busy
 * listener), they are sent when the channel can take it (from the loop on
 * POLLOUT), the state first: a refusal may follow only the master it kept.
 * The channel is gone when the listener shuts down.
 */
void
worker_conn_send_news(struct worker *w)
{
	struct worker_conn *c = &w->conn;

	if (w->chan_out < 0) {
		c->tell_pending = c->refuse_pending = false;
		return;
	}
	if (c->tell_pending) {
		if (send_master(w, c->fd >= 0 ? CHAN_MASTER_CONNECTED :
		    CHAN_MASTER_GONE, &c->handoff) == -1)
			return;
		c->tell_pending = false;
	}
	if (c->refuse_pending && send_master(w, CHAN_MASTER_REFUSED,
	    &c->refused) == 0)
		c->refuse_pending = false;
}

void
worker_conn_tell_listener(struct worker *w)
{
	w->conn.tell_pending = true;
	worker_conn_send_news(w);
}

/* The connection ends for the master too: the listener keeps a copy of
   the socket for a successor, should this worker die. */
static void
end_socket(int fd)
{
	(void)shutdown(fd, SHUT_RDWR);
	close(fd);
}

/* accept = "keep": the master connected stays, the new one goes. */
static void
refuse(struct worker *w, int fd, const struct handoff *h)
{
	end_socket(fd);
	w->conn.refused = *h;
	w->conn.refuse_pending = true;
	worker_conn_send_news(w);
	worker_report_refused(w, h);
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

	if (c->fd >= 0 && w->cfg.accept == ACCEPT_KEEP) {
		refuse(w, fd, h);
		return;
	}
	if (c->fd >= 0)
		worker_conn_close(w, WDISC_REPLACED);
	/* A refusal not yet told precedes h: h's report settles it. */
	c->refuse_pending = false;
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_warn("%s: fcntl", __func__);
		end_socket(fd);
		return;
	}
	c->fd = fd;
	c->handoff = *h;
	handoff_addrstr(h, c->peer, sizeof(c->peer));
	c->server = h->server;
	c->outlen = 0;
	c->bytes_in = 0;
	c->user_data = 0;
	c->responses = 0;
	c->addr_reported = false;
	/* The master the dead predecessor served, on the same socket: the
	   response it was waiting to have confirmed is still out. */
	if (h->resumed && w->connections == 0 && worker_state_kept())
		outstation_chan_resume(&w->session);
	else
		outstation_chan_reset(&w->session);
	w->connections++;
	worker_conn_tell_listener(w);
	if (w->tls == NULL)
		worker_conn_established(w);
	else if (w->tls_ops->start(w, fd) == -1)
		worker_conn_tls_failed(w, "cannot start a TLS session");
}

/* The master is served from now on (with TLS: after its handshake). */
void
worker_conn_established(struct worker *w)
{
	arm_keep_alive(w, timer_now());
	worker_report_connected(w);
}

static void
conn_drop(struct worker *w)
{
	struct worker_conn *c = &w->conn;

	if (w->tls != NULL)
		w->tls_ops->end(w);
	end_socket(c->fd);
	c->fd = -1;
	c->outlen = 0;
	for (int i = 0; i < WTIMER_CONN_COUNT; i++)
		timer_disarm(&w->timers[i]);
	/* Unconfirmed events stay for the next master. */
	outstation_chan_reset(&w->session);
	worker_conn_tell_listener(w);
}

/* A master that never got past its handshake was never "connected". */
void
worker_conn_tls_failed(struct worker *w, const char *reason)
{
	if (w->conn.fd < 0)
		return;
	conn_drop(w);
	worker_report_tls_failed(w, reason);
}

void
worker_conn_close(struct worker *w, enum worker_disc why)
{
	char reason[64];

	if (w->conn.fd < 0)
		return;
	if (w->tls != NULL && w->tls->handshaking) {
		snprintf(reason, sizeof(reason), "%s during the handshake",
		    worker_disc_name(why));
		worker_conn_tls_failed(w, reason);
		return;
	}
	conn_drop(w);
	worker_report_disconnected(w, why);
}

/*
 * What the last TLS call found (tls_conn.c leaves it in w->tls): a
 * handshake done, or the connection to close. True when it closed.
 */
static bool
tls_settle(struct worker *w)
{
	struct worker_tls *t = w->tls;

	if (t->established) {
		t->established = false;
		worker_conn_established(w);
	}
	if (!t->ended)
		return false;
	t->ended = false;
	if (t->failed[0] != '\0')
		worker_conn_tls_failed(w, t->failed);
	else
		worker_conn_close(w, (enum worker_disc)t->why);
	return true;
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
 * Reads what the master sent into in[0..cap): the number of bytes, or 0
 * when there is nothing (yet) or the connection closed (reported). Plain
 * TCP bytes stay in the socket until worker_conn_consume(): a worker
 * killed before the outstation has recorded what they did (in the state
 * region) leaves them for the next one, which gets the same socket.
 */
ssize_t
worker_conn_recv(struct worker *w, uint8_t *in, size_t cap, uint64_t now)
{
	struct worker_conn *c = &w->conn;
	ssize_t n;

	/* WORKER_IN_MAX bytes need < WORKER_OUT_MAX of link replies. */
	if (!worker_conn_can_read(w))
		return 0;
	if (w->tls != NULL) {
		n = w->tls_ops->read(w, in, cap);
		if (tls_settle(w) || n <= 0)
			return 0;	/* closed (reported), or nothing yet */
		goto got;
	}
	n = recv(c->fd, in, cap, MSG_PEEK);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == -1) {
		log_warn("read from %s", c->peer);
		worker_conn_close(w, WDISC_IO_ERROR);
		return 0;
	}
	if (n == 0) {
		worker_conn_close(w, WDISC_PEER_CLOSED);
		return 0;
	}
got:
	c->bytes_in += (size_t)n;
	arm_keep_alive(w, now);
	return n;
}

/*
 * The first n bytes worker_conn_recv() gave are done with (the outstation
 * has recorded what they did): off the socket. Called before their answer
 * is written, so that a successor never answers them again.
 */
void
worker_conn_consume(struct worker *w, size_t n)
{
	static uint8_t sink[WORKER_IN_MAX];	/* n <= what was peeked */
	struct worker_conn *c = &w->conn;
	ssize_t r = -1;

	if (c->fd < 0 || w->tls != NULL || n == 0)
		return;
	if (n > sizeof(sink) || (r = read(c->fd, sink, n)) != (ssize_t)n) {
		log_warnx("read from %s: %zd of %zu bytes", c->peer, r, n);
		worker_conn_close(w, WDISC_IO_ERROR);
	}
}

/* One write for everything queued; the rest waits for POLLOUT. */
void
worker_conn_flush(struct worker *w)
{
	struct worker_conn *c = &w->conn;
	ssize_t n;

	if (c->fd < 0)
		return;
	if (w->tls != NULL) {
		/* With nothing queued, it drives a handshake or a renewal. */
		n = w->tls_ops->write(w, c->out, c->outlen);
		if (tls_settle(w) || n <= 0)
			return;
		goto sent;
	}
	if (c->outlen == 0)
		return;
	n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		log_warn("write to %s", c->peer);
		worker_conn_close(w, WDISC_IO_ERROR);
		return;
	}
sent:
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
	if (w->tls != NULL) {
		w->tls_ops->tick(w, now);
		if (tls_settle(w))
			return;
	}
	if (timer_expired(&w->timers[WTIMER_KEEP_ALIVE_REPLY], now)) {
		worker_conn_close(w, WDISC_KEEP_ALIVE);
		return;
	}
	if (!timer_expired(&w->timers[WTIMER_KEEP_ALIVE], now))
		return;
	n = outstation_chan_link_status(&w->session, c->out + c->outlen,
	    c->outcap - c->outlen);
	if (n > 0)
		c->outlen += (size_t)n;
	log_debug("keep-alive: request link status to %s", c->peer);
	timer_arm(&w->timers[WTIMER_KEEP_ALIVE_REPLY], now,
	    w->cfg.confirm_ms > 0 ? w->cfg.confirm_ms : w->cfg.keep_alive_ms);
	worker_conn_flush(w);
}

short
worker_conn_events(const struct worker *w)
{
	short ev = 0;

	if (worker_conn_can_read(w))
		ev |= POLLIN;
	if (w->conn.outlen > 0)
		ev |= POLLOUT;
	return w->tls != NULL ? w->tls_ops->events(w, ev) : ev;
}

bool
worker_conn_ready_now(const struct worker *w)
{
	return w->tls != NULL && worker_conn_can_read(w) &&
	    w->tls_ops->pending(w);
}
