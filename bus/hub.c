/*
 * The bus hub: a raw NN_BUS socket that forwards every message to every
 * other member. Receiving on a raw bus socket yields the message with a
 * header naming the pipe it came from; sending it back with that header
 * (nn_recvmsg/nn_sendmsg with msg_control, as nn_device does) makes
 * nanomsg skip that pipe, so a member never hears its own message. A
 * message sent without a header goes to every member: that is how the
 * listener publishes its own events.
 *
 * Workers sit on a second raw bus socket (bus_hub_open_workers), so the
 * forwarding has a direction: a client's message goes to the other
 * clients and to every worker; a worker's message goes to the clients
 * only, never to another worker (that made every worker's event wake all
 * the others: N^2 deliveries); the listener's events go to the clients.
 * One epoll fd over both NN_RCVFDs lets the caller poll a single fd.
 */
#include <errno.h>
#include <nanomsg/bus.h>
#include <nanomsg/nn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/envelope.h"
#include "bus/hub.h"
#include "bus/update.h"
#include "common/config.h"
#include "common/log.h"

/* Bigger than BUS_MSG_MAX so that an oversized message is seen and
   reported, not silently cut off; nanomsg drops a connection that sends
   more than this. */
#define HUB_RCVMAX	(1024 * 1024)

struct bus_hub {
	int sock;		/* clients */
	int rcvfd;
	int wsock;		/* workers, -1 until bus_hub_open_workers */
	int wrcvfd;
	int epfd;		/* both rcvfds: what the caller polls */
	uint64_t seq;
	int (*known)(const char *, void *);
	void *known_arg;
};

static int
hub_bind(struct bus_hub *hub, const char *url, char *err, size_t errlen)
{
	if (nn_bind(hub->sock, url) < 0) {
		snprintf(err, errlen, "bus endpoint %s: %s", url,
		    nn_strerror(nn_errno()));
		return -1;
	}
	if (!bus_url_is_local(url))
		log_warnx("bus endpoint %s is not on a loopback address: "
		    "anyone who can reach it may read events and send "
		    "updates", url);
	return bus_ipc_restrict(url, 0660, (gid_t)-1, err, errlen);
}

/* A raw bus socket whose NN_RCVFD is in epfd; -1 with err filled. */
static int
hub_socket(int *rcvfd, int epfd, char *err, size_t errlen)
{
	struct epoll_event e = { .events = EPOLLIN };
	size_t sz = sizeof(*rcvfd);
	int s, max = HUB_RCVMAX;

	if ((s = nn_socket(AF_SP_RAW, NN_BUS)) < 0) {
		snprintf(err, errlen, "bus hub socket: %s",
		    nn_strerror(nn_errno()));
		return -1;
	}
	if (nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max,
	    sizeof(max)) < 0 || nn_getsockopt(s, NN_SOL_SOCKET, NN_RCVFD,
	    rcvfd, &sz) < 0) {
		snprintf(err, errlen, "bus hub options: %s",
		    nn_strerror(nn_errno()));
		nn_close(s);
		return -1;
	}
	e.data.fd = *rcvfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, *rcvfd, &e) == -1) {
		snprintf(err, errlen, "bus hub epoll: %s", strerror(errno));
		nn_close(s);
		return -1;
	}
	return s;
}

