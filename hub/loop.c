/*
 * The hub's loop: one epoll set over the listener's channel, the
 * clients' socket (nanomsg's NN_RCVFD) and every worker's socket.
 * Workers and clients are served before the channel in each round: a
 * worker's last event was sent before the listener could learn that it
 * exited, and must reach the clients before worker_exited does.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <time.h>

#include "common/log.h"
#include "hub/hub.h"

#define HUB_EVENTS		64
#define HUB_DRAIN_ROUNDS	16
#define HUB_LINGER_MS		100	/* for nanomsg's thread to send */

int
hub_epoll_add(struct hub *h, int fd, uint32_t tag)
{
	struct epoll_event e = { .events = EPOLLIN };

	e.data.u32 = tag;
	return epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &e);
}

static int
timeout(const struct hub *h, uint64_t now)
{
	if (h->report_at == 0)
		return -1;
	return h->report_at <= now ? 0 : (int)(h->report_at - now);
}

static void
serve(struct hub *h, uint32_t tag, uint64_t now)
{
	if (tag == HUB_TAG_CLIENTS) {
		for (int i = 0; i < HUB_BATCH; i++)
			if (hub_clients_move(h, now) == -1)
				break;
	} else if (tag < h->cfg.outstation_count)
		hub_worker_read(h, tag, now);
}

void
hub_round(struct hub *h, int max_ms)
{
	struct epoll_event ev[HUB_EVENTS];
	bool chan = false;
	uint64_t now = hub_now();
	int n, t = timeout(h, now);

	if (max_ms >= 0 && (t < 0 || t > max_ms))
		t = max_ms;
	n = epoll_wait(h->epfd, ev, HUB_EVENTS, t);
	if (n == -1 && errno != EINTR)
		fatal("epoll_wait");
	now = hub_now();
	for (int i = 0; i < n; i++) {
		if (ev[i].data.u32 == HUB_TAG_CHAN)
			chan = true;
		else
			serve(h, ev[i].data.u32, now);
	}
	if (chan && hub_chan_read(h) == -1)
		h->stop = true;
	hub_report(h, now);
}

void
hub_loop(struct hub *h)
{
	while (!h->stop)
		hub_round(h, -1);
}

/* The listener is gone or stopping: what the workers still said goes
   out, with the reports, and nanomsg gets a moment to send it. */
void
hub_drain(struct hub *h)
{
	struct timespec ts = { 0, HUB_LINGER_MS * 1000000L };
	int moved = 1;

	for (int r = 0; r < HUB_DRAIN_ROUNDS && moved > 0; r++) {
		moved = 0;
		for (uint32_t i = 0; i < h->cfg.outstation_count; i++)
			if (h->slot[i].fd >= 0)
				moved += hub_worker_read(h, i, hub_now());
	}
	h->report_at = hub_now();
	hub_report(h, h->report_at);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
