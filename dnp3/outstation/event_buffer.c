/*
 * Bounded event rings, one per point type. Oldest first; a full ring
 * drops its oldest event. Events leave a ring only when confirmed.
 */
#include <string.h>

#include "dnp3/outstation/event_buffer.h"

#define ALIGN16(n)	(((n) + 15) & ~(size_t)15)

static size_t
event_layout(const struct point_params cfg[PT_COUNT],
    size_t off[PT_COUNT], size_t *octet_off)
{
	size_t total = 0;

	for (int t = 0; t < PT_COUNT; t++) {
		if (cfg[t].event_buffer > EVENT_CAP_MAX)
			return 0;
		off[t] = total;
		total += ALIGN16((size_t)cfg[t].event_buffer *
		    sizeof(struct event));
	}
	*octet_off = total;
	total += ALIGN16((size_t)cfg[PT_OCTET_STRING].event_buffer *
	    DB_OCTET_MAX);
	return total == 0 ? 16 : total;
}

size_t
event_size(const struct point_params cfg[PT_COUNT])
{
	size_t off[PT_COUNT], octet_off;

	return event_layout(cfg, off, &octet_off);
}

int
event_init(struct event_buffers *eb, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT])
{
	size_t off[PT_COUNT], octet_off, need;
	uint8_t *base = mem;

	need = event_layout(cfg, off, &octet_off);
	if (need == 0 || len < need) {
		return -1;
	}
	/* No slot is read before an event is written to it, so the slots
	   stay as they are: the pages of a new state region are then
	   untouched (not part of the worker's memory) until events come. */
	memset(eb, 0, sizeof(*eb));
	for (int t = 0; t < PT_COUNT; t++) {
		eb->ring[t].ev = (struct event *)(void *)(base + off[t]);
		eb->ring[t].cap = cfg[t].event_buffer;
	}
	eb->ring[PT_OCTET_STRING].octets = base + octet_off;
	return 0;
}

/* A stored event's fields that index or select code: in range. */
static bool
event_valid(enum point_type t, const struct event *e, const struct db *db)
{
	uint8_t m = e->mark;

	if (e->index >= db->count[t] || e->class < 1 || e->class > 3)
		return false;
	if (m != EVENT_UNMARKED && (m & ~(EVENT_MARK_UNS | 0x0f)) != 0)
		return false;
	if (t == PT_OCTET_STRING)
		return e->octet_len >= 1;
	return db_event_var_ok(t, e->var);
}

static int
ring_attach(struct event_buffers *eb, enum point_type t, const struct db *db)
{
	struct event_ring *r = &eb->ring[t];

	if (r->count > r->cap || (r->cap > 0 && r->head >= r->cap) ||
	    (r->cap == 0 && r->head != 0))
		return -1;
	for (uint32_t i = 0; i < r->count; i++) {
		const struct event *e = &r->ev[(uint32_t)(((uint64_t)r->head +
		    i) % r->cap)];

		if (!event_valid(t, e, db))
			return -1;
		if (e->mark == EVENT_UNMARKED)
			eb->waiting_class[e->class]++;
	}
	return 0;
}

int
event_attach(struct event_buffers *eb, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT], const struct db *db)
{
	size_t off[PT_COUNT], octet_off, need;
	uint8_t *base = mem;

	need = event_layout(cfg, off, &octet_off);
	if (need == 0 || len < need)
		return -1;
	memset(eb->waiting_class, 0, sizeof(eb->waiting_class));
	for (int t = 0; t < PT_COUNT; t++) {
		eb->ring[t].ev = (struct event *)(void *)(base + off[t]);
		eb->ring[t].octets = NULL;
		if (eb->ring[t].cap != cfg[t].event_buffer)
			return -1;
	}
	eb->ring[PT_OCTET_STRING].octets = base + octet_off;
	for (int t = 0; t < PT_COUNT; t++)
		if (ring_attach(eb, t, db) == -1)
			return -1;
	return 0;
}

/* One waiting event more (d = 1) or less (d = -1) of class c. */
static void
waiting_adj(struct event_buffers *eb, uint8_t c, int d)
{
	if (c >= 1 && c <= 3)
		eb->waiting_class[c] += (uint32_t)d;
}

void
event_clear(struct event_buffers *eb)
{
	for (int t = 0; t < PT_COUNT; t++) {
		eb->ring[t].head = 0;
		eb->ring[t].count = 0;
	}
	memset(eb->waiting_class, 0, sizeof(eb->waiting_class));
	eb->overflow = false;
}

static uint32_t
slot_of(const struct event_ring *r, uint32_t i)
{
	return (uint32_t)(((uint64_t)r->head + i) % r->cap);
}

