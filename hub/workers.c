/*
 * The workers' side: one SOCK_SEQPACKET socket per outstation, whose
 * other end its worker holds (the listener made the pair). What comes in
 * is stamped with that outstation and goes to the clients; what a client
 * addresses to the outstation goes to that socket only. The hub never
 * waits for a worker: a full socket means the message is dropped, counted
 * and reported.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "hub/hub.h"

static void
detach(struct hub *h, struct hub_slot *s)
{
	if (s->fd < 0)
		return;
	epoll_ctl(h->epfd, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
}

void
hub_worker_attach(struct hub *h, uint32_t index, int fd)
{
	struct hub_slot *s = &h->slot[index];
	int sz = HUB_SNDBUF;

	detach(h, s);
	/* Room for a few large updates; beyond it, drops are reported. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) == -1)
		log_debug("bus: %s: SO_SNDBUF: %s", s->name, strerror(errno));
	if (hub_epoll_add(h, fd, index) == -1) {
		log_warn("bus: %s: epoll", s->name);
		close(fd);
		return;
	}
	s->fd = fd;
	log_debug("bus: worker of %s attached", s->name);
}

void
hub_worker_deliver(struct hub *h, int index, const char *msg, size_t len,
    uint64_t now)
{
	struct hub_slot *s = &h->slot[index];

	if (s->fd < 0) {
		hub_count(h, &s->dropped, "worker not running", now);
		return;
	}
	if (send(s->fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) == -1) {
		if (errno == EAGAIN || errno == ENOBUFS)
			hub_count(h, &s->dropped, "worker not reading", now);
		else
			hub_count(h, &s->dropped, "worker not running", now);
	}
}

/*
 * Take up to HUB_BATCH messages from the worker of index. Returns how
 * many; the slot is detached when the worker is gone.
 */
int
hub_worker_read(struct hub *h, uint32_t index, uint64_t now)
{
	static char in[HUB_WORKER_MSG_MAX + 1], out[2 * HUB_WORKER_MSG_MAX];
	struct hub_slot *s = &h->slot[index];
	const char *why;
	ssize_t n;
	int moved, len;

	for (moved = 0; moved < HUB_BATCH && s->fd >= 0; moved++) {
		n = recv(s->fd, in, sizeof(in), MSG_DONTWAIT | MSG_TRUNC);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			log_debug("bus: worker of %s gone", s->name);
			detach(h, s);
			break;
		}
		if ((size_t)n > HUB_WORKER_MSG_MAX)
			len = -1, why = "too big";
		else
			len = hub_stamp(s->name, in, (size_t)n, out,
			    sizeof(out), &why);
		if (len < 0)
			hub_count(h, &s->refused, why, now);
		else {
			hub_restart_note(s, out, (size_t)len);
			hub_publish(h, out, (size_t)len);
		}
	}
	return moved;
}
