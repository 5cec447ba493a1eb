#ifndef DNP3D_OUTSTATION_H
#define DNP3D_OUTSTATION_H

/*
 * The DNP3 outstation application layer: point database, event buffers,
 * reads, confirms, multi-fragment responses, IIN bits, and controls
 * (SELECT/OPERATE/DIRECT_OPERATE(_NR) on g12v1 and g41, answered as the
 * configuration's controls mode says: see outstation_control.c).
 *
 * No I/O and no clock: the caller hands in one complete application
 * request fragment (as reassembled by the transport layer) and the
 * current time, and gets back at most one response fragment to send plus
 * the time at which outstation_tick() must be called next.
 *
 * Memory: everything is sized from struct outstation_config once.
 * Either
 *	size_t n = outstation_size(cfg);	(0 = bad configuration)
 *	struct outstation *os = outstation_init(buf, n, cfg);
 * with a caller buffer aligned to 16 bytes (nothing else is allocated, ever),
 * or the convenience pair outstation_new()/outstation_free(), which does
 * exactly one aligned_alloc() of outstation_size() bytes. No function below
 * allocates; none is called per frame that touches more than the request,
 * the database and the event buffers.
 *
 * Time: now_ms is milliseconds on any monotonic scale the caller likes for
 * timers; point and event timestamps (time_ms of outstation_update) are
 * DNP3 time, milliseconds since 1970-01-01 UTC.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "dnp3/db.h"

struct outstation;

/*
 * IIN bits: the DNP3_IIN1_* / DNP3_IIN2_* values of dnp3/app.h (IIN1 in the
 * low byte, IIN2 in the high byte).
 */

/*
 * What a call produced. data/len: one application response fragment to
 * hand to the transport layer (len 0: send nothing); it points into the
 * outstation and stays valid until the next call on it. deadline_ms:
 * when to call outstation_tick() (0: no timer running).
 */
struct os_output {
	const uint8_t *data;
	size_t len;
	uint64_t deadline_ms;
};

size_t outstation_size(const struct outstation_config *);
struct outstation *outstation_init(void *mem, size_t len,
    const struct outstation_config *);
struct outstation *outstation_new(const struct outstation_config *);
/* Only for an outstation from outstation_new(). */
void outstation_free(struct outstation *);

/*
 * One application fragment from the master (without transport header).
 * Returns 0 (out says what to do) or -1 when the fragment was malformed
 * beyond answering (too short, not FIR+FIN): out->len is then 0 and the
 * state is unchanged except that a pending confirm wait is kept.
 */
int outstation_request(struct outstation *, const uint8_t *frag, size_t len,
    uint64_t now_ms, struct os_output *out);

/* Timers (confirm timeout). Call at or after out->deadline_ms. */
void outstation_tick(struct outstation *, uint64_t now_ms,
    struct os_output *out);
/* The running timer's deadline, 0 if none. */
uint64_t outstation_deadline(const struct outstation *);

/*
 * The outstation's clock: time_ms is the DNP3 time (ms since 1970 UTC) at
 * now_ms. Used for the timestamps of points changed by controls (and by
 * time synchronisation later). Call it once at start (CLOCK_REALTIME).
 */
void outstation_set_time(struct outstation *, uint64_t now_ms,
    uint64_t time_ms);

/*
 * A new master connection replaces the old one: forget the per-connection
 * state (pending confirm, multi-fragment response, sequence numbers, the
 * duplicate-request memory). Database and events are kept; events sent
 * but not confirmed are sent again on the next read.
 */
void outstation_connection_reset(struct outstation *);

/*
 * A point update from the application (bus). Stores value, flags
 * (DB_FLAG_*; state bits are taken from value) and time, and makes an
 * event for a point with a class when the value or flags changed (analogs
 * and counters: by more than the deadband). Returns 0, or -1 for a bad
 * type, index or value.
 */
int outstation_update(struct outstation *, enum point_type, uint32_t index,
    const struct point_value *, uint8_t flags, uint64_t time_ms);

/* Demo values of the embedded default, see db_load_demo_values(). */
void outstation_load_demo_values(struct outstation *, uint64_t time_ms);

/* Introspection for the worker (events on the bus) and for tests. */
uint16_t outstation_iin(const struct outstation *);
uint32_t outstation_events_pending(const struct outstation *,
    enum point_type);
const struct db *outstation_db(const struct outstation *);

#endif
