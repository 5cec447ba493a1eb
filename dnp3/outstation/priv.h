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

struct os_plan {
	struct os_sel sel[OS_SEL_MAX];
	uint32_t count;
};

enum os_state {
	OS_IDLE,
	OS_WAIT_CONFIRM,	/* a response with CON is out */
	OS_WAIT_CONTROL,	/* controls = "bus": waiting for answers */
};

/* Control objects of one request that get their own status. */
#define OS_CTL_MAX	OS_CONTROLS_MAX

struct outstation {
	struct db db;
	struct event_buffers ev;
	/* For a cold restart: the database's memory and configuration. */
	void *db_mem;
	size_t db_len;
	struct point_params db_cfg[PT_COUNT];
	bool demo_values;
	uint32_t confirm_ms;
	uint32_t frag_rx, frag_tx;

	uint8_t *req;		/* the last request (frag_rx bytes) */
	size_t req_len;
	bool req_valid;		/* req/tx hold a request and its answer */
	uint8_t *tx;		/* the last response fragment (frag_tx) */
	size_t tx_len;

	enum os_state state;
	uint8_t seq;		/* of the last response fragment */
	bool more;		/* the plan has fragments left to send */
	uint64_t deadline;	/* confirm timer, 0 = none */
	uint16_t iin_req;	/* IIN2 bits of the request being answered */
	bool restart;		/* IIN1.7 until the master clears it */
	bool broadcast;		/* IIN1.0 in the next response */
	struct os_plan plan;

	uint64_t now;		/* now_ms of the call being handled */
	int64_t clock_offset;	/* DNP3 time = now + clock_offset */

	/* Controls (control.c). */
	enum control_mode controls;
	uint32_t select_ms;
	uint8_t *sel;		/* objects of the last SELECT (frag_rx) */
	size_t sel_len;
	bool sel_valid;
	uint8_t sel_seq;
	uint64_t sel_at;
	os_control_fn *ctl_hook;
	void *ctl_hook_arg;
	uint8_t ctl_func;	/* of the control request being answered */
	bool ctl_wait;		/* answers from the bus outstanding */
	uint32_t ctl_count;	/* control objects in it */
	uint32_t ctl_pending;	/* of them still unanswered */
	uint64_t ctl_first_id;	/* id of its first object */
	uint64_t ctl_next_id;
	uint8_t ctl_status[OS_CTL_MAX];
	uint32_t ctl_point[OS_CTL_MAX];	/* the point of each (type, index) */
	uint32_t ctl_max;	/* the configuration's max_controls */
	bool ctl_too_many;	/* more than ctl_max: none is executed */

	/* RECORD_CURRENT_TIME and time sync (time.c). */
	uint64_t recorded_at;
	bool recorded_valid;
	bool need_time;		/* IIN1.4: the clock is not synchronised */
	uint32_t need_time_ms;	/* need_time again this long after a sync */
	uint64_t synced_at;	/* now_ms of the last sync */

	/* Unsolicited responses (unsol.c). */
	bool unsol_allowed;	/* the configuration's unsolicited.enabled */
	int32_t unsol_retries;	/* -1: forever */
	uint8_t unsol_mask;	/* classes the master enabled (1 << class) */
	bool unsol_null;	/* the null unsolicited response is due */
	bool unsol_wait;	/* one is out, waiting for its confirm */
	uint8_t unsol_seq;
	uint32_t unsol_tries;
	uint64_t unsol_deadline;	/* confirm timeout while waiting */
	uint64_t unsol_holdoff;		/* no new one before this time */
	uint8_t *utx;		/* the unsolicited response (frag_tx) */
	size_t utx_len;

	struct os_stats stats;
};

/*
 * A handler answers one request (FIR+FIN, not a confirm). objs/len are
 * the object headers after the 2-byte request header, in os->req. It
 * writes the response into os->tx / os->tx_len (0: no response) and
 * returns whether that response needs an application confirm.
 */
typedef bool os_handler_fn(struct outstation *, const struct dnp3_app_header *,
    const uint8_t *objs, size_t len);

os_handler_fn os_handle_control;	/* control.c */
/* Write the control response once every status is known. */
void os_control_finish(struct outstation *);
/* Finish a control request waiting for the bus and put it into out. */
void os_control_done(struct outstation *, struct os_output *out);
/* An answer from the bus: 1 the last one, 0 more to come, -1 refused. */
int os_control_answer(struct outstation *, uint64_t id, uint8_t status);
os_handler_fn os_handle_freeze;		/* freeze.c */
os_handler_fn os_handle_assign_class;	/* class.c */
os_handler_fn os_handle_delay_measure;	/* time.c */
os_handler_fn os_handle_record_time;

os_handler_fn os_handle_unsol_enable;	/* unsol.c */
os_handler_fn os_handle_restart;	/* restart.c */

/* Unsolicited responses: state, confirms, timers, connection reset. */
void os_unsol_init(struct outstation *, const struct outstation_params *);
void os_unsol_confirm(struct outstation *, uint8_t seq);
bool os_unsol_tick(struct outstation *, uint64_t now_ms);
uint64_t os_unsol_next(const struct outstation *);
void os_unsol_reset(struct outstation *);
size_t os_fill_unsol(struct outstation *, uint8_t *buf, uint8_t seq,
    uint8_t class_mask);

/* WRITE of g50v1 / g50v3 (time.c). */
void os_write_time(struct outstation *, const struct dnp3_objhdr *);
/* The clock is (again) not synchronised: IIN1.4, unsynced events. */
void os_need_time(struct outstation *);
/* When need_time comes back (0: never, or it is set already). */
uint64_t os_time_next(const struct outstation *);
/* Sets need_time when its time has come. */
void os_time_tick(struct outstation *, uint64_t now_ms);

/* A response with one g52v2 time delay of 0 ms into os->tx, IIN from
   os_iin() (DELAY_MEASURE and the restarts; time.c). */
void os_delay_response(struct outstation *);

/* A response without objects into os->tx, IIN from os_iin() (response.c). */
void os_null_response(struct outstation *, uint8_t seq);

/* The DNP3 time (ms since 1970 UTC) now (time.c). */
uint64_t os_time(const struct outstation *);

/* Fill plan from the object headers of a READ (no data). Sets IIN bits. */
void os_read_plan(struct outstation *, const uint8_t *objs, size_t len);

/*
 * Write the next fragment of the plan into os->tx (sequence seq, FIR as
 * given). Marks events it carries with seq. Sets os->more and returns
 * whether the fragment carries events.
 */
bool os_fill(struct outstation *, uint8_t seq, bool fir);

/* The IIN of a response: the outstation's state plus the request's bits. */
uint16_t os_iin(const struct outstation *);

#endif
