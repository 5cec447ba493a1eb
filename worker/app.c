/*
 * The outstation behind the master connection: user data the link layer
 * delivered goes to the session (worker/session.c), and each response,
 * built as link frames straight into the output queue, is written with
 * one send. outstation_tick() runs from the timer list.
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

/* n bytes of frames were built at the queue's end (-1: they did not fit). */
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
	worker_conn_flush(w);
}

void
worker_app_user_data(struct worker *w, const struct link_rx *rx,
    uint64_t now)
{
	struct worker_conn *c = &w->conn;

	queued(w, session_user_data(&w->session, &c->station, rx, now,
	    c->out + c->outlen, c->outcap - c->outlen));
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
	queued(w, session_output(&w->session, &c->station, o,
	    c->out + c->outlen, c->outcap - c->outlen));
}

/* Called every loop round: runs the outstation's timer if it is due. */
void
worker_app_tick(struct worker *w, uint64_t now)
{
	struct worker_conn *c = &w->conn;

	if (c->fd < 0 || !timer_expired(&w->timers[WTIMER_OUTSTATION], now))
		return;
	queued(w, session_tick(&w->session, &c->station, now,
	    c->out + c->outlen, c->outcap - c->outlen));
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
	    (due = session_deadline(&w->session)) == 0) {
		timer_disarm(t);
		return;
	}
	timer_arm_at(t, due);
}
