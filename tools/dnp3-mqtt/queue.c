/*
 * The bounded event queue of the MQTT bridge (see queue.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "bus/event.h"
#include "queue.h"

int
queue_init(struct queue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	if (cap == 0 || (q->ring = calloc(cap, sizeof(*q->ring))) == NULL)
		return -1;
	q->cap = cap;
	return 0;
}

void
queue_free(struct queue *q)
{
	while (queue_peek(q) != NULL)
		queue_pop(q);
	free(q->ring);
	q->ring = NULL;
}

static int
drop(struct queue *q, int64_t now_ms)
{
	if (q->lost++ == 0)
		q->lost_since_ms = now_ms;
	return -1;
}

int
queue_push(struct queue *q, const struct route_out *r, const char *msg,
    size_t len, int64_t now_ms)
{
	struct queued *e;

	if (q->n == q->cap)
		return drop(q, now_ms);
	e = &q->ring[(q->head + q->n) % q->cap];
	if ((e->msg = malloc(len + 1)) == NULL)
		return drop(q, now_ms);
	memcpy(e->msg, msg, len);
	e->msg[len] = '\0';
	e->len = len;
	e->r = *r;
	q->n++;
	return 0;
}

struct queued *
queue_peek(struct queue *q)
{
	return q->n == 0 ? NULL : &q->ring[q->head];
}

void
queue_pop(struct queue *q)
{
	if (q->n == 0)
		return;
	free(q->ring[q->head].msg);
	q->ring[q->head].msg = NULL;
	q->head = (q->head + 1) % q->cap;
	q->n--;
}

char *
queue_take_loss(struct queue *q, int64_t now_ms)
{
	char when[32], since[32];
	json_t *o;
	char *text;

	if (q->lost == 0 || q->n == q->cap)
		return NULL;
	if (bus_format_time(now_ms, when, sizeof(when)) < 0 ||
	    bus_format_time(q->lost_since_ms, since, sizeof(since)) < 0)
		return NULL;
	o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "event", "events_lost",
	    "time", when, "source", "dnp3-mqtt", "count", (json_int_t)q->lost,
	    "since", since);
	text = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) :
	    NULL;
	json_decref(o);
	if (text != NULL)
		q->lost = 0;
	return text;
}
