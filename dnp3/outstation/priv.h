#ifndef DNP3D_OUTSTATION_PRIV_H
#define DNP3D_OUTSTATION_PRIV_H

/*
 * Inside the outstation: its state and the read plan shared by
 * outstation.c (requests, confirms, timers), read.c (READ
 * request -> plan) and fill.c (plan -> response fragments).
 */
#include "dnp3/app/app.h"
#include "dnp3/outstation/database.h"
#include "dnp3/outstation/event_buffer.h"
#include "dnp3/outstation/outstation.h"

/* Object headers of one READ that are remembered; more set IIN2.2. */
#define OS_SEL_MAX	32

enum os_sel_kind {
	SEL_EVENTS,		/* class 1-3 or one event group */
	SEL_RANGE,		/* static points start..stop */
	SEL_INDEXES,		/* static points listed by index */
};

/* One remembered object header of a READ, with its progress. */
struct os_sel {
	uint8_t kind;		/* enum os_sel_kind */
	uint8_t type;		/* enum point_type; events: PT_COUNT = classes */
	uint8_t var;		/* 0: each point's/event's own variation */
	struct event_filter filter;	/* SEL_EVENTS */
	uint32_t limit;		/* SEL_EVENTS: events still to send */
	uint32_t start, stop;	/* SEL_RANGE: point indexes */
	uint32_t pos;		/* next point index / list entry to write */
	struct dnp3_objhdr hdr;	/* SEL_INDEXES: points into os->req */
	bool done;
};

/*
 * struct outstation is made of parts, each owned by one file (two for the
 * read plan): only the owner touches its part's fields; the others call
 * the owner's functions below. scripts/check-layers holds the files to
 * this, from the "owner:" comments of the members of struct outstation.
 * db and ev are modules of their own (database.h, event_buffer.h); rq is
 * the contract between outstation.c and the function handlers; stats are
 * counters each file increments for itself.
 */

/* The request being answered: outstation.c fills the request fields and
   runs the handler of its function, which writes the response. */
struct os_request {
	uint8_t *req;		/* the request (frag_rx bytes) */
	size_t req_len;
	uint8_t *tx;		/* the response fragment (frag_tx bytes) */
	size_t tx_len;		/* 0: nothing to send */
	uint32_t frag_rx, frag_tx;
	uint64_t now;		/* now_ms of the call being handled */
	uint8_t seq;		/* of the request, and its response */
	uint16_t iin;		/* IIN2 bits of the request being answered */
};

enum os_state {
	OS_IDLE,
	OS_WAIT_CONFIRM,	/* a response with CON is out */
	OS_WAIT_CONTROL,	/* controls = "bus": waiting for answers */
};

/* Solicited responses: confirms, repeats, the timer (outstation.c). */
struct os_session {
	enum os_state state;
	uint64_t deadline;	/* confirm or control answer timer, 0 = none */
	bool req_valid;		/* rq holds a request and its answer */
	uint32_t confirm_ms;
};

/* IIN1 bits of the device's state, in every response (response.c). */
struct os_device {
	uint16_t iin;		/* DEVICE_RESTART, NEED_TIME, BROADCAST */
};

/* The read plan and its progress (read.c makes it, fill.c runs it). */
struct os_plan {
	struct os_sel sel[OS_SEL_MAX];
	uint32_t count;
	bool more;		/* fragments left to send */
};

/* What a cold restart starts over from (restart.c). */
struct os_restart {
	void *db_mem;
	size_t db_len;
	struct point_params db_cfg[PT_COUNT];
	bool demo_values;
};

/* Control objects of one request that get their own status. */
#define OS_CTL_MAX	OS_CONTROLS_MAX

/* Controls and select-before-operate (control.c). */
struct os_ctl {
	enum control_mode mode;
	uint32_t select_ms;
	uint32_t answer_ms;	/* controls = "bus": TIMEOUT after */
	uint8_t *sel;		/* objects of the last SELECT (frag_rx) */
	size_t sel_len;
	bool sel_valid;
	uint8_t sel_seq;
	uint64_t sel_at;
	os_control_fn *hook;
	void *hook_arg;
	uint8_t func;		/* of the control request being answered */
	bool wait;		/* answers from the bus outstanding */
	uint32_t count;		/* control objects in it */
	uint32_t pending;	/* of them still unanswered */
	uint64_t first_id;	/* id of its first object */
	uint64_t next_id;
	uint8_t status[OS_CTL_MAX];
	uint32_t point[OS_CTL_MAX];	/* the point of each (type, index) */
	uint32_t max;		/* the configuration's max_controls */
	bool too_many;		/* more than max: none is executed */
};

/* One binary output's pulse train (pulse.c). */
struct os_pulse_slot {
	uint64_t at;		/* now_ms of the next change */
	uint32_t on_ms, off_ms;
	uint32_t left;		/* changes still to come, 0 = idle */
	bool value;		/* the output's state until then */
};

