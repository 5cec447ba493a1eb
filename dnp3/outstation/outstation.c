/*
 * The outstation state machine: creation from the configuration, the
 * request entry point with its dispatch table by function code,
 * application confirms, the confirm timer and connection resets.
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/outstation/priv.h"

static os_handler_fn os_handle_read;
static os_handler_fn os_handle_write;

/*
 * Function codes answered by this outstation; everything absent gets
 * IIN2.0 (among them FREEZE_AT_TIME and file transfer, not done).
 */
static os_handler_fn *const os_handlers[256] = {
	[DNP3_FC_READ] = os_handle_read,
	[DNP3_FC_WRITE] = os_handle_write,
	[DNP3_FC_SELECT] = os_handle_control,
	[DNP3_FC_OPERATE] = os_handle_control,
	[DNP3_FC_DIRECT_OPERATE] = os_handle_control,
	[DNP3_FC_DIRECT_OPERATE_NR] = os_handle_control,
	[DNP3_FC_IMMED_FREEZE] = os_handle_freeze,
	[DNP3_FC_IMMED_FREEZE_NR] = os_handle_freeze,
	[DNP3_FC_FREEZE_CLEAR] = os_handle_freeze,
	[DNP3_FC_FREEZE_CLEAR_NR] = os_handle_freeze,
	[DNP3_FC_ASSIGN_CLASS] = os_handle_assign_class,
	[DNP3_FC_DELAY_MEASURE] = os_handle_delay_measure,
	[DNP3_FC_RECORD_CURRENT_TIME] = os_handle_record_time,
	[DNP3_FC_COLD_RESTART] = os_handle_restart,
	[DNP3_FC_WARM_RESTART] = os_handle_restart,
	[DNP3_FC_ENABLE_UNSOLICITED] = os_handle_unsol_enable,
	[DNP3_FC_DISABLE_UNSOLICITED] = os_handle_unsol_enable,
};

/* The request and response buffers (their contents are never kept). */
static void
os_request_init(struct outstation *os, const struct outstation_params *cfg,
    uint8_t *base, const struct os_layout *l)
{
	os->rq.req = base + l->req;
	os->rq.tx = base + l->tx;
	os->rq.frag_rx = cfg->frag_rx;
	os->rq.frag_tx = cfg->frag_tx;
	os->ses.confirm_ms = cfg->confirm_ms;
}

struct outstation *
outstation_init(void *mem, size_t len, const struct outstation_params *cfg)
{
	struct outstation *os = mem;
	struct os_layout l;
	uint8_t *base = mem;

	if (os_layout(cfg, &l) == -1 || len < l.total ||
	    ((uintptr_t)mem & 15) != 0)
		return NULL;
	memset(os, 0, sizeof(*os));
	if (db_init(&os->db, base + l.db, l.ev - l.db, cfg->db) == -1 ||
	    event_init(&os->ev, base + l.ev, l.req - l.ev, cfg->db) == -1)
		return NULL;
	os_request_init(os, cfg, base, &l);
	os->ses.state = OS_IDLE;
	os_restart_init(os, cfg, base + l.db, l.ev - l.db);
	os_control_init(os, cfg, base + l.sel);
	os_pulse_init(os, cfg, base + l.pulse);
	os_time_init(os, cfg);
	os_unsol_init(os, cfg, base + l.utx);
	return os;
}

/*
 * The dead process's connection may come back (the listener keeps it):
 * the response awaiting its confirm, the fragments left of its read and
 * the last request stay, as far as they check out; a new connection
 * resets them (outstation_connection_reset()). The answers the bus owed
 * a control request went with the process.
 */
static int
os_session_attach(struct outstation *os)
{
	if (os->rq.req_len > os->rq.frag_rx || os->rq.tx_len >
	    os->rq.frag_tx || os->rq.seq > DNP3_AC_SEQ_MASK ||
	    os_plan_attach(os) == -1)
		return -1;
	switch (os->ses.state) {
	case OS_WAIT_CONTROL:
		os->ses.state = OS_IDLE;
		os->ses.deadline = 0;
		os->ses.req_valid = false;
		return 0;
	case OS_WAIT_CONFIRM:
		return os->ses.deadline != 0 ? 0 : -1;
	case OS_IDLE:
		/* No response is out: nothing can be marked as carried. */
		if (!os_fill_more(os))
			event_unmark(&os->ev, false);
		return 0;
	default:
		return -1;
	}
}

