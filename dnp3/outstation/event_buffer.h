#ifndef DNP3D_EVENT_H
#define DNP3D_EVENT_H

/*
 * Event buffers: one bounded ring per point type, sized from the
 * configuration (event_buffer) and carved out of a caller buffer once.
 * A full ring drops its oldest event for the new one and remembers the
 * overflow (IIN2.3) until the master has confirmed events again.
 *
 * An event is "waiting" until a response carries it; it is then marked
 * with that response's sequence number and removed only when the master
 * confirms that sequence. event_unmark() puts marked events back to
 * waiting (confirm timeout, a new request, a new master).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/outstation/database.h"

#define EVENT_UNMARKED	0xff	/* event.mark when waiting */
#define EVENT_MARK_UNS	0x10	/* mark | this: carried by an unsolicited
				   response of that sequence */
#define EVENT_CAP_MAX	65536	/* events per type (event_buffer) */

struct event {
	union {
		uint8_t bits;
		uint32_t counter;
		double analog;
	} v;
	uint64_t time_ms;
	uint32_t index;
	uint32_t seq;		/* creation order across all rings */
	uint8_t flags;
	uint8_t class;		/* 1..3 */
	uint8_t var;		/* event variation of the point at creation */
	uint8_t octet_len;
	uint8_t mark;		/* EVENT_UNMARKED, or the sequence 0..15 of the
				   response carrying it (| EVENT_MARK_UNS) */
	bool unsynced;		/* stamped before the clock was synchronised */
};

struct event_ring {
	struct event *ev;	/* cap entries */
	uint8_t *octets;	/* octet strings: cap * DB_OCTET_MAX, by slot */
	uint32_t cap;
	uint32_t head;		/* slot of the oldest event */
	uint32_t count;
};

struct event_buffers {
	struct event_ring ring[PT_COUNT];
	uint32_t next_seq;
	bool overflow;
	/*
	 * Waiting (unmarked) events, kept up to date by every function
	 * below so that no one scans rings of up to 65535 entries to count.
	 */
	uint32_t waiting_class[4];	/* by class 1..3 */
	/* New events get this as their unsynced (the outstation sets it). */
	bool unsynced;
};

/* Which events a read selects: classes (bit 1<<c) and/or one type. */
struct event_filter {
	uint8_t class_mask;	/* 0x02 class 1, 0x04 class 2, 0x08 class 3 */
	uint8_t type;		/* PT_COUNT: any type of the classes; else only
				   this type, any class */
};

/* A scan over waiting events, oldest first across all rings. */
struct event_iter {
	uint32_t pos[PT_COUNT];
};

/* Bytes for the rings of cfg (multiple of 16), 0 if a size is too big. */
size_t event_size(const struct point_params cfg[PT_COUNT]);
int event_init(struct event_buffers *, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT]);

/*
 * The rings a previous event_init() left in mem (see db_attach()): found
 * again from cfg, events and marks kept, the waiting counts recounted.
 * -1 when a stored field is out of range; db is the attached database.
 */
int event_attach(struct event_buffers *, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT], const struct db *db);

/* Drop every event (cold restart); the overflow is forgotten too. */
void event_clear(struct event_buffers *);

/* Record an event from a point's current state (octets for PT_OCTET_STRING). */
void event_add(struct event_buffers *, enum point_type, uint32_t index,
    const struct db_point *, const uint8_t *octets);

/* Waiting (unmarked) events of a class 1..3. */
uint32_t event_waiting_class(const struct event_buffers *, uint8_t class);
/* All events of a type, marked or not. */
uint32_t event_count(const struct event_buffers *, enum point_type);

void event_iter_init(struct event_iter *);
/*
 * The oldest waiting event that f selects, or NULL. *type gets its type;
 * the iterator stays on it: event_mark() it, or stop. Octet strings'
 * bytes are at *octets (else NULL).
 */
struct event *event_iter_peek(struct event_buffers *, struct event_iter *,
    const struct event_filter *f, enum point_type *type,
    const uint8_t **octets);
/* Mark the event peek returned as carried by response mark (see above). */
void event_mark(struct event_buffers *, struct event_iter *,
    enum point_type, uint8_t mark);

/* Remove the events carried by response mark; returns how many. */
uint32_t event_confirm(struct event_buffers *, uint8_t mark);
/* Back to waiting: the events marked by one kind of response. */
void event_unmark(struct event_buffers *, bool unsolicited);

#endif