void
event_add(struct event_buffers *eb, enum point_type t, uint32_t index,
    const struct db_point *p, const uint8_t *octets)
{
	struct event_ring *r;
	struct event *e;
	uint32_t slot;

	if ((unsigned)t >= PT_COUNT || p->class < 1 || p->class > 3)
		return;
	r = &eb->ring[t];
	if (r->cap == 0) {
		eb->overflow = true;	/* no room at all: still lost */
		return;
	}
	if (r->count == r->cap) {
		/* Keep the newest: the oldest goes, and the master is told. */
		e = &r->ev[r->head];
		if (e->mark == EVENT_UNMARKED)
			waiting_adj(eb, e->class, -1);
		r->head = slot_of(r, 1);
		r->count--;
		eb->overflow = true;
	}
	slot = slot_of(r, r->count);
	e = &r->ev[slot];
	memset(e, 0, sizeof(*e));
	if (t == PT_ANALOG_INPUT || t == PT_ANALOG_OUTPUT)
		e->v.analog = p->v.analog;
	else if (t == PT_COUNTER || t == PT_FROZEN_COUNTER)
		e->v.counter = p->v.counter;
	else
		e->v.bits = p->v.bits;
	e->time_ms = p->time_ms;
	e->index = index;
	e->seq = eb->next_seq++;
	e->flags = p->flags;
	e->class = p->class;
	e->var = p->event_var;
	e->mark = EVENT_UNMARKED;
	e->unsynced = eb->unsynced;
	waiting_adj(eb, e->class, 1);
	if (t == PT_OCTET_STRING && octets != NULL) {
		e->octet_len = p->octet_len;
		memcpy(r->octets + (size_t)slot * DB_OCTET_MAX, octets,
		    p->octet_len);
	}
	r->count++;
}

uint32_t
event_waiting_class(const struct event_buffers *eb, uint8_t class)
{
	return class >= 1 && class <= 3 ? eb->waiting_class[class] : 0;
}

uint32_t
event_count(const struct event_buffers *eb, enum point_type t)
{
	return (unsigned)t < PT_COUNT ? eb->ring[t].count : 0;
}

void
event_iter_init(struct event_iter *it)
{
	memset(it, 0, sizeof(*it));
}

static bool
event_selected(const struct event *e, enum point_type t,
    const struct event_filter *f)
{
	if (e->mark != EVENT_UNMARKED)
		return false;
	if (f->type < PT_COUNT)
		return f->type == t;
	return (f->class_mask & (1u << e->class)) != 0;
}

struct event *
event_iter_peek(struct event_buffers *eb, struct event_iter *it,
    const struct event_filter *f, enum point_type *type,
    const uint8_t **octets)
{
	struct event *best = NULL, *e;
	int best_t = PT_COUNT;

	for (int t = 0; t < PT_COUNT; t++) {
		struct event_ring *r = &eb->ring[t];

		if (f->type < PT_COUNT && f->type != t)
			continue;
		/* Skip what this filter does not take, for good. */
		for (; it->pos[t] < r->count; it->pos[t]++) {
			e = &r->ev[slot_of(r, it->pos[t])];
			if (event_selected(e, t, f))
				break;
		}
		if (it->pos[t] == r->count)
			continue;
		e = &r->ev[slot_of(r, it->pos[t])];
		if (best == NULL || (int32_t)(e->seq - best->seq) < 0) {
			best = e;
			best_t = t;
		}
	}
	if (best == NULL)
		return NULL;
	*type = best_t;
	*octets = NULL;
	if (best_t == PT_OCTET_STRING) {
		struct event_ring *r = &eb->ring[best_t];

		*octets = r->octets +
		    (size_t)slot_of(r, it->pos[best_t]) * DB_OCTET_MAX;
	}
	return best;
}

void
event_mark(struct event_buffers *eb, struct event_iter *it,
    enum point_type t, uint8_t mark)
{
	struct event_ring *r;
	struct event *e;

	if ((unsigned)t >= PT_COUNT)
		return;
	r = &eb->ring[t];
	if (it->pos[t] >= r->count)
		return;
	e = &r->ev[slot_of(r, it->pos[t])];
	if (e->mark == EVENT_UNMARKED)
		waiting_adj(eb, e->class, -1);
	e->mark = mark & (EVENT_MARK_UNS | 0x0f);
	it->pos[t]++;
}

/* Drop the events marked so from one ring, keeping the order of the rest. */
static uint32_t
ring_remove(struct event_ring *r, uint8_t mark, bool octets)
{
	uint32_t keep = 0, removed = 0;

	for (uint32_t i = 0; i < r->count; i++) {
		uint32_t from = slot_of(r, i), to = slot_of(r, keep);

		if (r->ev[from].mark == mark) {
			removed++;
			continue;
		}
		if (from != to) {
			r->ev[to] = r->ev[from];
			if (octets)
				memcpy(r->octets + (size_t)to * DB_OCTET_MAX,
				    r->octets + (size_t)from * DB_OCTET_MAX,
				    r->ev[from].octet_len);
		}
		keep++;
	}
	r->count = keep;
	return removed;
}

uint32_t
event_confirm(struct event_buffers *eb, uint8_t mark)
{
	uint32_t n = 0;

	mark &= EVENT_MARK_UNS | 0x0f;
	for (int t = 0; t < PT_COUNT; t++)
		n += ring_remove(&eb->ring[t], mark, t == PT_OCTET_STRING);
	if (n > 0)
		eb->overflow = false;	/* the master has caught up */
	return n;
}

void
event_unmark(struct event_buffers *eb, bool unsolicited)
{
	for (int t = 0; t < PT_COUNT; t++) {
		struct event_ring *r = &eb->ring[t];

		for (uint32_t i = 0; i < r->count; i++) {
			struct event *e = &r->ev[slot_of(r, i)];

			if (e->mark == EVENT_UNMARKED ||
			    !!(e->mark & EVENT_MARK_UNS) != unsolicited)
				continue;
			e->mark = EVENT_UNMARKED;
			waiting_adj(eb, e->class, 1);
		}
	}
}
