#ifndef DNP3_MQTT_QUEUE_H
#define DNP3_MQTT_QUEUE_H

/*
 * The bounded queue of events waiting for the broker. When it is full a
 * new event is dropped and counted; the count is itself published (an
 * `events_lost` event) once there is room again.
 */
#include <stddef.h>
#include <stdint.h>

#include "route.h"

struct queued {
	struct route_out r;
	char *msg;		/* malloc'ed, NUL-terminated */
	size_t len;
};

struct queue {
	struct queued *ring;
	size_t cap, head, n;
	uint64_t lost;		/* dropped since the last events_lost */
	int64_t lost_since_ms;	/* when the first of them was dropped */
};

int	queue_init(struct queue *, size_t cap);
void	queue_free(struct queue *);

/* Copy msg in; 0, or -1 when it was dropped (full, or no memory). */
int	queue_push(struct queue *, const struct route_out *, const char *msg,
	    size_t len, int64_t now_ms);

/* The oldest entry, or NULL; queue_pop frees it. */
struct queued *queue_peek(struct queue *);
void	queue_pop(struct queue *);

/*
 * When events were dropped and there is room again: the events_lost
 * event for them (malloc'ed JSON) and the count is reset; else NULL.
 */
char	*queue_take_loss(struct queue *, int64_t now_ms);

#endif
