/*
 * A fresh client after every reconnection.
 *
 * libmosquitto 2.0 (2.0.11 in Debian 12, unchanged to 2.0.20) keeps a
 * second copy of a QoS 2 message that the broker sends again after a
 * reconnection because our PUBREC was lost with the connection. The
 * broker's PUBREL releases the first copy; the second stays for good.
 * With MQTT 5 it takes one unit of the receive quota at every later
 * reconnection (at zero, the library calls the next PUBLISH a protocol
 * error and drops the connection, again after every reconnection), and
 * when the broker reuses the packet id, 65,535 messages later, the PUBREL
 * releases the old copy in place of the new message: a stale update is
 * applied and the new one held back.
 *
 * So after a reconnection, once everything the broker sent is complete,
 * the client is made again on the same session (clean start off), which
 * drops the copies. Completeness is asked of the broker: it answers a
 * client's packets in order, so when the UNSUBACK to our UNSUBSCRIBE
 * (of a topic nobody subscribes to) arrives and we have had nothing to
 * answer since sending it, every PUBREL for the PUBRECs we sent before
 * it has come, and any QoS 2 message the library still holds is a copy.
 * Anything else to answer meanwhile spoils the probe; it is tried again.
 */
#include <mosquitto.h>
#include <stdio.h>

#include "broker_int.h"
#include "common/log.h"
#include "route.h"

#define PROBE_RETRY_MS	250

void
broker_probe_start(struct broker *b, int64_t now)
{
	char t[ROUTE_TOPIC_MAX];
	int mid;

	if (!b->stale || !b->up || b->probe_mid != 0 || b->unacked != 0 ||
	    now < b->probe_at || mosquitto_want_write(b->m))
		return;
	b->probe_at = now + PROBE_RETRY_MS;
	snprintf(t, sizeof(t), "%s/.dnp3-mqtt-probe", b->o->prefix);
	if (mosquitto_unsubscribe(b->m, &mid, t) != MOSQ_ERR_SUCCESS)
		return;
	b->probe_mid = mid;
	b->probe_spoiled = 0;
	b->probe_answered = 0;
	mosquitto_loop_write(b->m, 1);
	/* not all of it written: it might follow something else */
	if (mosquitto_want_write(b->m))
		b->probe_spoiled = 1;
}

void
broker_on_unsubscribe(struct mosquitto *m, void *arg, int mid)
{
	struct broker *b = arg;

	(void)m;
	if (b->probe_mid != 0 && mid == b->probe_mid)
		b->probe_answered = 1;
}

/* The client made again on the same session, and connecting. */
static void
refresh(struct broker *b)
{
	char err[256] = "no memory";

	log_info("broker %s: caught up after the reconnection; the client "
	    "is made again on the same session", b->o->broker);
	b->up = 0;	/* a disconnection we asked for: not logged */
	if (mosquitto_disconnect(b->m) == MOSQ_ERR_SUCCESS)
		mosquitto_loop_write(b->m, 1);
	if (mosquitto_reinitialise(b->m, b->o->client_id, false, b) !=
	    MOSQ_ERR_SUCCESS || broker_client_init(b, err, sizeof(err)) == -1)
		fatalx("broker client: cannot make it again: %s", err);
	b->connects = 0;
	b->stale = 0;
	b->probe_mid = 0;
	b->retry_at = 0;	/* set by the disconnection just asked for */
	if (broker_connect(b, err, sizeof(err)) == -1)
		fatalx("%s", err);
}

/* After every read: whether the probe was spoiled or has its answer. */
void
broker_probe_check(struct broker *b)
{
	if (b->probe_mid == 0)
		return;
	if (mosquitto_want_write(b->m))
		b->probe_spoiled = 1;
	if (!b->probe_answered)
		return;
	b->probe_mid = 0;
	if (b->probe_spoiled || b->unacked != 0) {
		log_debug("broker %s: messages in flight; asking again",
		    b->o->broker);
		return;
	}
	refresh(b);
}