/* Pulse outputs of controls = "echo" (pulse.c). */
struct os_pulse {
	struct os_pulse_slot *slot;	/* one per binary output */
	uint32_t count;
	uint32_t running;	/* slots with left > 0 */
	uint64_t next;		/* the earliest at of them, 0 = none */
};

/* The clock and time synchronisation (time.c); NEED_TIME is in dev. */
struct os_clock {
	int64_t offset;		/* DNP3 time = now_ms + offset */
	uint64_t recorded_at;	/* RECORD_CURRENT_TIME */
	bool recorded_valid;
	uint32_t need_time_ms;	/* need_time again this long after a sync */
	uint64_t synced_at;	/* now_ms of the last sync */
};

/* Unsolicited responses (unsol.c). */
struct os_unsol {
	bool allowed;		/* the configuration's unsolicited.enabled */
	int32_t retries;	/* -1: forever */
	uint32_t confirm_ms;
	uint8_t mask;		/* classes the master enabled (1 << class) */
	bool null;		/* the null unsolicited response is due */
	bool wait;		/* one is out, waiting for its confirm */
	uint8_t seq;
	uint32_t tries;
	uint64_t deadline;	/* confirm timeout while waiting */
	uint64_t holdoff;	/* no new one before this time */
	uint8_t *utx;		/* the unsolicited response (frag_tx) */
	size_t utx_len;
};

/*
 * The block's generation (change.c), a seqlock without readers: odd while
 * a call of outstation.h changes the block, even between calls. A process
 * killed in the middle of a change leaves it odd, and a successor that
 * maps the same block (region.c) sees that the change is half written.
 * Changes nest (a batch of updates, a freeze inside a request): only the
 * outermost end makes the generation even again.
 */
struct os_change {
	uint32_t gen;
	uint32_t depth;		/* changes under way; 0 at rest */
};

/* Where each part of the block lies, from the parameters (size.c). */
struct os_layout {
	size_t db, ev, req, sel, tx, utx, pulse, total;
};

struct outstation {
	struct os_change chg;		/* owner: change.c */
	struct db db;
	struct event_buffers ev;
	struct os_request rq;
	struct os_session ses;		/* owner: outstation.c */
	struct os_device dev;		/* owner: response.c */
	struct os_plan plan;		/* owner: read.c fill.c */
	struct os_restart cold;		/* owner: restart.c */
	struct os_ctl ctl;		/* owner: control.c */
	struct os_pulse pulse;		/* owner: pulse.c */
	struct os_clock clock;		/* owner: time.c */
	struct os_unsol unsol;		/* owner: unsol.c */
	struct os_stats stats;
};

/*
 * A handler answers one request (FIR+FIN, not a confirm). objs/len are
 * the object headers after the 2-byte request header, in os->rq.req. It
 * writes the response into rq.tx / rq.tx_len (0: no response), adds its
 * IIN2 bits to rq.iin and returns whether that response needs an
 * application confirm.
 */
typedef bool os_handler_fn(struct outstation *, const struct dnp3_app_header *,
    const uint8_t *objs, size_t len);

/*
 * Attach: a block that a previous process left (another address) gets
 * its pointers again from the layout; each part's attach keeps its state,
 * takes its parameters from cfg again and returns -1 for a stored field
 * out of range. The per-connection state is kept for the connection that
 * may come back; a new master resets it (outstation_connection_reset()).
 */

/* size.c: -1 for parameters out of range. */
int os_layout(const struct outstation_params *, struct os_layout *);

/* change.c: around every change of the block by a call of outstation.h. */
void os_change_begin(struct outstation *);
void os_change_end(struct outstation *);
/* No change was under way when the block was left. */
bool os_change_whole(const struct outstation *);
/* A whole block taken over: no change is under way in this process. */
void os_change_attach(struct outstation *);

/* control.c */
os_handler_fn os_handle_control;
void os_control_init(struct outstation *, const struct outstation_params *,
    uint8_t *selbuf);
void os_control_attach(struct outstation *, const struct outstation_params *,
    uint8_t *selbuf);
/* Write the control response once every status is known. */
void os_control_finish(struct outstation *);
/* An answer from the bus: 1 the last one, 0 more to come, -1 refused. */
int os_control_answer(struct outstation *, uint64_t id, uint8_t status);
/* Whether the request just handled waits for answers from the bus, and
   for how long at most. */
bool os_control_waiting(const struct outstation *);
uint32_t os_control_wait_ms(const struct outstation *);
/* The request is given up (a new one, or a broadcast): no more waiting. */
void os_control_abandon(struct outstation *);
/* A new connection or a restart: a SELECT before it is void. */
void os_control_forget_select(struct outstation *);

/* pulse.c; the size inline, so that size.c needs nothing of pulse.c */
static inline size_t
os_pulse_size(const struct outstation_params *cfg)
{
	return (size_t)cfg->db[PT_BINARY_OUTPUT].count *
	    sizeof(struct os_pulse_slot);
}
void os_pulse_init(struct outstation *, const struct outstation_params *,
    void *mem);
