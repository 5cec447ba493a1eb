#ifndef DNP3_MQTT_SEEN_H
#define DNP3_MQTT_SEEN_H

/*
 * The ids of the last SEEN_MAX inbound messages the bridge sent to the
 * bus, per outstation: a message whose id is among them is a repeat (a
 * redelivery after a broker reconnect) and is not sent again.
 */
#include <stdint.h>

#include "common/config.h"

#define SEEN_MAX	1024

struct seen {
	struct {
		char name[CFG_NAME_MAX + 1];
		int64_t id;
	} ring[SEEN_MAX];
	unsigned next, n;
};

void	seen_init(struct seen *);

/* 1 if (name, id) was noted. */
int	seen_has(const struct seen *, const char *name, int64_t id);
void	seen_note(struct seen *, const char *name, int64_t id);

#endif
