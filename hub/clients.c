/*
 * The clients' side: one raw NN_BUS socket bound on every bus endpoint.
 * Receiving on a raw bus socket yields the message with a header naming
 * the pipe it came from; sending it back with that header (as nn_device
 * does) makes nanomsg skip that pipe, so a client never hears its own
 * message. A message sent without a header goes to every client: that is
 * how events are published.
 */
#include <errno.h>
#include <nanomsg/bus.h>
#include <nanomsg/nn.h>
#include <stdio.h>
#include <string.h>

#include "bus/access.h"
#include "common/log.h"
#include "hub/hub.h"

/* Bigger than BUS_MSG_MAX so that an oversized message is seen and
   reported, not silently cut off; nanomsg drops a connection that sends
   more than this. */
#define HUB_RCVMAX	(1024 * 1024)

int
hub_clients_open(struct hub *h, char *err, size_t errlen)
{
	size_t sz = sizeof(h->rcvfd);
	int max = HUB_RCVMAX;

	if ((h->sock = nn_socket(AF_SP_RAW, NN_BUS)) < 0) {
		snprintf(err, errlen, "bus socket: %s",
		    nn_strerror(nn_errno()));
		return -1;
	}
	if (nn_setsockopt(h->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max,
	    sizeof(max)) < 0 || nn_getsockopt(h->sock, NN_SOL_SOCKET,
	    NN_RCVFD, &h->rcvfd, &sz) < 0) {
		snprintf(err, errlen, "bus socket options: %s",
		    nn_strerror(nn_errno()));
		return -1;
	}
	return 0;
}

int
hub_publish(struct hub *h, const char *msg, size_t len)
{
	if (nn_send(h->sock, msg, len, NN_DONTWAIT) < 0) {
		log_debug("%s: %s", __func__, nn_strerror(nn_errno()));
		return -1;
	}
	return 0;
}

/* The error event answering a bad envelope. */
static void
answer(struct hub *h, const struct hub_verdict *v)
{
	struct bus_event ev;

	log_debug("bus: %s: %s", bus_msg_strerror(v->code), v->detail);
	bus_event_error(&ev, v->outstation[0] ? v->outstation : NULL,
	    v->code, v->detail, v->op[0] ? v->op : NULL, v->id);
	hub_emit(h, &ev);
}

/* The answer to a ping, to every client: the pinging one knows from it
   that the hub both hears it and reaches it. */
static void
pong(struct hub *h, int64_t id)
{
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_PONG;
	ev.u.pong.id = id;
	hub_emit(h, &ev);
}

/*
 * Move one client message: to the worker it names (if any), back to the
 * other clients with its header, then the error event if it was bad (so
 * clients see cause before complaint). 0 when one was moved, -1 when
 * none was pending.
 */
int
hub_clients_move(struct hub *h, uint64_t now)
{
	struct hub_verdict v;
	struct nn_msghdr hdr;
	struct nn_iovec iov;
	void *body = NULL, *control = NULL;
	int n;

	iov.iov_base = &body;
	iov.iov_len = NN_MSG;
	memset(&hdr, 0, sizeof(hdr));
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = &control;
	hdr.msg_controllen = NN_MSG;
	if ((n = nn_recvmsg(h->sock, &hdr, NN_DONTWAIT)) < 0) {
		if (nn_errno() != EAGAIN)
			log_warnx("bus: receive: %s", nn_strerror(nn_errno()));
		return -1;
	}
	hub_judge(h, body, (size_t)n, &v);
	if (v.status)
		hub_status_answer(h, &v, body, (size_t)n, now);
	else if (v.to >= 0)
		hub_worker_deliver(h, v.to, body, (size_t)n, now);
	if (v.to == HUB_DROP || v.to == HUB_PING ||
	    nn_sendmsg(h->sock, &hdr, NN_DONTWAIT) < 0) {
		nn_freemsg(body);
		if (control != NULL)
			nn_freemsg(control);
	}	/* else nanomsg owns body and control now */
	if (v.code != 0)
		answer(h, &v);
	else if (v.to == HUB_PING)
		pong(h, v.id);
	return 0;
}
