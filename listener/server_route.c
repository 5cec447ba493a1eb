/*
 * Accept, match the peer against the filters, hand the socket over.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "ipc/handoff.h"
#include "listener/filter.h"
#include "listener/proc.h"
#include "listener/server.h"

/* Sends fd to the worker of outstation oi; the caller closes fd after. */
static void
hand_off(const struct listen_sock *ls, struct supervisor *sup, int oi,
    const struct handoff *h, int fd, const char *peer)
{
	struct wproc *w = &sup->w[oi];
	uint8_t hb[HANDOFF_LEN];
	char why[96];

	if (w->state != WPROC_READY || w->chan < 0) {
		snprintf(why, sizeof(why), "outstation %s is not running",
		    w->cfg->name);
		proc_event_rejected(peer, ls->name, why);
		return;
	}
	handoff_encode(h, hb);
	if (chan_send_fd(w->chan, CHAN_CONNECTION, hb, sizeof(hb), fd) == -1) {
		snprintf(why, sizeof(why), "hand-off to outstation %s: %s",
		    w->cfg->name, strerror(errno));
		proc_event_rejected(peer, ls->name, why);
		return;
	}
	log_debug("%s on %s: to outstation %s", peer, ls->name, w->cfg->name);
}

static void
route(const struct dnp3d_config *cfg, const struct listen_sock *ls,
    struct supervisor *sup, int fd, const struct sockaddr_storage *ss,
    socklen_t sslen)
{
	struct handoff h;
	char peer[HANDOFF_ADDRSTR_MAX];
	int one = 1, oi;

	if (handoff_from_sockaddr(&h, (const struct sockaddr *)ss, sslen,
	    (uint16_t)ls->server) == -1) {
		log_warnx("%s: peer of unknown address family %d", ls->name,
		    ss->ss_family);
		return;
	}
	handoff_addrstr(&h, peer, sizeof(peer));
	oi = filter_route(cfg, ls->server, (const struct sockaddr *)ss);
	if (oi < 0 || (size_t)oi >= sup->count) {
		proc_event_rejected(peer, ls->name, "no outstation matches");
		return;
	}
	/* Responses are small and latency matters more than packets. */
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		log_warn("%s: TCP_NODELAY", peer);
	hand_off(ls, sup, oi, &h, fd, peer);
}

/*
 * Out of descriptors, a pending connection would wake poll forever: a
 * spare descriptor is given up to accept it, and it is closed at once.
 */
static int spare_fd = -1;

void
server_spare_fd(void)
{
	if (spare_fd == -1)
		spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void
shed(const struct listen_sock *ls)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	struct handoff h;
	char peer[HANDOFF_ADDRSTR_MAX] = "(unknown)";
	int fd;

	if (spare_fd == -1)
		return;
	close(spare_fd);
	spare_fd = -1;
	fd = accept4(ls->fd, (struct sockaddr *)&ss, &sslen, SOCK_CLOEXEC);
	if (fd >= 0) {
		if (handoff_from_sockaddr(&h, (struct sockaddr *)&ss, sslen,
		    0) == 0)
			handoff_addrstr(&h, peer, sizeof(peer));
		proc_event_rejected(peer, ls->name, "out of descriptors");
		close(fd);
	}
	server_spare_fd();
}

void
server_accept(const struct dnp3d_config *cfg, const struct listen_sock *ls,
    struct supervisor *sup)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd;

	for (int i = 0; i < SERVER_ACCEPT_BURST; i++) {
		sslen = sizeof(ss);
		fd = accept4(ls->fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ECONNABORTED || errno == EPROTO)
				continue;
			log_warn("accept on %s", ls->name);
			if (errno == EMFILE || errno == ENFILE)
				shed(ls);
			return;
		}
		route(cfg, ls, sup, fd, &ss, sslen);
		close(fd);	/* the worker has its own copy now */
	}
}
