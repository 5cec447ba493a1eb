#ifndef DNP3_MQTT_BRIDGE_H
#define DNP3_MQTT_BRIDGE_H

/* The loop between the bus and the broker (bridge.c). */
#include <signal.h>

#include "bus/client.h"
#include "mqtt.h"
#include "queue.h"
#include "seen.h"

struct bridge {
	const struct mqtt_opts *o;
	struct bus_client *bus;
	struct broker *broker;
	struct queue q;
	struct seen seen;
	int bus_up;
};

/* The broker's message callback: arg is the bridge. */
void	bridge_inbound(void *arg, const char *topic, const void *payload,
	    size_t len);

/* Until *stop; 0, or 1 on a fatal error. */
int	bridge_run(struct bridge *, volatile sig_atomic_t *stop);

#endif
