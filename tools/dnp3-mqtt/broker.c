/*
 * The broker side of dnp3-mqtt: one libmosquitto client driven by our
 * own poll loop (no libmosquitto thread). The session is persistent
 * (clean session off; with MQTT 5 a session expiry), so that after a
 * reconnection the broker delivers what it holds for us, and QoS 2
 * messages half-way through their handshake are completed, not repeated.
 */
#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker_int.h"
#include "common/log.h"

#define KEEPALIVE_S		30
#define BACKOFF_MIN_MS		250
#define BACKOFF_MAX_MS		30000
#define SESSION_EXPIRY_S	86400	/* MQTT 5: the broker keeps our
					   session a day */
/* MQTT 5: libmosquitto's own default (20) is exhausted by the copies
   broker_refresh.c describes, and it then drops every connection */
#define RECEIVE_MAX		65535

int64_t
mqtt_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next attempt after the current backoff, which then doubles. */
void
broker_schedule_retry(struct broker *b)
{
	b->retry_at = mqtt_mono_ms() + b->backoff_ms;
	b->backoff_ms = b->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    b->backoff_ms * 2;
}

static void
subscribe(struct broker *b)
{
	char t[ROUTE_TOPIC_MAX];
	const char *leaf[] = { "update", "control_answer" };
	size_t i, k;

	for (k = 0; k < 2; k++) {
		if (b->o->filter.n == 0) {
			snprintf(t, sizeof(t), "%s/+/%s", b->o->prefix,
			    leaf[k]);
			mosquitto_subscribe(b->m, NULL, t, 2);
		}
		for (i = 0; i < b->o->filter.n; i++) {
			snprintf(t, sizeof(t), "%s/%s/%s", b->o->prefix,
			    b->o->filter.names[i], leaf[k]);
			mosquitto_subscribe(b->m, NULL, t, 2);
		}
	}
}

static void
on_connect(struct mosquitto *m, void *arg, int rc)
{
	struct broker *b = arg;

	(void)m;
	if (rc != 0) {
		log_warnx("broker %s refused the connection: %s", b->o->broker,
		    mosquitto_connack_string(rc));
		return;	/* it closes the connection: on_disconnect follows */
	}
	log_info("connected to the broker %s (%s)", b->o->broker, b->a.addr);
	b->up = 1;
	if (++b->connects > 1)
		b->stale = 1;	/* see broker_refresh.c */
	b->backoff_ms = BACKOFF_MIN_MS;
	subscribe(b);
}

static void
on_disconnect(struct mosquitto *m, void *arg, int rc)
{
	struct broker *b = arg;

	(void)m;
	if (b->up)
		log_warnx("lost the broker %s: %s", b->o->broker,
		    mosquitto_strerror(rc));
	b->up = 0;
	b->probe_mid = 0;
	/* libmosquitto sends the unacknowledged again after reconnecting */
	broker_schedule_retry(b);
}

static void
on_publish(struct mosquitto *m, void *arg, int mid)
{
	struct broker *b = arg;

	(void)m;
	(void)mid;
	if (b->unacked > 0)
		b->unacked--;
}

static void
on_message(struct mosquitto *m, void *arg, const struct mosquitto_message *msg)
{
	struct broker *b = arg;

	(void)m;
	if (msg->payloadlen >= 0)
		b->on_message(b->arg, msg->topic, msg->payload,
		    (size_t)msg->payloadlen);
}

/* -vv: the client library's own account of every packet. */
static void
on_log(struct mosquitto *m, void *arg, int level, const char *str)
{
	(void)m;
	(void)arg;
	(void)level;
	log_debug("mqtt client: %s", str);
}

/* Client options: protocol, session, credentials, TLS, callbacks; for
   a new client and for one made again (broker_refresh.c). */
int
broker_client_init(struct broker *b, char *err, size_t errlen)
{
	const struct mqtt_opts *o = b->o;
	int rc = MOSQ_ERR_SUCCESS;

	mosquitto_int_option(b->m, MOSQ_OPT_PROTOCOL_VERSION, o->mqtt5 ?
	    MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	/*
	 * Packets are written only by our loop (broker_io), never inline.
	 * Inline, a PUBCOMP that cannot be written (the broker reset the
	 * connection) makes libmosquitto drop the QoS 2 message it
	 * completes without calling on_message: an update lost, though
	 * the broker counts it delivered.
	 */
	mosquitto_threaded_set(b->m, true);
	mosquitto_int_option(b->m, MOSQ_OPT_RECEIVE_MAXIMUM, RECEIVE_MAX);
	if (o->username != NULL)
		rc = mosquitto_username_pw_set(b->m, o->username, o->password);
	if (rc == MOSQ_ERR_SUCCESS && b->a.tls) {
		/* read once, before the lockdown */
		if (b->tls == NULL && (b->tls = broker_tls_context(o, &b->a,
		    err, errlen)) == NULL)
			return -1;
		/* our context as it is: libmosquitto would check the
		   certificate against the address, not the name */
		mosquitto_int_option(b->m, MOSQ_OPT_SSL_CTX_WITH_DEFAULTS, 0);
		rc = mosquitto_void_option(b->m, MOSQ_OPT_SSL_CTX, b->tls);
	}
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "broker client: %s",
		    mosquitto_strerror(rc));
		return -1;
	}
	mosquitto_connect_callback_set(b->m, on_connect);
	mosquitto_disconnect_callback_set(b->m, on_disconnect);
	mosquitto_publish_callback_set(b->m, on_publish);
	mosquitto_message_callback_set(b->m, on_message);
	mosquitto_unsubscribe_callback_set(b->m, broker_on_unsubscribe);
	if (log_getverbose() >= 2)
		mosquitto_log_callback_set(b->m, on_log);
	return 0;
}

