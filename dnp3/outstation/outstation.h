#ifndef DNP3D_OUTSTATION_H
#define DNP3D_OUTSTATION_H

/*
 * The DNP3 outstation application layer: point database, event buffers,
 * reads, confirms, multi-fragment responses, IIN bits (outstation.c,
 * read.c, fill.c, response.c), point updates (update.c), controls
 * (control.c) and pulse outputs (pulse.c), freezes (freeze.c),
 * ASSIGN_CLASS (class.c), time synchronisation (time.c), restarts
 * (restart.c) and unsolicited responses (unsol.c). Not done:
 * FREEZE_AT_TIME, analog freezes, file transfer: they get IIN2.0.
 *
 * No I/O and no clock: the caller hands in one complete application
 * request fragment (as reassembled by the transport layer) and the
 * current time, and gets back at most one response fragment to send plus
 * the time at which outstation_tick() must be called next.
 *
 * Memory: everything is sized from struct outstation_params once.
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
 * DNP3 time, milliseconds since 1970-01-01 UTC. IIN1.4 NEED_TIME is set
 * at creation and restart, cleared when a master sets the clock, and set
 * again need_time_ms later (a timer of outstation_deadline()); see
 * time.c for how event times show that they are unsynced.
 *
 * Behind a byte stream, dnp3/outstation/chan.h does the link and transport
 * layers and the calls below marked "on a ..."; a caller of its own:
 *	os = outstation_new(cfg);
 *	outstation_set_time(os, mono_ms(), realtime_ms());
 *	outstation_load_demo_values(os, realtime_ms());  (embedded default)
 *	on a new master socket:    outstation_connection_reset(os);
 *	on a reassembled fragment: outstation_request(os, frag, len, now, &out);
 *	    (to a broadcast address: outstation_broadcast(), nothing to send)
 *	on a bus point update:     outstation_update(os, type, i, &v, flags, t);
 *	controls: outstation_set_control_hook() once (bus "control" and
 *	    "control_request" events); a bus "control_answer":
 *	                           outstation_control_answer(os, id, st, now, &out);
 *	whenever now >= outstation_deadline(os) (and it is not 0):
 *	                           outstation_tick(os, now, &out);
 *	after each call: out.len > 0 -> transport + link -> socket; re-arm
 *	the timer to out.deadline_ms.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/outstation/database.h"
#include "dnp3/outstation/params.h"
#include "dnp3/app/objects.h"

struct outstation;

/*
 * IIN bits: the DNP3_IIN1_* / DNP3_IIN2_* values of dnp3/app.h (IIN1 in the
 * low byte, IIN2 in the high byte).
 */

/*
 * What a call produced. data/len: one application response fragment to
 * hand to the transport layer (len 0: send nothing); it points into the
 * outstation and stays valid until the next call on it. deadline_ms:
 * when to call outstation_tick() (0: no timer running; at or before now:
 * at once, e.g. an unsolicited response is due).
 */
struct os_output {
	const uint8_t *data;
	size_t len;
	uint64_t deadline_ms;
};

size_t outstation_size(const struct outstation_params *);
struct outstation *outstation_init(void *mem, size_t len,
    const struct outstation_params *);
/*
 * The outstation that outstation_init() made in mem, possibly in another
 * process at another address (a shared mapping that outlived it): data,
 * events, the clock, IIN bits and unsolicited sequence are kept, the
 * per-connection state is reset (outstation_connection_reset()). NULL
 * when the block was left in the middle of a change or a stored field is
 * out of range. The control hook is to be set again. Called once, it
 * costs a pass over the points and events; no call after it does.
 */
struct outstation *outstation_attach(void *mem, size_t len,
    const struct outstation_params *);
struct outstation *outstation_new(const struct outstation_params *);
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

/*
 * A request that came to a broadcast link address: executed (WRITE,
 * controls without acknowledgement, freezes, ...) but never answered;
 * the next response carries IIN1.0. Which functions a broadcast may carry
 * is the caller's filter. Returns 0, or -1 as outstation_request().
 */
int outstation_broadcast(struct outstation *, const uint8_t *frag,
    size_t len, uint64_t now_ms);

/*
 * Timers (confirm timeouts, unsolicited retries, NEED_TIME again after
 * need_time_ms, the changes of pulse outputs) and unsolicited
 * responses: out may carry a fragment to send. Call at or after
 * out->deadline_ms, and after outstation_update() when
 * outstation_deadline() is due.
 */
void outstation_tick(struct outstation *, uint64_t now_ms,
    struct os_output *out);
/* When to call outstation_tick() next, 0 if there is nothing to do. */
uint64_t outstation_deadline(const struct outstation *);

