/*
 * A bus member: NN_BUS connected to the hub. Used by workers to publish
 * events and receive updates, and by the tools.
 */
#include <errno.h>
#include <jansson.h>
#include <nanomsg/bus.h>
#include <nanomsg/nn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "bus/client.h"
#include "bus/update.h"
#include "common/log.h"

/* How often a joining client pings while no pong has come. */
#define JOIN_PING_MS	100

struct bus_client {
	int sock;
	int rcvfd;
	uint64_t seq;
	char source[CFG_NAME_MAX + 1];
	/* joining (bus_client_tick) */
	int joined;		/* the hub answered our ping on this connection */
	uint64_t conns;		/* connections made so far */
	int64_t ping_id;
	int64_t next_ping;	/* monotonic ms */
};

/* A fresh ping id: unique among the clients of one hub, exact in JSON. */
static int64_t
ping_id(void)
{
	uint64_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = ((uint64_t)getpid() << 20) ^ (uint64_t)bus_now_ms();
	return (int64_t)(r & (((uint64_t)1 << 53) - 1));
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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
	c->ping_id = ping_id();
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

int
bus_client_is_connected(const struct bus_client *c)
{
	return nn_get_statistic(c->sock, NN_STAT_CURRENT_CONNECTIONS) > 0;
}

int
bus_client_joined(const struct bus_client *c)
{
	return c->joined;
}

int
bus_client_tick(struct bus_client *c)
{
	uint64_t conns;
	char msg[64];
	int n, was = c->joined;

	/* a connection made since the last pong (the hub restarted) is a
	   new one, and not joined until the hub answers on it */
	conns = nn_get_statistic(c->sock, NN_STAT_ESTABLISHED_CONNECTIONS);
	if (conns != c->conns || !bus_client_is_connected(c))
		c->joined = 0;
	c->conns = conns;
	if (!c->joined && bus_client_is_connected(c) &&
	    mono_ms() >= c->next_ping) {
		n = snprintf(msg, sizeof(msg), "{\"op\":\"ping\",\"id\":%lld}",
		    (long long)c->ping_id);
		bus_client_publish(c, msg, (size_t)n);
		c->next_ping = mono_ms() + JOIN_PING_MS;
	}
	return was && !c->joined ? -1 : 0;
}

/* 1 if msg is the hub's pong to our ping (any pong when id < 0). */
int
bus_client_is_pong(const char *msg, size_t len, int64_t id)
{
	json_t *root, *ev, *v;
	int yes;

	if (memmem(msg, len, "\"pong\"", 6) == NULL ||
	    (root = json_loadb(msg, len, 0, NULL)) == NULL)
		return 0;
	ev = json_object_get(root, "event");
	v = json_object_get(root, "id");
	yes = json_is_string(ev) && strcmp(json_string_value(ev), "pong") ==
	    0 && (id < 0 || (json_is_integer(v) &&
	    json_integer_value(v) == id));
	json_decref(root);
	return yes;
}

int
bus_client_join(struct bus_client *c, int timeout_ms)
{
	static char msg[BUS_MSG_MAX + 1];
	struct pollfd p = { .fd = c->rcvfd, .events = POLLIN };
	int64_t end = mono_ms() + timeout_ms, now;
	ssize_t n;

	while (!c->joined && (now = mono_ms()) < end) {
		bus_client_tick(c);
		/* what comes before the pong is not for a one-shot sender */
		while ((n = bus_client_recv(c, msg, sizeof(msg))) > 0)
			;
		if (n < 0 && errno != EMSGSIZE)
			return -1;
		if (!c->joined)
			poll(&p, 1, (int)(end - now < JOIN_PING_MS ?
			    end - now : JOIN_PING_MS));
	}
	return c->joined ? 0 : -1;
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
	if (bus_client_is_pong(buf, (size_t)n, c->ping_id)) {
		c->joined = 1;
		return bus_client_recv(c, buf, cap);
	}
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
