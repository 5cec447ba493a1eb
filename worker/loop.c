/*
 * The worker's event loop: the channel from the listener, the master's
 * socket, and the timer list, in one poll(2).
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
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
	case CHAN_STOP:
		log_debug("stop requested");
		w->stop = true;
		break;
	default:
		log_warnx("channel: unexpected %s message",
		    chan_type_name(m.type));
		break;
	}
}

/* Polls the master's socket: what it may do depends on the reply queue. */
static short
conn_events(const struct worker *w)
{
	short ev = 0;

	if (worker_conn_can_read(w))
		ev |= POLLIN;
	if (w->conn.outlen > 0)
		ev |= POLLOUT;
	return ev;
}

int
worker_loop(struct worker *w)
{
	struct pollfd pfd[2];
	nfds_t n;
	int rc;

	while (!w->stop) {
		pfd[0] = (struct pollfd){ .fd = w->chan, .events = POLLIN };
		n = 1;
		if (w->conn.fd >= 0) {
			pfd[1] = (struct pollfd){ .fd = w->conn.fd,
			    .events = conn_events(w) };
			n = 2;
		}
		rc = poll(pfd, n, timer_poll_timeout(w->timers, WTIMER_COUNT,
		    timer_now()));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			fatal("%s: poll", __func__);
		uint64_t now = timer_now();

		if (n == 2 && (pfd[1].revents & (POLLOUT | POLLERR)))
			worker_conn_flush(w);
		if (n == 2 && w->conn.fd == pfd[1].fd &&
		    (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			worker_conn_read(w, now);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			channel_read(w);
		worker_conn_keep_alive(w, now);
	}
	worker_conn_close(w, WDISC_SHUTDOWN);
	return 0;
}