struct outstation *
outstation_attach(void *mem, size_t len, const struct outstation_params *cfg)
{
	struct outstation *os = mem;
	struct os_layout l;
	uint8_t *base = mem;

	if (os_layout(cfg, &l) == -1 || len < l.total ||
	    ((uintptr_t)mem & 15) != 0 || !os_change_whole(os))
		return NULL;
	os_change_attach(os);
	if (db_attach(&os->db, base + l.db, l.ev - l.db, cfg->db) == -1 ||
	    event_attach(&os->ev, base + l.ev, l.req - l.ev, cfg->db,
	    &os->db) == -1 ||
	    os_pulse_attach(os, cfg, base + l.pulse) == -1 ||
	    os_unsol_attach(os, cfg, base + l.utx) == -1)
		return NULL;
	os_request_init(os, cfg, base, &l);
	os_restart_attach(os, cfg, base + l.db, l.ev - l.db);
	os_control_attach(os, cfg, base + l.sel);
	os_time_attach(os, cfg);
	if (os_session_attach(os) == -1)
		return NULL;
	return os;
}

struct outstation *
outstation_new(const struct outstation_params *cfg)
{
	size_t n = outstation_size(cfg);
	void *mem;
	struct outstation *os;

	/* outstation_size() is a multiple of 16, as aligned_alloc wants. */
	if (n == 0 || (mem = aligned_alloc(16, n)) == NULL)
		return NULL;
	if ((os = outstation_init(mem, n, cfg)) == NULL)
		free(mem);
	return os;
}

void
outstation_free(struct outstation *os)
{
	free(os);
}

uint16_t
outstation_iin(const struct outstation *os)
{
	return os_iin(os);
}

/* The earlier of two deadlines, 0 meaning none. */
static uint64_t
os_earlier(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	return b != 0 && b < a ? b : a;
}

/* A solicited response is out or has fragments left to send. */
static bool
os_busy(const struct outstation *os)
{
	return os->ses.state != OS_IDLE || os_fill_more(os);
}

static void
os_output(struct outstation *os, struct os_output *out, bool send)
{
	out->data = os->rq.tx;
	out->len = send ? os->rq.tx_len : 0;
	out->deadline_ms = outstation_deadline(os);
}

/* Stop waiting for a confirm: events it covered go back to waiting. */
static void
os_cancel_confirm(struct outstation *os)
{
	if (os->ses.state == OS_WAIT_CONFIRM || os_fill_more(os))
		event_unmark(&os->ev, false);
	os->ses.state = OS_IDLE;
	os_fill_stop(os);
	os->ses.deadline = 0;
	os_control_abandon(os);
}

static void
os_wait_confirm(struct outstation *os, uint64_t now_ms)
{
	os->ses.state = OS_WAIT_CONFIRM;
	os->ses.deadline = now_ms + os->ses.confirm_ms;
	if (os->ses.deadline == 0)
		os->ses.deadline = 1;
}

/*
 * An application confirm of the response we wait for removes the events
 * it carried; with fragments left, the next one goes out. Returns whether
 * there is a fragment to send. Unsolicited confirms (UNS) are for
 * unsol.c; a stale sequence is ignored and the wait goes on.
 */
static bool
os_handle_confirm(struct outstation *os, const struct dnp3_app_header *h,
    uint64_t now_ms)
{
	uint8_t seq = h->control & DNP3_AC_SEQ_MASK;

	if (h->control & DNP3_AC_UNS) {
		os_unsol_confirm(os, seq);
		return false;
	}
	if (os->ses.state != OS_WAIT_CONFIRM || seq != os->rq.seq)
		return false;
	(void)event_confirm(&os->ev, seq);
	os->ses.state = OS_IDLE;
	os->ses.deadline = 0;
	if (!os_fill_more(os))
		return false;
	os->rq.seq = (os->rq.seq + 1) & DNP3_AC_SEQ_MASK;
	if (os_fill(os, os->rq.seq, false))
		os_wait_confirm(os, now_ms);
	/*
	 * The request is done with: a repeat of it now is a new read, not a
	 * duplicate to be answered with this later fragment.
	 */
	os->ses.req_valid = false;
	return true;
}

static bool
os_duplicate(const struct outstation *os, const uint8_t *frag, size_t len)
{
	return os->ses.req_valid && len == os->rq.req_len &&
	    memcmp(frag, os->rq.req, len) == 0;
}

