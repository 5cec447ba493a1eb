/*
 * The outstation behind the master connection: bytes read from the
 * master go through the protocol stack (dnp3/outstation/chan.c); its
 * link replies and responses go into the output queue, each response
 * written with one send; what the stack reports is logged and published
 * (report.c). outstation_tick() runs from the timer list.
 */
#include "common/log.h"
#include "worker/worker.h"

/* A whole response of frag_tx bytes fits behind what is queued. */
static bool
room_for_response(const struct worker *w)
{
	const struct worker_conn *c = &w->conn;

	return c->outcap - c->outlen >= w->session.frames_max;
}

/* n bytes of a response were built at the queue's end (-1: no room). */
static void
queued(struct worker *w, int n)
{
	struct worker_conn *c = &w->conn;

	if (n == -1) {
		log_warnx("%s does not read its responses: %zu bytes queued, "
		    "closing", c->peer, c->outlen);
		worker_conn_close(w, WDISC_NOT_READING);
		return;
	}
	if (n == 0)
		return;
	c->outlen += (size_t)n;
	c->responses++;
	/* Every link frame of a response but the last is a full one. */
	w->stats.frames_out += ((size_t)n + LINK_MAX_FRAME - 1) /
	    LINK_MAX_FRAME;
	worker_conn_flush(w);
}

/* What the stack did with one frame. -1: the connection is to close. */
static int
report(struct worker *w, enum outstation_chan_ev what,
    const struct outstation_chan_event *ev)
{
	if (ev->user_data)
		worker_report_user_data(w, ev->data_len, ev->hdr.src, ev->broadcast);
	switch (what) {
	case OUTSTATION_CHAN_LINK_ERROR:
		worker_report_link_error(w, ev->err, ev->discarded,
		    w->session.mode == LINK_ERROR_CLOSE);
		return w->session.mode == LINK_ERROR_CLOSE ? -1 : 0;
	case OUTSTATION_CHAN_DROPPED:
		worker_report_address(w, &ev->hdr,
		    ev->drop == LINK_DROP_OTHER_DEST, ev->frame_size);
		return 0;
	case OUTSTATION_CHAN_BROADCAST_IGNORED:
		log_debug("broadcast request (function %d) ignored", ev->func);
		return 0;
	case OUTSTATION_CHAN_OVERFLOW:
		queued(w, -1);
		return -1;
	default:
		return 0;
	}
}

/*
 * Feeds bytes to the stack; replies and responses go to the queue.
 * -1: the connection must close for *why (or is closed already).
 */
static int
feed(struct worker *w, const uint8_t *in, size_t len, uint64_t now,
    enum worker_disc *why)
{
	struct worker_conn *c = &w->conn;
	struct outstation_chan_event ev;
	enum outstation_chan_ev what;
	size_t used, rounds, max_rounds;

	/*
	 * Each round takes a frame (at least LINK_HEADER_LEN bytes, some
	 * perhaps held from the last read) or an error that dropped bytes:
	 * there cannot be more rounds than bytes. Bounded all the same.
	 */
	max_rounds = len + LINK_MAX_FRAME + 1;
	for (rounds = 0; rounds < max_rounds; rounds++) {
		what = outstation_chan_feed(&w->session, in, len, &used, now,
		    c->out + c->outlen, c->outcap - c->outlen, &ev);
		/* Done with: off the socket before the answer goes out. */
		worker_conn_consume(w, used);
		in += used;
		len -= used;
		if (what == OUTSTATION_CHAN_MORE)
			return 0;
		c->outlen += ev.out_len - ev.response_len;
		if (what != OUTSTATION_CHAN_LINK_ERROR)
			w->stats.frames_in++;
		if (ev.out_len > ev.response_len)
			w->stats.frames_out++;	/* a link reply */
		if (report(w, what, &ev) == -1)
			return -1;
		queued(w, (int)ev.response_len);
		if (ev.user_data)
			worker_report_restarts(w);
		if (c->fd < 0)
			return -1;	/* closed on the way, reported */
	}
	log_warnx("%s: link parser made no progress", __func__);
	*why = WDISC_LINK_ERROR;
	return -1;
}

/* Reads what the master sent and answers it. */
void
worker_app_read(struct worker *w, uint64_t now)
{
	uint8_t in[WORKER_IN_MAX];
	enum worker_disc why = WDISC_LINK_ERROR;
	ssize_t n;

	if ((n = worker_conn_recv(w, in, sizeof(in), now)) <= 0)
		return;
	if (feed(w, in, (size_t)n, now, &why) == -1) {
		worker_conn_flush(w);	/* replies to the good frames before */
		worker_conn_close(w, why);
		return;
	}
	worker_conn_flush(w);
}

/*
 * An output of the outstation from elsewhere (a control answer from the
 * bus): to the master now, in one write. Dropped without a master.
 */
void
worker_app_send(struct worker *w, const struct os_output *o)
{
	struct worker_conn *c = &w->conn;

	if (c->fd < 0)
		return;
	queued(w, outstation_chan_output(&w->session, o, c->out + c->outlen,
	    c->outcap - c->outlen));
}

/* Called every loop round: runs the outstation's timer if it is due. */
void
worker_app_tick(struct worker *w, uint64_t now)
{
	struct worker_conn *c = &w->conn;

	if (c->fd < 0 || !timer_expired(&w->timers[WTIMER_OUTSTATION], now))
		return;
	queued(w, outstation_chan_tick(&w->session, now, c->out + c->outlen,
	    c->outcap - c->outlen));
}

/*
 * Before each poll: the outstation's deadline into the timer list. It
 * only runs with a master connected and room for what it may send;
 * otherwise POLLOUT (the queue draining) or the next master wakes us.
 */
void
worker_app_timer(struct worker *w)
{
	struct timer *t = &w->timers[WTIMER_OUTSTATION];
	uint64_t due;

	if (w->conn.fd < 0 || !room_for_response(w) ||
	    (due = outstation_chan_deadline(&w->session)) == 0) {
		timer_disarm(t);
		return;
	}
	timer_arm_at(t, due);
}
