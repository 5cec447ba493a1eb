/*
 * dnp3-mqtt's loop: bus events into a bounded queue and out to the
 * broker as its window allows; broker messages checked and sent to the
 * bus, or answered on the error topic.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "bus/update.h"
#include "common/log.h"

/* Publications handed to libmosquitto and not yet acknowledged: the rest
   wait in our queue, which is bounded. */
#define WINDOW	100

static void
answer(struct bridge *b, const char *name, enum route_kind kind,
    const struct route_error *e)
{
	char t[ROUTE_TOPIC_MAX], *text;

	log_info("%s: %s: %s", name, e->error, e->detail);
	snprintf(t, sizeof(t), "%s/%s/error", b->o->prefix, name);
	text = route_error_json(name, kind == ROUTE_UPDATE ? "update" :
	    "control_answer", e, bus_now_ms());
	if (text != NULL)
		broker_publish(b->broker, t, text, strlen(text), 1, 0);
	free(text);
}

static void
refuse(struct route_error *e, const char *error, const char *detail)
{
	snprintf(e->error, sizeof(e->error), "%s", error);
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
}

void
bridge_inbound(void *arg, const char *topic, const void *payload,
    size_t len)
{
	struct bridge *b = arg;
	char name[CFG_NAME_MAX + 1], *text;
	enum route_kind kind;
	struct route_error e;
	int64_t id;

	if (route_topic(b->o->prefix, topic, name, sizeof(name), &kind) ==
	    -1 || !route_filter_has(&b->o->filter, name)) {
		log_debug("message on %s ignored", topic);
		return;
	}
	if ((text = route_inbound(name, kind, payload, len, &id, &e)) == NULL)
		goto refused;
	if (id >= 0 && seen_has(&b->seen, name, id))
		refuse(&e, "duplicate id", "a message with this id was sent "
		    "to the bus already");
	else if (!bus_client_joined(b->bus) ||
	    bus_client_publish(b->bus, text, strlen(text)) == -1)
		refuse(&e, "bus unreachable", "dnp3d's bus is not reachable");
	else {
		if (id >= 0)
			seen_note(&b->seen, name, id);
		free(text);
		return;
	}
	free(text);
refused:
	answer(b, name, kind, &e);
}

/* The events_lost event, when some were dropped and there is room. */
static int
publish_loss(struct bridge *b)
{
	char t[ROUTE_TOPIC_MAX], *text;
	int rc = 0;

	if ((text = queue_take_loss(&b->q, bus_now_ms())) == NULL)
		return 0;
	log_warnx("events lost while the broker was away: %s", text);
	snprintf(t, sizeof(t), "%s/%s/event", b->o->prefix, ROUTE_SERVER);
	rc = broker_publish(b->broker, t, text, strlen(text), 1, 0);
	free(text);
	return rc;
}

/* Hand queued events to the broker while it is up and the window open. */
static void
flush(struct bridge *b)
{
	struct queued *e;

	while (broker_up(b->broker) && broker_unacked(b->broker) < WINDOW) {
		if (publish_loss(b) == -1)
			return;
		if ((e = queue_peek(&b->q)) == NULL)
			return;
		if (broker_publish(b->broker, e->r.topic, e->msg, e->len,
		    b->o->qos, 0) == -1)
			return;
		if (e->r.extra[0] != '\0')
			broker_publish(b->broker, e->r.extra, e->msg, e->len,
			    1, e->r.extra_retain);
		queue_pop(&b->q);
	}
}

/* Everything the bus has for us, into the queue; -1 on a socket error. */
static int
drain_bus(struct bridge *b)
{
	static char msg[BUS_MSG_MAX + 1];
	struct route_out r;
	ssize_t n;

	while ((n = bus_client_recv(b->bus, msg, sizeof(msg))) != 0) {
		if (n < 0 && errno == EMSGSIZE)
			continue;
		if (n < 0) {
			log_warn("bus");
			return -1;
		}
		if (route_event(b->o->prefix, &b->o->filter, msg, (size_t)n,
		    &r) && queue_push(&b->q, &r, msg, (size_t)n,
		    bus_now_ms()) == -1)
			log_debug("event queue full: event dropped");
	}
	return 0;
}

static void
watch_bus(struct bridge *b)
{
	if (bus_client_tick(b->bus) == -1)
		log_warnx("lost the bus at %s, reconnecting", b->o->bus_url);
	if (bus_client_joined(b->bus) && !b->bus_up)
		log_info("joined the bus at %s", b->o->bus_url);
	b->bus_up = bus_client_joined(b->bus);
}

int
bridge_run(struct bridge *b, volatile sig_atomic_t *stop)
{
	struct pollfd p[2];
	int wait, nfds;

	while (!*stop) {
		watch_bus(b);
		if (drain_bus(b) == -1)
			return 1;
		flush(b);
		wait = broker_tick(b->broker, mqtt_mono_ms());
		/* the pace of watch_bus: a ping every 100 ms until joined */
		if (wait > (b->bus_up ? 250 : 100))
			wait = b->bus_up ? 250 : 100;
		p[0].fd = bus_client_fd(b->bus);
		p[0].events = POLLIN;
		p[1].fd = broker_fd(b->broker);
		p[1].events = POLLIN | (broker_want_write(b->broker) ?
		    POLLOUT : 0);
		nfds = p[1].fd == -1 ? 1 : 2;
		if (poll(p, (nfds_t)nfds, wait) == -1 && errno != EINTR) {
			log_warn("poll");
			return 1;
		}
		if (nfds == 2 && p[1].revents != 0)
			broker_io(b->broker, p[1].revents);
	}
	return 0;
}
