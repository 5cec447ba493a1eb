#ifndef DNP3D_BENCH_BUS_MQTT_H
#define DNP3D_BENCH_BUS_MQTT_H

/* bench-bus -m: update messages published to an MQTT broker (QoS 1). */
#include <stddef.h>

struct bench_mqtt;

/* mqtt://HOST:PORT on loopback; connected (CONNACK) or fatal. */
struct bench_mqtt *bench_mqtt_open(const char *url);
/* Queued for the client's thread; fatal when the client refuses it. */
void	bench_mqtt_publish(struct bench_mqtt *, const char *topic,
	    const char *msg, size_t len);
void	bench_mqtt_close(struct bench_mqtt *);

#endif
