/*
 * The bus hub: a raw NN_BUS socket that forwards every message to every
 * other member. Receiving on a raw bus socket yields the message with a
 * header naming the pipe it came from; sending it back with that header
 * (nn_recvmsg/nn_sendmsg with msg_control, as nn_device does) makes
 * nanomsg skip that pipe, so a member never hears its own message. A
 * message sent without a header goes to every member: that is how the
 * listener publishes its own events.
 */
#include <errno.h>
#include <nanomsg/bus.h>
#include <nanomsg/nn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	int sock;
	int rcvfd;
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

struct bus_hub *
bus_hub_open(const char *const *urls, size_t n, char *err, size_t errlen)
{
	struct bus_hub *hub;
	size_t i, sz;
	int max = HUB_RCVMAX;

	if ((hub = calloc(1, sizeof(*hub))) == NULL) {
		snprintf(err, errlen, "%s: %s", __func__, strerror(errno));
		return NULL;
	}
	if ((hub->sock = nn_socket(AF_SP_RAW, NN_BUS)) < 0) {
		snprintf(err, errlen, "bus hub socket: %s",
		    nn_strerror(nn_errno()));
		free(hub);
		return NULL;
	}
	sz = sizeof(hub->rcvfd);
	if (nn_setsockopt(hub->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max,
	    sizeof(max)) < 0 || nn_getsockopt(hub->sock, NN_SOL_SOCKET,
	    NN_RCVFD, &hub->rcvfd, &sz) < 0) {
		snprintf(err, errlen, "bus hub options: %s",
		    nn_strerror(nn_errno()));
		goto fail;
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
	free(hub);
	return NULL;
}

int
bus_hub_fd(const struct bus_hub *hub)
{
	return hub->rcvfd;
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

/* Move one message; 0 when one was moved, -1 when none was pending. */
static int
hub_move(struct bus_hub *hub)
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
	    &replylen) == -1 || nn_sendmsg(hub->sock, &hdr, NN_DONTWAIT) < 0) {
		nn_freemsg(body);
		if (control != NULL)
			nn_freemsg(control);
	}
	/* on success nanomsg owns body and control now */
	if (replylen > 0)
		bus_hub_publish(hub, reply, (size_t)replylen);
	return 0;
}

int
bus_hub_forward(struct bus_hub *hub)
{
	int i;

	for (i = 0; i < BUS_HUB_BATCH; i++)
		if (hub_move(hub) == -1)
			break;
	return i;
}

void
bus_hub_close(struct bus_hub *hub)
{
	if (hub == NULL)
		return;
	nn_close(hub->sock);
	free(hub);
}
