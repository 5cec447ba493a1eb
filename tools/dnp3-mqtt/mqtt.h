#ifndef DNP3_MQTT_H
#define DNP3_MQTT_H

/* dnp3-mqtt: the options, and the broker side (broker.c). */
#include <stddef.h>
#include <stdint.h>

#include "route.h"

struct mqtt_opts {
	const char *bus_url;
	const char *broker;		/* mqtt://HOST[:PORT], mqtts://... */
	const char *prefix;
	const char *client_id;
	const char *username;
	char *password;			/* read from --password-file */
	const char *tls_ca, *tls_cert, *tls_key;
	const char *user;		/* who to become when started as root */
	struct route_filter filter;
	int mqtt5;			/* MQTT 5, else 3.1.1 */
	int qos;			/* of the events */
	size_t queue_max;
	int verbose;
};

void	mqtt_parse_args(int argc, char **argv, struct mqtt_opts *o);

struct broker;

/* Called for every message from the broker. */
typedef void broker_message_fn(void *arg, const char *topic,
    const void *payload, size_t len);

/*
 * Resolve the broker's host name (once, now), read the TLS files and
 * create the client: everything that opens a file or asks a resolver
 * runs here, before the lockdown. NULL with err filled on failure.
 */
struct broker *broker_open(const struct mqtt_opts *, broker_message_fn *,
    void *arg, char *err, size_t errlen);

/* The first connection attempt; a failure to connect is retried by
   broker_tick, -1 only for a client that cannot work at all. */
int	broker_start(struct broker *, char *err, size_t errlen);
void	broker_close(struct broker *);

/* The socket to poll (-1: none now), and whether to poll for POLLOUT. */
int	broker_fd(struct broker *);
int	broker_want_write(struct broker *);
void	broker_io(struct broker *, short revents);

/* Keep-alive, and reconnection with backoff; returns the ms until it
   wants to run again. */
int	broker_tick(struct broker *, int64_t now_ms);

/* 1 once the broker accepted the connection (CONNACK). */
int	broker_up(const struct broker *);
/* Messages handed to the client that the broker has not acknowledged. */
unsigned broker_unacked(const struct broker *);

/* Publish (QoS 0..2); 0, or -1 when the client refused it. */
int	broker_publish(struct broker *, const char *topic, const char *msg,
	    size_t len, int qos, int retain);

int64_t	mqtt_mono_ms(void);

#endif
