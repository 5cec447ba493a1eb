/*
 * The worker's event loop: the channel from the listener, the master's
 * socket, and the timer list, in one poll(2).
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

static void
channel_connection(struct worker *w, struct chan_msg *m)
{
	struct handoff h;
	const char *why;

	if (handoff_decode(m->data, m->len, &h, &why) == -1) {
		log_warnx("channel: bad hand-off header: %s", why);
		close(m->fd);
		return;
	}
	worker_conn_adopt(w, m->fd, &h);
}

/* CHAN_STOP's byte, if any (a reload's); anything else is a shutdown. */
static enum worker_disc
stop_why(const struct chan_msg *m)
{
	if (m->len == 1 && m->data[0] == CHAN_STOP_RECONFIGURED)
		return WDISC_RECONFIGURED;
	if (m->len == 1 && m->data[0] == CHAN_STOP_REMOVED)
		return WDISC_REMOVED;
	return WDISC_SHUTDOWN;
}

static void
channel_read(struct worker *w)
{
	static struct chan_msg m;	/* 4 KiB: keep it off the stack */
	int rc;

	rc = chan_recv(w->chan, &m);
	if (rc == CHAN_EOF) {
		log_info("listener closed the channel, exiting");
		w->stop = true;
		return;
	}
	if (rc == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
		return;
	if (rc == CHAN_ESYS) {
		log_warn("channel");
		w->stop = true;
		return;
	}
	if (rc != CHAN_OK) {
		/* Dropped (descriptors closed by chan_recv); keep serving. */
		log_warnx("channel: %s", chan_strerror(rc));
		return;
	}
	switch (m.type) {
	case CHAN_CONNECTION:
		channel_connection(w, &m);
		break;
	case CHAN_BUS:
		worker_bus_attach(m.fd);
		worker_state_report(w);
		break;
	case CHAN_STOP:
		log_debug("stop requested");
		w->stop = true;
		w->stop_why = stop_why(&m);
		break;
	case CHAN_PING:
		break;	/* reading it is the answer */
	default:
		log_warnx("channel: unexpected %s message",
		    chan_type_name(m.type));
		if (m.fd >= 0)
			close(m.fd);
		break;
	}
}

static void
conn_ready(struct worker *w, int fd, short revents, uint64_t now)
{
	if (revents & (POLLOUT | POLLERR))
		worker_conn_flush(w);
	/* The flush may have closed it (and a new one cannot be here yet). */
	if (w->conn.fd == fd && (revents & (POLLIN | POLLHUP | POLLERR)))
		worker_app_read(w, now);
}

static void
chan_ready(struct worker *w, int fd, short revents, uint64_t now)
{
	(void)fd;
	(void)now;
	if (revents & (POLLIN | POLLHUP | POLLERR))
		channel_read(w);
}

/* The pipe to the listener has room again. */
static void
chan_out_ready(struct worker *w, int fd, short revents, uint64_t now)
{
	(void)fd;
	(void)now;
	if (revents & POLLOUT)
		worker_conn_send_news(w);
}

/*
 * The descriptors of one poll round, each with its handler: the master,
 * the listener's channel, the bus.
 */
struct loop_fd {
	int	 fd;
	short	 events;
	void	(*ready)(struct worker *, int, short, uint64_t);
};
#define LOOP_FDS	4

static nfds_t
loop_fds(struct worker *w, struct loop_fd *t)
{
	nfds_t n = 0;

	/* The master first: its replies go out before a replacement. */
	if (w->conn.fd >= 0)
		t[n++] = (struct loop_fd){ w->conn.fd, worker_conn_events(w),
		    conn_ready };
	t[n++] = (struct loop_fd){ w->chan, POLLIN, chan_ready };
	if ((w->conn.tell_pending || w->conn.refuse_pending) &&
	    w->chan_out >= 0)
		t[n++] = (struct loop_fd){ w->chan_out, POLLOUT,
		    chan_out_ready };
	if (worker_bus_fd() >= 0)
		t[n++] = (struct loop_fd){ worker_bus_fd(), POLLIN,
		    worker_bus_ready };
	return n;
}

int
worker_loop(struct worker *w)
{
	struct loop_fd t[LOOP_FDS];
	struct pollfd pfd[LOOP_FDS];
	nfds_t i, n;
	uint64_t now;
	int rc;

	while (!w->stop) {
		worker_app_timer(w);
		n = loop_fds(w, t);
		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = t[i].fd,
			    .events = t[i].events };
		rc = poll(pfd, n, worker_conn_ready_now(w) ? 0 :
		    timer_poll_timeout(w->timers, WTIMER_COUNT, timer_now()));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			fatal("%s: poll", __func__);
		now = timer_now();
		if (worker_conn_ready_now(w))	/* t[0] is the master */
			pfd[0].revents |= POLLIN;
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				t[i].ready(w, t[i].fd, pfd[i].revents, now);
		worker_conn_keep_alive(w, now);
		worker_app_tick(w, now);
		worker_report_tick(w, now);
		/* the round's responses are out: now the bus and the log hear
		   of the controls they answered */
		worker_bus_control_flush();
	}
	worker_conn_close(w, w->stop_why);
	return 0;
}