/*
 * The outstation's clock: time_ms is the DNP3 time (ms since 1970 UTC) at
 * now_ms. Used for the timestamps of points changed by controls and
 * freezes; a master's time sync moves it. Call it once at start
 * (CLOCK_REALTIME).
 */
void outstation_set_time(struct outstation *, uint64_t now_ms,
    uint64_t time_ms);
/*
 * The outstation's DNP3 time at now_ms: the clock a master synchronised
 * (g50v1, or FC24 + g50v3). The worker should stamp bus updates that
 * carry no time with it, so that event times follow the master's clock.
 */
uint64_t outstation_time(const struct outstation *, uint64_t now_ms);

/*
 * A new master connection (the first one too) replaces the old one:
 * forget the per-connection state (pending confirm, multi-fragment
 * response, sequence numbers, the duplicate-request memory, a select,
 * unsolicited classes the master enabled). Database and events are kept;
 * events sent but not confirmed are sent again on the next read. With
 * unsolicited responses configured, a null unsolicited response is then
 * due (see unsol.c); none is sent before the first call.
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

/*
 * A batch of updates is one change of the block: between begin and end
 * the block's generation stays odd (change.c), so a process killed in the
 * middle of a batch leaves a region that is not resumed (region.h: "a
 * change was interrupted") -- a kept outstation never holds half a
 * batch. No other call of this header may come in between.
 */
void outstation_batch_begin(struct outstation *);
void outstation_batch_end(struct outstation *);

/*
 * Controls as the control hook sees them. request: controls = "bus", the
 * outstation asks; answer with outstation_control_answer(id, status).
 * Otherwise a report of what a master asked and the status it got (every
 * object of SELECT/OPERATE/DIRECT_OPERATE(_NR), in every mode).
 */
struct os_control {
	bool request;
	uint64_t id;		/* request only: 1, 2, ... */
	uint8_t func;		/* DNP3_FC_SELECT .. DNP3_FC_DIRECT_OPERATE_NR */
	enum point_type type;	/* PT_BINARY_OUTPUT (CROB), PT_ANALOG_OUTPUT */
	uint32_t index;
	struct dnp3_crob crob;	/* binary output: code, count, on/off times */
	double value;		/* analog output: the value asked for */
	uint8_t status;		/* report only: enum dnp3_cmd_status */
};
typedef void os_control_fn(void *arg, const struct os_control *);

/*
 * Pulses of controls = "echo" (pulse.c): a pulse_on / pulse_off CROB over
 * these is answered OUT_OF_RANGE and not run.
 */
#define OS_PULSE_MS_MAX		3600000	/* on_ms, off_ms: one hour */
#define OS_PULSE_COUNT_MAX	100	/* on/off cycles */

/* fn is called from inside outstation_request(); it must not re-enter. */
void outstation_set_control_hook(struct outstation *, os_control_fn *fn,
    void *arg);

/*
 * The application's answer to control request id (controls = "bus").
 * When it was the last one the response waited for, out carries it (or
 * nothing for DIRECT_OPERATE_NR). Unanswered requests get TIMEOUT after
 * answer_ms (outstation_tick). Returns 0, or -1 for an id that is not
 * waiting (late, unknown, answered) or a status above 127.
 */
int outstation_control_answer(struct outstation *, uint64_t id,
    uint8_t status, uint64_t now_ms, struct os_output *out);

/* Demo values of the embedded default, see db_load_demo_values(). */
void outstation_load_demo_values(struct outstation *, uint64_t time_ms);

/* Introspection for the tests, beside the bytes a master sees (the
   worker and the tools use none of these). */
uint16_t outstation_iin(const struct outstation *);
uint32_t outstation_events_pending(const struct outstation *,
    enum point_type);
const struct db *outstation_db(const struct outstation *);

/* For dnp3-status: events not yet sent of class 1..3, and whether a
   buffer overflowed since the master last confirmed events (IIN2.3). */
uint32_t outstation_events_waiting(const struct outstation *, uint8_t class);
bool outstation_events_overflow(const struct outstation *);

/* What happened that a caller may want to log, counted since creation. */
struct os_stats {
	uint64_t malformed;		/* requests dropped unanswered */
	uint64_t bad_requests;		/* READs answered up to damage */
	uint64_t unknown_objects;	/* object headers not supported */
	uint64_t confirm_timeouts;	/* solicited confirms not received */
	uint64_t unsol_given_up;	/* unsolicited series out of retries */
	uint64_t control_timeouts;	/* bus answers not in time */
	uint64_t too_many_controls;	/* requests over max_controls */
	uint64_t need_time_again;	/* need_time_ms ran out */
	uint64_t cold_restarts, warm_restarts;
	uint64_t unencodable;		/* points or events left out */
};
const struct os_stats *outstation_stats(const struct outstation *);

#endif