static bool
os_malformed(const struct outstation *os, struct dnp3_app_header *h,
    const uint8_t *frag, size_t len)
{
	if (dnp3_app_header_parse(frag, len, h) != DNP3_REQ_HDR_SIZE)
		return true;
	/* Requests are always one fragment. */
	if ((h->control & (DNP3_AC_FIR | DNP3_AC_FIN)) !=
	    (DNP3_AC_FIR | DNP3_AC_FIN))
		return true;
	return len > os->rq.frag_rx || h->func >= DNP3_FC_RESPONSE;
}

/* Run a new request (not a confirm, not a repeat) through its handler. */
static bool
os_execute(struct outstation *os, const struct dnp3_app_header *h,
    const uint8_t *frag, size_t len, uint64_t now_ms)
{
	os_handler_fn *fn;

	os_cancel_confirm(os);
	os->rq.now = now_ms;
	memcpy(os->rq.req, frag, len);
	os->rq.req_len = len;
	os->rq.seq = h->control & DNP3_AC_SEQ_MASK;
	os->rq.iin = 0;
	if ((fn = os_handlers[h->func]) == NULL) {
		os->rq.iin = DNP3_IIN2_NO_FUNC_CODE_SUPPORT;
		os_null_response(os, os->rq.seq);
		return false;
	}
	return fn(os, h, os->rq.req + DNP3_REQ_HDR_SIZE,
	    len - DNP3_REQ_HDR_SIZE);
}

static int
os_request(struct outstation *os, const uint8_t *frag, size_t len,
    uint64_t now_ms, struct os_output *out)
{
	struct dnp3_app_header h;

	os_output(os, out, false);
	if (frag == NULL || os_malformed(os, &h, frag, len)) {
		os->stats.malformed++;
		return -1;
	}
	if (h.func == DNP3_FC_CONFIRM) {
		os->rq.now = now_ms;
		os_output(os, out, os_handle_confirm(os, &h, now_ms));
		return 0;
	}
	if (os->ses.state == OS_WAIT_CONTROL && len == os->rq.req_len &&
	    memcmp(frag, os->rq.req, len) == 0) {
		/*
		 * A repeat of the control request whose answers the bus is
		 * still giving: the response comes when they are in, so
		 * nothing is asked twice.
		 */
		return 0;
	}
	if (os_duplicate(os, frag, len)) {
		/* A repeat: the same answer again, nothing executed twice. */
		os_output(os, out, true);
		return 0;
	}
	if (os_execute(os, &h, frag, len, now_ms))
		os_wait_confirm(os, now_ms);
	if (os_control_waiting(os)) {
		/* The bus decides: the answer comes later (or TIMEOUT). */
		os->ses.state = OS_WAIT_CONTROL;
		os->ses.deadline = now_ms + os_control_wait_ms(os);
		os->ses.req_valid = false;
		os_output(os, out, false);
		return 0;
	}
	if (os->rq.tx_len > 0)
		/* this response told the master */
		os_iin_set(os, DNP3_IIN1_BROADCAST, false);
	os->ses.req_valid = true;
	os_output(os, out, true);
	return 0;
}

int
outstation_request(struct outstation *os, const uint8_t *frag, size_t len,
    uint64_t now_ms, struct os_output *out)
{
	int r;

	os_change_begin(os);
	r = os_request(os, frag, len, now_ms, out);
	os_change_end(os);
	return r;
}

int
outstation_broadcast(struct outstation *os, const uint8_t *frag,
    size_t len, uint64_t now_ms)
{
	struct dnp3_app_header h;

	if (frag == NULL || os_malformed(os, &h, frag, len) ||
	    h.func == DNP3_FC_CONFIRM)
		return -1;
	os_change_begin(os);
	(void)os_execute(os, &h, frag, len, now_ms);
	/* Nothing is sent, so nothing is waited for or repeated. */
	os_cancel_confirm(os);
	os->rq.tx_len = 0;
	os->ses.req_valid = false;
	os_iin_set(os, DNP3_IIN1_BROADCAST, true);
	os_change_end(os);
	return 0;
}

/* Finish a control request waiting for the bus and put it into out. */
static void
os_control_done(struct outstation *os, struct os_output *out)
{
	os_control_finish(os);
	os->ses.state = OS_IDLE;
	os->ses.deadline = 0;
	os->ses.req_valid = true;
	if (os->rq.tx_len > 0)
		os_iin_set(os, DNP3_IIN1_BROADCAST, false);
	os_output(os, out, true);
}