/* The first attempt, which also records the address and the CONNECT
   properties that every reconnection uses. */
int
broker_connect(struct broker *b, char *err, size_t errlen)
{
	mosquitto_property *props = NULL;
	int rc;

	if (b->o->mqtt5 && mosquitto_property_add_int32(&props,
	    MQTT_PROP_SESSION_EXPIRY_INTERVAL, SESSION_EXPIRY_S) != 0) {
		snprintf(err, errlen, "broker client: no memory");
		return -1;
	}
	rc = mosquitto_connect_bind_v5(b->m, b->a.addr, b->a.port,
	    KEEPALIVE_S, NULL, props);
	mosquitto_property_free_all(&props);
	if (rc == MOSQ_ERR_INVAL || rc == MOSQ_ERR_NOMEM) {
		snprintf(err, errlen, "broker client: %s",
		    mosquitto_strerror(rc));
		return -1;
	}
	if (rc != MOSQ_ERR_SUCCESS) {
		log_warnx("broker %s (%s): %s; retrying", b->o->broker,
		    b->a.addr, rc == MOSQ_ERR_ERRNO ? strerror(errno) :
		    mosquitto_strerror(rc));
		broker_schedule_retry(b);
	}
	return 0;
}

struct broker *
broker_open(const struct mqtt_opts *o, broker_message_fn *fn, void *arg,
    char *err, size_t errlen)
{
	struct broker *b;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "%s: %s", __func__, strerror(errno));
		return NULL;
	}
	b->o = o;
	b->on_message = fn;
	b->arg = arg;
	b->backoff_ms = BACKOFF_MIN_MS;
	mosquitto_lib_init();
	/* OpenSSL seeds its generator (libmosquitto's too) at first use,
	   from a device it opens: now, while opening is allowed. */
	if (RAND_status() != 1) {
		snprintf(err, errlen, "no random source");
		goto fail;
	}
	if (broker_parse_url(o->broker, &b->a, err, errlen) == -1 ||
	    broker_resolve(&b->a, err, errlen) == -1)
		goto fail;
	/* clean session off: the broker keeps our subscriptions and what
	   arrives for them while we are away */
	if ((b->m = mosquitto_new(o->client_id, false, b)) == NULL) {
		snprintf(err, errlen, "broker client: %s", strerror(errno));
		goto fail;
	}
	if (broker_client_init(b, err, errlen) == -1)
		goto fail;
	return b;
fail:
	broker_close(b);
	return NULL;
}

int
broker_start(struct broker *b, char *err, size_t errlen)
{
	return broker_connect(b, err, errlen);
}

void
broker_close(struct broker *b)
{
	if (b == NULL)
		return;
	if (b->m != NULL) {
		if (b->up) {
			b->up = 0;	/* a loss we asked for: not logged */
			if (mosquitto_disconnect(b->m) == MOSQ_ERR_SUCCESS)
				mosquitto_loop_write(b->m, 1);
		}
		mosquitto_destroy(b->m);
	}
	SSL_CTX_free(b->tls);
	free(b);
	mosquitto_lib_cleanup();
}

int
broker_fd(struct broker *b)
{
	return mosquitto_socket(b->m);
}

int
broker_want_write(struct broker *b)
{
	return mosquitto_want_write(b->m);
}

void
broker_io(struct broker *b, short revents)
{
	if (revents & (POLLIN | POLLERR | POLLHUP)) {
		mosquitto_loop_read(b->m, 1);
		broker_probe_check(b);
	}
	/* answers (PUBREC, PUBCOMP) at once: a PUBREC still queued when
	   the connection drops makes the broker send its PUBLISH again */
	if (((revents & POLLOUT) || mosquitto_want_write(b->m)) &&
	    mosquitto_socket(b->m) != -1)
		mosquitto_loop_write(b->m, 1);
}

int
broker_tick(struct broker *b, int64_t now)
{
	int rc;

	if (b->retry_at == 0) {
		if (mosquitto_socket(b->m) != -1) {
			mosquitto_loop_misc(b->m);
			broker_probe_start(b, now);
			return 1000;
		}
		/* closed without on_disconnect: a failed TLS handshake */
		log_warnx("broker %s: connection failed%s", b->o->broker,
		    b->a.tls ? " (TLS handshake)" : "");
		b->up = 0;
		broker_schedule_retry(b);
		return (int)(b->retry_at - now);
	}
	if (now < b->retry_at)
		return (int)(b->retry_at - now);
	b->retry_at = 0;
	log_debug("reconnecting to the broker %s", b->o->broker);
	if ((rc = mosquitto_reconnect_async(b->m)) != MOSQ_ERR_SUCCESS) {
		log_debug("broker %s: %s", b->o->broker, rc == MOSQ_ERR_ERRNO ?
		    strerror(errno) : mosquitto_strerror(rc));
		broker_schedule_retry(b);
		return (int)(b->retry_at - now);
	}
	return 1000;
}

int
broker_up(const struct broker *b)
{
	return b->up && b->probe_mid == 0;	/* no publishing in a probe */
}

unsigned
broker_unacked(const struct broker *b)
{
	return b->unacked;
}

int
broker_publish(struct broker *b, const char *topic, const char *msg,
    size_t len, int qos, int retain)
{
	int rc;

	rc = mosquitto_publish(b->m, NULL, topic, (int)len, msg, qos,
	    retain != 0);
	if (rc != MOSQ_ERR_SUCCESS) {
		log_warnx("publish to %s: %s", topic, mosquitto_strerror(rc));
		return -1;
	}
	if (qos > 0)
		b->unacked++;
	return 0;
}
