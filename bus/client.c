/*
 * A bus member: NN_BUS connected to the hub. Used by workers to publish
 * events and receive updates, and by the tools.
 */
#include <errno.h>
#include <nanomsg/bus.h>
#include <nanomsg/nn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus/client.h"
#include "bus/update.h"
#include "common/log.h"

struct bus_client {
	int sock;
	int rcvfd;
	uint64_t seq;
	char source[CFG_NAME_MAX + 1];
};

struct bus_client *
bus_client_open(const char *url, const char *source, char *err,
    size_t errlen)
{
	struct bus_client *c;
	size_t sz;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "%s: %s", __func__, strerror(errno));
		return NULL;
	}
	if (source != NULL)
		snprintf(c->source, sizeof(c->source), "%s", source);
	if ((c->sock = nn_socket(AF_SP, NN_BUS)) < 0) {
		snprintf(err, errlen, "bus socket: %s",
		    nn_strerror(nn_errno()));
		free(c);
		return NULL;
	}
	sz = sizeof(c->rcvfd);
	if (nn_getsockopt(c->sock, NN_SOL_SOCKET, NN_RCVFD, &c->rcvfd,
	    &sz) < 0) {
		snprintf(err, errlen, "bus socket: %s",
		    nn_strerror(nn_errno()));
		goto fail;
	}
	/* nanomsg connects (and reconnects) in the background: a hub that
	   is not up yet is not an error. */
	if (nn_connect(c->sock, url) < 0) {
		snprintf(err, errlen, "bus %s: %s", url,
		    nn_strerror(nn_errno()));
		goto fail;
	}
	return c;
fail:
	nn_close(c->sock);
	free(c);
	return NULL;
}

int
bus_client_fd(const struct bus_client *c)
{
	return c->rcvfd;
}

/* nanomsg's handshake after the connect is a few local round trips. */
#define HANDSHAKE_GRACE_MS	50

int
bus_client_is_connected(const struct bus_client *c)
{
	return nn_get_statistic(c->sock, NN_STAT_CURRENT_CONNECTIONS) > 0;
}

int
bus_client_wait_connected(struct bus_client *c, int timeout_ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		if (bus_client_is_connected(c)) {
			tick.tv_nsec = HANDSHAKE_GRACE_MS * 1000 * 1000;
			nanosleep(&tick, NULL);
			return 0;
		}
		nanosleep(&tick, NULL);
	}
	return -1;
}

int
bus_client_publish(struct bus_client *c, const char *msg, size_t len)
{
	if (nn_send(c->sock, msg, len, NN_DONTWAIT) < 0) {
		log_debug("%s: %s", __func__, nn_strerror(nn_errno()));
		return -1;
	}
	return 0;
}

int
bus_client_emit(struct bus_client *c, struct bus_event *ev)
{
	char buf[BUS_EVENT_MAX];
	int n;

	if ((n = bus_event_stamp(ev, c->source, &c->seq, buf,
	    sizeof(buf))) < 0)
		return -1;
	return bus_client_publish(c, buf, (size_t)n);
}

int
bus_client_emit_error(struct bus_client *c, const char *outstation,
    int code, const char *detail, const char *op, int64_t id)
{
	struct bus_event ev;

	bus_event_error(&ev, outstation, code, detail, op, id);
	return bus_client_emit(c, &ev);
}

ssize_t
bus_client_recv(struct bus_client *c, char *buf, size_t cap)
{
	int n;

	if (cap < 2 || cap > INT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	/* nn_recv reports the whole message's size even when it copied
	   only cap - 1 bytes of it: that is how a long one is caught. */
	if ((n = nn_recv(c->sock, buf, cap - 1, NN_DONTWAIT)) < 0) {
		if (nn_errno() == EAGAIN)
			return 0;
		errno = nn_errno();
		return -1;
	}
	if ((size_t)n > cap - 1) {
		errno = EMSGSIZE;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

void
bus_client_close(struct bus_client *c)
{
	if (c == NULL)
		return;
	nn_close(c->sock);
	free(c);
}