static void
os_tick(struct outstation *os, uint64_t now_ms, struct os_output *out)
{
	const uint8_t *unsol;
	size_t len;

	os_time_tick(os, now_ms);
	os_pulse_tick(os, now_ms);
	if (os->ses.state == OS_WAIT_CONTROL && now_ms >= os->ses.deadline) {
		os->stats.control_timeouts++;
		os->rq.now = now_ms;
		os_control_done(os, out);
		return;
	}
	if (os->ses.state == OS_WAIT_CONFIRM && now_ms >= os->ses.deadline) {
		/* No confirm: the events stay and go out with the next read. */
		os->stats.confirm_timeouts++;
		os_cancel_confirm(os);
	}
	if ((len = os_unsol_tick(os, now_ms, os_busy(os), &unsol)) > 0) {
		out->data = unsol;
		out->len = len;
		out->deadline_ms = outstation_deadline(os);
		return;
	}
	os_output(os, out, false);
}

void
outstation_tick(struct outstation *os, uint64_t now_ms, struct os_output *out)
{
	os_change_begin(os);
	os_tick(os, now_ms, out);
	os_change_end(os);
}

uint64_t
outstation_deadline(const struct outstation *os)
{
	uint64_t at = os_earlier(os->ses.deadline, os_time_next(os));

	at = os_earlier(at, os_pulse_next(os));
	return os_earlier(at, os_unsol_next(os, os_busy(os)));
}

void
outstation_connection_reset(struct outstation *os)
{
	os_change_begin(os);
	os_cancel_confirm(os);
	os_unsol_reset(os);
	os_control_forget_select(os);
	os->ses.req_valid = false;
	os->rq.req_len = 0;
	os->rq.tx_len = 0;
	os->rq.iin = 0;
	os_change_end(os);
}

void
outstation_load_demo_values(struct outstation *os, uint64_t time_ms)
{
	os_change_begin(os);
	db_load_demo_values(&os->db, time_ms);
	os_change_end(os);
}

uint32_t
outstation_events_pending(const struct outstation *os, enum point_type t)
{
	return event_count(&os->ev, t);
}

uint32_t
outstation_events_waiting(const struct outstation *os, uint8_t class)
{
	return event_waiting_class(&os->ev, class);
}

bool
outstation_events_overflow(const struct outstation *os)
{
	return os->ev.overflow;
}

const struct os_stats *
outstation_stats(const struct outstation *os)
{
	return &os->stats;
}

const struct db *
outstation_db(const struct outstation *os)
{
	return &os->db;
}

static bool
os_handle_read(struct outstation *os, const struct dnp3_app_header *h,
    const uint8_t *objs, size_t len)
{
	(void)h;
	os_read_plan(os, objs, len);
	return os_fill(os, os->rq.seq, true);
}

/* WRITE g80v1: only index 7 = 0 (clear DEVICE_RESTART). */
static void
os_write_iin(struct outstation *os, const struct dnp3_objhdr *oh)
{
	union dnp3_obj o;
	uint32_t index;

	for (uint32_t i = 0; i < oh->count; i++) {
		if (dnp3_objhdr_get(oh, i, &index, &o) != 0) {
			os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
			return;
		}
		if (index == 7 && o.point.value == 0)
			os_iin_set(os, DNP3_IIN1_DEVICE_RESTART, false);
		else
			os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	}
}

static bool
os_handle_write(struct outstation *os, const struct dnp3_app_header *h,
    const uint8_t *objs, size_t len)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr oh;
	int r;

	dnp3_objiter_init(&it, objs, len, dnp3_func_has_object_data(h->func));
	while ((r = dnp3_objiter_next(&it, &oh)) > 0) {
		if (oh.group == 80 && oh.variation == 1 &&
		    (oh.qualifier == DNP3_Q_START_STOP_8 ||
		    oh.qualifier == DNP3_Q_START_STOP_16))
			os_write_iin(os, &oh);
		else if (oh.group == 50 && (oh.variation == 1 ||
		    oh.variation == 3))
			os_write_time(os, &oh);
		else
			os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
	}
	if (r == DNP3_E_OBJECT)
		os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
	else if (r < 0)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	os_null_response(os, os->rq.seq);
	return false;
}

int
outstation_control_answer(struct outstation *os, uint64_t id,
    uint8_t status, uint64_t now_ms, struct os_output *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->deadline_ms = outstation_deadline(os);
	os_change_begin(os);
	if ((r = os_control_answer(os, id, status)) == 1) {
		os->rq.now = now_ms;
		os_control_done(os, out);
		r = 0;
	}
	os_change_end(os);
	return r;
}
