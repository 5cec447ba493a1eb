/*
 * Accept, match the peer against the filters, hand the socket over.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "ipc/handoff.h"
#include "listener/classify.h"
#include "listener/filter.h"
#include "listener/proc.h"
#include "listener/ratelimit.h"
#include "listener/relay.h"
#include "listener/server.h"
#include "listener/status.h"

enum hand_off
server_hand_off(const char *endpoint, struct supervisor *sup, int oi,
    const struct handoff *h, int fd, const char *peer)
{
	struct wproc *w = &sup->w[oi];
	uint8_t hb[HANDOFF_LEN];
	char why[96];
	bool kept;

	/*
	 * At the bound, what the worker has reported taking is read first.
	 * A master that reconnects as soon as it is served is accepted again
	 * and again within one accept burst, before the loop reads the
	 * worker's reports: a worker that takes every hand-off at once would
	 * otherwise look like one that takes none, and the new master's
	 * connection would be closed.
	 */
	if (w->state == WPROC_READY && w->chan >= 0 &&
	    ledger_pending(&w->ledger) >= w->ledger.max_pending)
		supervise_chan_event(sup, w);
	if (w->state != WPROC_READY || w->chan < 0) {
		snprintf(why, sizeof(why), "outstation %s is not running",
		    w->cfg->name);
		proc_event_rejected(peer, endpoint, why);
		return HAND_OFF_FAILED;
	}
	/* A worker that does not take its hand-offs holds at most this
	 * many of root's descriptors in flight, until it is restarted. */
	if (ledger_pending(&w->ledger) >= w->ledger.max_pending) {
		snprintf(why, sizeof(why), "outstation %s has %u hand-offs "
		    "pending", w->cfg->name,
		    (unsigned)ledger_pending(&w->ledger));
		proc_event_rejected(peer, endpoint, why);
		return HAND_OFF_FAILED;
	}
	handoff_encode(h, hb);
	if (supervise_send(w, CHAN_CONNECTION, hb, sizeof(hb), fd) == -1) {
		snprintf(why, sizeof(why), "hand-off to outstation %s: %s",
		    w->cfg->name, strerror(errno));
		proc_event_rejected(peer, endpoint, why);
		return HAND_OFF_FAILED;
	}
	/* Room was checked above. A TLS session dies with its worker; a
	   multi-drop link is made anew by its relay. */
	kept = !w->cfg->tls && !w->cfg->multidrop;
	ledger_add_fd(&w->ledger, h, kept ? fd : -1);
	listener_figures.handed_off++;
	log_debug("%s on %s: to outstation %s", peer, endpoint, w->cfg->name);
	return kept ? HAND_OFF_KEPT : HAND_OFF_SENT;
}

/* true when fd is kept (waiting for the classifier, or in the ledger of
   its worker), else the caller closes it. */
static bool
route(const struct dnp3d_config *cfg, const struct listen_sock *ls,
    struct supervisor *sup, int fd, const struct sockaddr_storage *ss,
    socklen_t sslen)
{
	struct handoff h;
	char peer[HANDOFF_ADDRSTR_MAX];
	int oi;

	if (handoff_from_sockaddr(&h, (const struct sockaddr *)ss, sslen,
	    (uint16_t)ls->server) == -1) {
		log_warnx("%s: peer of unknown address family %d", ls->name,
		    ss->ss_family);
		return false;
	}
	handoff_addrstr(&h, peer, sizeof(peer));
	/* By link address, the classifier's answer picks among them. */
	oi = filter_route(cfg, ls->server, (const struct sockaddr *)ss);
	if (oi < 0 || (size_t)oi >= sup->count) {
		proc_event_rejected(peer, ls->name, "no outstation matches");
		return false;
	}
	if (cfg->servers[ls->server].multidrop) {
		relays_submit(ls, fd, &h, ss, peer);
		return false;
	}
	if (cfg->servers[ls->server].route == ROUTE_LINK_ADDRESS)
		return classify_submit(ls, fd, &h, ss, peer);
	return server_hand_off(ls->name, sup, oi, &h, fd, peer) ==
	    HAND_OFF_KEPT;
}

/*
 * Out of descriptors, a pending connection would wake poll forever: a
 * spare descriptor is given up to accept it, and it is closed at once.
 * When even that fails (the spare's slot was taken meanwhile, or the
 * limit is below it), the listen sockets are not polled for
 * SERVER_PAUSE_MS, and the failures are logged once per second.
 */
static int spare_fd = -1;
static uint64_t paused_until;
static struct ratelimit accept_rl = RATELIMIT_INIT(1, 1000);

void
server_spare_fd(void)
{
	if (spare_fd == -1)
		spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

/* true: one pending connection was taken off the queue. */
static bool
shed(const struct listen_sock *ls)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	struct handoff h;
	char peer[HANDOFF_ADDRSTR_MAX] = "(unknown)";
	int fd;

	if (spare_fd == -1)
		return false;
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
	return fd >= 0 && spare_fd != -1;
}

void
server_tick(uint64_t now)
{
	uint32_t n = ratelimit_due(&accept_rl, now);

	if (n > 0)
		log_warnx("accept failed %u more times in the last second",
		    (unsigned)n);
	if (paused_until != 0 && now >= paused_until) {
		paused_until = 0;
		server_spare_fd();
	}
}

bool
server_paused(void)
{
	return paused_until != 0;
}

int
server_timeout(uint64_t now)
{
	int t = ratelimit_timeout(&accept_rl, now);
	int p;

	if (paused_until == 0)
		return t;
	p = paused_until <= now ? 0 : (int)(paused_until - now);
	return t == -1 || p < t ? p : t;
}

/* accept(2) failed for want of a resource: shed, or pause. */
static void
accept_failed(const struct listen_sock *ls, int err)
{
	uint64_t now = supervise_now();

	server_tick(now);
	if (ratelimit_pass(&accept_rl, now))
		log_warnx("accept on %s: %s", ls->name, strerror(err));
	if ((err == EMFILE || err == ENFILE) && shed(ls))
		return;
	paused_until = now + SERVER_PAUSE_MS;
}

void
server_accept(const struct dnp3d_config *cfg, const struct listen_sock *ls,
    struct supervisor *sup)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int fd;

	if (server_paused())
		return;
	for (int i = 0; i < SERVER_ACCEPT_BURST; i++) {
		sslen = sizeof(ss);
		fd = accept4(ls->fd, (struct sockaddr *)&ss, &sslen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ECONNABORTED || errno == EPROTO)
				continue;
			accept_failed(ls, errno);
			return;
		}
		listener_figures.accepted++;
		/* The worker has its own copy now, or none will. */
		if (!route(cfg, ls, sup, fd, &ss, sslen))
			close(fd);
	}
}