int os_pulse_attach(struct outstation *, const struct outstation_params *,
    void *mem);
/* Whether a CROB is a pulse (pulse_on or pulse_off, no trip/close). */
bool os_pulse_is(const struct dnp3_crob *);
/*
 * The status a CROB that changes binary output index gets from the
 * pulses: ALREADY_ACTIVE while a train runs on it, OUT_OF_RANGE for a
 * pulse over the caps, SUCCESS otherwise.
 */
uint8_t os_pulse_check(const struct outstation *, uint32_t index,
    const struct dnp3_crob *);
/* A pulse that got SUCCESS: its first change now, the rest by tick. */
void os_pulse_start(struct outstation *, uint32_t index,
    const struct dnp3_crob *);
/* The changes due by now_ms (each stamped with its own time). */
void os_pulse_tick(struct outstation *, uint64_t now_ms);
/* now_ms of the next change, 0: none. */
uint64_t os_pulse_next(const struct outstation *);
/* A cold restart: every train stops where it is. */
void os_pulse_stop_all(struct outstation *);

os_handler_fn os_handle_freeze;		/* freeze.c */
os_handler_fn os_handle_assign_class;	/* class.c */

/* restart.c */
os_handler_fn os_handle_restart;
void os_restart_init(struct outstation *, const struct outstation_params *,
    void *db_mem, size_t db_len);
void os_restart_attach(struct outstation *, const struct outstation_params *,
    void *db_mem, size_t db_len);

/* unsol.c */
os_handler_fn os_handle_unsol_enable;
void os_unsol_init(struct outstation *, const struct outstation_params *,
    uint8_t *utx);
int os_unsol_attach(struct outstation *, const struct outstation_params *,
    uint8_t *utx);
void os_unsol_confirm(struct outstation *, uint8_t seq);
/*
 * busy: a solicited response is out or has fragments left; unsolicited
 * ones wait for it. Returns the length of the fragment at *data to send
 * now (0: none).
 */
size_t os_unsol_tick(struct outstation *, uint64_t now_ms, bool busy,
    const uint8_t **data);
uint64_t os_unsol_next(const struct outstation *, bool busy);
void os_unsol_reset(struct outstation *);

/* time.c */
os_handler_fn os_handle_delay_measure;
os_handler_fn os_handle_record_time;
void os_time_init(struct outstation *, const struct outstation_params *);
void os_time_attach(struct outstation *, const struct outstation_params *);
/* WRITE of g50v1 / g50v3. */
void os_write_time(struct outstation *, const struct dnp3_objhdr *);
/* A restart: the clock is not synchronised (IIN1.4, unsynced events), a
   RECORD_CURRENT_TIME before it is void. */
void os_time_restart(struct outstation *);
/* When need_time comes back (0: never, or it is set already). */
uint64_t os_time_next(const struct outstation *);
/* Sets need_time when its time has come. */
void os_time_tick(struct outstation *, uint64_t now_ms);
/* A response with one g52v2 time delay of 0 ms into rq.tx, IIN from
   os_iin() (DELAY_MEASURE and the restarts). */
void os_delay_response(struct outstation *);
/* The DNP3 time (ms since 1970 UTC) at rq.now, and at any now_ms. */
uint64_t os_time(const struct outstation *);

/* response.c */
/* A response without objects into rq.tx, IIN from os_iin(). */
void os_null_response(struct outstation *, uint8_t seq);
/* The IIN of a response: the outstation's state plus the request's bits. */
uint16_t os_iin(const struct outstation *);
/* Sets or clears one of the device's IIN1 bits (struct os_device). */
void os_iin_set(struct outstation *, uint16_t bit, bool on);
bool os_iin_has(const struct outstation *, uint16_t bit);

/* update.c: an output's status set by the outstation itself (controls
   of controls = "echo", pulses): flags kept but RESTART, ONLINE set. */
int os_update_output(struct outstation *, enum point_type, uint32_t index,
    const struct point_value *, uint64_t time_ms);

/* read.c: fill the plan from the object headers of a READ (no data). */
void os_read_plan(struct outstation *, const uint8_t *objs, size_t len);
/*
 * A plan a previous process left: -1 when a selection is out of range;
 * one that points into the request (an index list) cannot go on, and
 * then no fragment follows.
 */
int os_plan_attach(struct outstation *);

/* fill.c */
/*
 * Write the next fragment of the plan into rq.tx (sequence seq, FIR as
 * given). Marks events it carries with seq. Returns whether the fragment
 * carries events; os_fill_more() then says whether fragments are left.
 */
bool os_fill(struct outstation *, uint8_t seq, bool fir);
bool os_fill_more(const struct outstation *);
/* The rest of the plan is not sent. */
void os_fill_stop(struct outstation *);
/* An unsolicited response of the classes' events into buf. */
size_t os_fill_unsol(struct outstation *, uint8_t *buf, uint8_t seq,
    uint8_t class_mask);

#endif