struct bus_hub *
bus_hub_open(const char *const *urls, size_t n, char *err, size_t errlen)
{
	struct bus_hub *hub;
	size_t i;

	if ((hub = calloc(1, sizeof(*hub))) == NULL) {
		snprintf(err, errlen, "%s: %s", __func__, strerror(errno));
		return NULL;
	}
	hub->wsock = hub->wrcvfd = -1;
	if ((hub->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		snprintf(err, errlen, "bus hub epoll: %s", strerror(errno));
		free(hub);
		return NULL;
	}
	if ((hub->sock = hub_socket(&hub->rcvfd, hub->epfd, err,
	    errlen)) == -1) {
		close(hub->epfd);
		free(hub);
		return NULL;
	}
	if (n == 0) {
		snprintf(err, errlen, "bus hub: no endpoint");
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (hub_bind(hub, urls[i], err, errlen) == -1)
			goto fail;
	return hub;
fail:
	nn_close(hub->sock);
	close(hub->epfd);
	free(hub);
	return NULL;
}

int
bus_hub_open_workers(struct bus_hub *hub, const char *url, char *err,
    size_t errlen)
{
	mode_t mask;
	int rc;

	if (hub->wsock != -1) {
		snprintf(err, errlen, "bus hub: workers' socket already open");
		return -1;
	}
	if (strncmp(url, "ipc://", 6) != 0) {
		snprintf(err, errlen, "workers' bus %s: not an ipc:// url", url);
		return -1;
	}
	if ((hub->wsock = hub_socket(&hub->wrcvfd, hub->epfd, err,
	    errlen)) == -1)
		return -1;
	/* Created 0600 from the start: no window for a bus client. */
	mask = umask(0077);
	rc = nn_bind(hub->wsock, url);
	umask(mask);
	if (rc < 0) {
		snprintf(err, errlen, "workers' bus %s: %s", url,
		    nn_strerror(nn_errno()));
	} else if (bus_ipc_restrict(url, 0600, (gid_t)-1, err, errlen) == 0)
		return 0;
	epoll_ctl(hub->epfd, EPOLL_CTL_DEL, hub->wrcvfd, NULL);
	nn_close(hub->wsock);
	hub->wsock = hub->wrcvfd = -1;
	return -1;
}

int
bus_hub_fd(const struct bus_hub *hub)
{
	return hub->epfd;
}

void
bus_hub_set_known(struct bus_hub *hub, int (*known)(const char *, void *),
    void *arg)
{
	hub->known = known;
	hub->known_arg = arg;
}

int
bus_known_in_config(const char *name, void *arg)
{
	const struct dnp3d_config *cfg = arg;
	uint32_t i;

	for (i = 0; i < cfg->outstation_count; i++)
		if (strncmp(cfg->outstations[i].name, name,
		    sizeof(cfg->outstations[i].name)) == 0)
			return 1;
	return 0;
}

int
bus_hub_publish(struct bus_hub *hub, const char *msg, size_t len)
{
	if (nn_send(hub->sock, msg, len, NN_DONTWAIT) < 0) {
		log_warnx("%s: %s", __func__, nn_strerror(nn_errno()));
		return -1;
	}
	return 0;
}

int
bus_hub_emit(struct bus_hub *hub, struct bus_event *ev)
{
	char buf[BUS_EVENT_MAX];
	int n;

	ev->source = "listener";
	ev->seq = ++hub->seq;
	ev->time_ms = bus_now_ms();
	if ((n = bus_event_encode(ev, buf, sizeof(buf))) < 0) {
		log_warnx("%s: cannot encode a %s event", __func__,
		    bus_event_name(ev->type));
		return -1;
	}
	return bus_hub_publish(hub, buf, (size_t)n);
}

/*
 * Judge the envelope of an op message. For a bad one, encode the error
 * event into reply (published after the message itself, so members see
 * cause before complaint). Returns 0 to forward the message, -1 to drop
 * it (too big: no member should have to take it).
 */
static int
hub_check(struct bus_hub *hub, const char *msg, size_t len, char *reply,
    size_t cap, int *replylen)
{
	struct bus_envelope env;
	struct bus_event ev;
	char detail[256];
	int rc;

	*replylen = 0;
	rc = bus_envelope_parse(msg, len, &env, detail, sizeof(detail));
	if (rc == BUS_DECODE_OK && hub->known != NULL &&
	    !hub->known(env.outstation, hub->known_arg))
		rc = bus_seterr(detail, sizeof(detail),
		    BUS_ERR_UNKNOWN_OUTSTATION,
		    "no outstation is named \"%.64s\"", env.outstation);
	if (rc < 0) {
		memset(&ev, 0, sizeof(ev));
		ev.type = BUS_EV_ERROR;
		ev.outstation = env.outstation;
		ev.u.error.code = -rc;
		ev.u.error.detail = detail;
		ev.u.error.op = env.op;
		ev.u.error.id = env.id;
		ev.source = "listener";
		ev.seq = ++hub->seq;
		ev.time_ms = bus_now_ms();
		log_debug("bus: %s: %s", bus_msg_strerror(rc), detail);
		if ((*replylen = bus_event_encode(&ev, reply, cap)) < 0)
			*replylen = 0;
	}
	bus_envelope_free(&env);
	return rc == -BUS_ERR_TOO_BIG ? -1 : 0;
}

/* Free what nn_recvmsg gave when it could not be sent on. */
static void
hub_free(void *body, void *control)
{
	nn_freemsg(body);
	if (control != NULL)
		nn_freemsg(control);
}

/*
 * Move one client message: to the workers (a copy, without a header:
 * every worker) and back to the clients with its header (every other
 * client). 0 when one was moved, -1 when none was pending.
 */
static int
hub_move_client(struct bus_hub *hub)
{
	char reply[BUS_EVENT_MAX];
	struct nn_msghdr hdr;
	struct nn_iovec iov;
	void *body = NULL, *control = NULL;
	int n, replylen;

	iov.iov_base = &body;
	iov.iov_len = NN_MSG;
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = &control;
	hdr.msg_controllen = NN_MSG;
	if ((n = nn_recvmsg(hub->sock, &hdr, NN_DONTWAIT)) < 0) {
		if (nn_errno() != EAGAIN)
			log_warnx("%s: receive: %s", __func__,
			    nn_strerror(nn_errno()));
		return -1;
	}
	if (hub_check(hub, body, (size_t)n, reply, sizeof(reply),
	    &replylen) == -1)
		hub_free(body, control);
	else {
		/* A worker that cannot take it now loses it, as on any bus. */
		if (hub->wsock != -1 && nn_send(hub->wsock, body, (size_t)n,
		    NN_DONTWAIT) < 0 && nn_errno() != EAGAIN)
			log_debug("%s: to the workers: %s", __func__,
			    nn_strerror(nn_errno()));
		if (nn_sendmsg(hub->sock, &hdr, NN_DONTWAIT) < 0)
			hub_free(body, control);
		/* on success nanomsg owns body and control now */
	}
	if (replylen > 0)
		bus_hub_publish(hub, reply, (size_t)replylen);
	return 0;
}

/*
 * Move one worker message to the clients (never to another worker). A
 * worker is not trusted more than a client: an oversized message is
 * dropped. 0 when one was moved, -1 when none was pending.
 */
static int
hub_move_worker(struct bus_hub *hub)
{
	void *body = NULL;
	int n;

	if ((n = nn_recv(hub->wsock, &body, NN_MSG, NN_DONTWAIT)) < 0) {
		if (nn_errno() != EAGAIN)
			log_warnx("%s: receive: %s", __func__,
			    nn_strerror(nn_errno()));
		return -1;
	}
	if (n > BUS_MSG_MAX) {
		log_debug("%s: a worker's message of %d bytes dropped",
		    __func__, n);
		nn_freemsg(body);
	} else if (nn_send(hub->sock, &body, NN_MSG, NN_DONTWAIT) < 0)
		nn_freemsg(body);
	return 0;
}

int
bus_hub_forward(struct bus_hub *hub)
{
	int i, moved = 0, more;

	/* Alternate, so that neither side can starve the other. */
	for (i = 0; i < BUS_HUB_BATCH; i++) {
		more = 0;
		if (hub_move_client(hub) == 0) {
			moved++;
			more = 1;
		}
		if (hub->wsock != -1 && hub_move_worker(hub) == 0) {
			moved++;
			more = 1;
		}
		if (!more)
			break;
	}
	return moved;
}

void
bus_hub_close(struct bus_hub *hub)
{
	if (hub == NULL)
		return;
	if (hub->wsock != -1)
		nn_close(hub->wsock);
	nn_close(hub->sock);
	close(hub->epfd);
	free(hub);
}
