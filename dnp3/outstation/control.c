/*
 * Controls: SELECT, OPERATE, DIRECT_OPERATE and DIRECT_OPERATE_NR with
 * CROBs (g12v1) on binary outputs and analog output blocks (g41v1-v4) on
 * analog outputs. The response echoes every object with its status.
 *
 * controls = "echo": a successful control sets the output's status point
 * (g10 / g40), which makes an output event (g11 / g42) like any update;
 * a pulse_on / pulse_off CROB runs its pulse train (pulse.c), and while
 * it runs, every CROB that would change that output gets ALREADY_ACTIVE.
 * controls = "reject": every object is answered NOT_SUPPORTED.
 * controls = "bus": each valid object is handed to the control hook as a
 * request with an id; the response waits until outstation_control_answer()
 * has answered every id, or answer_ms has passed (then TIMEOUT). The
 * application changes the status points itself, by updates.
 *
 * Select-before-operate: an OPERATE must carry the same objects as the
 * SELECT just before it, with the next sequence number, within select_ms;
 * otherwise NO_SELECT (or TIMEOUT when only the time is wrong).
 *
 * Every object answered is reported to the control hook (if set), e.g.
 * for the bus's "control" events. A CROB with an undefined control code
 * gets FORMAT_ERROR; a point controlled a second time in one request gets
 * ALREADY_ACTIVE (the first object stands).
 *
 * max_controls: a request with more control objects than that is not
 * accepted as a whole: no object is executed or asked for, every one is
 * answered TOO_MANY_OBJS (which also keeps a SELECT from arming), so a
 * master never sees part of a request done.
 */
#include <math.h>
#include <string.h>

#include "dnp3/outstation/priv.h"

#define CS_PENDING	0xff	/* ctl_status: asked, not answered yet */

/*
 * What a CROB asks of a binary output: 1 on, 0 off, -1 nothing, -2 not
 * supported here, -3 no valid control code at all (an operation type
 * above LATCH_OFF, or the reserved trip-close code 3).
 */
static int
os_crob_state(const struct dnp3_crob *c)
{
	uint8_t op = c->code & DNP3_CROB_OP_MASK;
	uint8_t tcc = c->code & DNP3_CROB_TCC_MASK;

	if (op > DNP3_CROB_OP_LATCH_OFF || tcc == DNP3_CROB_TCC_MASK)
		return -3;
	if (c->code & (DNP3_CROB_QUEUE | DNP3_CROB_CLEAR))
		return -2;
	if (tcc == DNP3_CROB_TCC_CLOSE || tcc == DNP3_CROB_TCC_TRIP) {
		if (op != DNP3_CROB_OP_NUL && op != DNP3_CROB_OP_PULSE_ON)
			return -2;
		return tcc == DNP3_CROB_TCC_CLOSE ? 1 : 0;
	}
	if (tcc != DNP3_CROB_TCC_NUL)
		return -2;
	switch (op) {
	case DNP3_CROB_OP_NUL:
		return -1;
	case DNP3_CROB_OP_PULSE_ON:
	case DNP3_CROB_OP_LATCH_ON:
		return 1;
	case DNP3_CROB_OP_PULSE_OFF:
	case DNP3_CROB_OP_LATCH_OFF:
		return 0;
	default:
		return -2;
	}
}

static void
os_control_describe(struct os_control *c, const struct outstation *os,
    const struct dnp3_objhdr *h, uint32_t index, const union dnp3_obj *o)
{
	memset(c, 0, sizeof(*c));
	c->func = os->ctl.func;
	c->type = h->group == 12 ? PT_BINARY_OUTPUT : PT_ANALOG_OUTPUT;
	c->index = index;
	if (h->group == 12)
		c->crob = o->crob;
	else
		c->value = o->aob.value;
}

/* The status an object gets here and now, or CS_PENDING (ask the bus). */
static uint8_t
os_control_decide(struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t index, const union dnp3_obj *o)
{
	struct os_control c;
	enum point_type t = h->group == 12 ? PT_BINARY_OUTPUT :
	    PT_ANALOG_OUTPUT;

	if (os->ctl.mode == CONTROL_REJECT)
		return DNP3_CS_NOT_SUPPORTED;
	if (db_point(&os->db, t, index) == NULL)
		return DNP3_CS_NOT_SUPPORTED;
	if (t == PT_BINARY_OUTPUT && os_crob_state(&o->crob) == -3)
		return DNP3_CS_FORMAT_ERROR;
	if (t == PT_BINARY_OUTPUT && os_crob_state(&o->crob) == -2)
		return DNP3_CS_NOT_SUPPORTED;
	if (t == PT_ANALOG_OUTPUT && !isfinite(o->aob.value))
		return DNP3_CS_OUT_OF_RANGE;
	if (os->ctl.mode == CONTROL_ECHO)
		return t == PT_BINARY_OUTPUT && os_crob_state(&o->crob) >= 0 ?
		    os_pulse_check(os, index, &o->crob) : DNP3_CS_SUCCESS;
	if (os->ctl.hook == NULL)
		return DNP3_CS_NOT_SUPPORTED;
	os_control_describe(&c, os, h, index, o);
	c.request = true;
	c.id = os->ctl.first_id + os->ctl.count;
	os->ctl.hook(os->ctl.hook_arg, &c);
	return CS_PENDING;
}

/* Echo mode: mirror a successful control into the status point. */
static void
os_control_execute(struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t index, const union dnp3_obj *o)
{
	struct point_value v;
	enum point_type t;
	int state = 1;

	t = h->group == 12 ? PT_BINARY_OUTPUT : PT_ANALOG_OUTPUT;
	memset(&v, 0, sizeof(v));
	if (t == PT_BINARY_OUTPUT) {
		if ((state = os_crob_state(&o->crob)) < 0)
			return;		/* a NUL CROB changes nothing */
		if (os_pulse_is(&o->crob)) {
			os_pulse_start(os, index, &o->crob);
			return;
		}
		v.binary = state == 1;
	} else
		v.analog = o->aob.value;
	(void)os_update_output(os, t, index, &v, os_time(os));
}

/* Whether this OPERATE follows its SELECT: a status for all, or SUCCESS. */
static uint8_t
os_select_status(const struct outstation *os, const uint8_t *objs,
    size_t len)
{
	if (!os->ctl.sel_valid || os->ctl.sel_len != len ||
	    memcmp(os->ctl.sel, objs, len) != 0 ||
	    ((os->ctl.sel_seq + 1) & DNP3_AC_SEQ_MASK) != os->rq.seq)
		return DNP3_CS_NO_SELECT;
	if (os->rq.now - os->ctl.sel_at > os->ctl.select_ms)
		return DNP3_CS_TIMEOUT;
	return DNP3_CS_SUCCESS;
}

static bool
os_is_control(const struct dnp3_objhdr *h)
{
	if (h->qualifier != DNP3_Q_INDEX_8 && h->qualifier != DNP3_Q_INDEX_16)
		return false;
	return (h->group == 12 && h->variation == 1) ||
	    (h->group == 41 && h->variation >= 1 && h->variation <= 4);
}

/*
 * Calls fn for every control object of the request in os->rq.req, with its
 * running number k. Sets IIN bits for objects that are not controls.
 */
static void
os_control_walk(struct outstation *os, void (*fn)(struct outstation *,
    const struct dnp3_objhdr *, uint32_t, uint32_t, union dnp3_obj *,
    void *), void *arg)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	union dnp3_obj o;
	uint32_t index, k = 0;
	int r;

	dnp3_objiter_init(&it, os->rq.req + DNP3_REQ_HDR_SIZE,
	    os->rq.req_len - DNP3_REQ_HDR_SIZE, true);
	while ((r = dnp3_objiter_next(&it, &h)) > 0) {
		if (!os_is_control(&h)) {
			os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
			continue;
		}
		for (uint32_t i = 0; i < h.count; i++, k++) {
			if (dnp3_objhdr_get(&h, i, &index, &o) != 0) {
				os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
				return;
			}
			fn(os, &h, i, index, &o, arg);
		}
	}
	if (r < 0)
		os->rq.iin |= r == DNP3_E_OBJECT ? DNP3_IIN2_OBJECT_UNKNOWN :
		    DNP3_IIN2_PARAMETER_ERROR;
}

/* A point of a control request: its index, the high bit for analogs. */
static uint32_t
os_point_key(const struct dnp3_objhdr *h, uint32_t index)
{
	return (index & 0x7fffffff) | (h->group == 12 ? 0 : 0x80000000u);
}

/*
 * Whether an earlier object of this request controls the same point:
 * that one is being done, so this one gets ALREADY_ACTIVE.
 */
static bool
os_control_twice(const struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t index)
{
	uint32_t key = os_point_key(h, index);

	for (uint32_t k = 0; k < os->ctl.count; k++)
		if (os->ctl.point[k] == key)
			return true;
	return false;
}

/* Phase 1: a status for each object (or a question to the bus). */
static void
os_control_ask(struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t i, uint32_t index, union dnp3_obj *o, void *arg)
{
	uint8_t forced = *(uint8_t *)arg, status;

	(void)i;
	if (os->ctl.count >= os->ctl.max) {
		os->ctl.count++;	/* cannot happen: counted before */
		return;
	}
	status = forced != DNP3_CS_SUCCESS ? forced :
	    os_control_twice(os, h, index) ? DNP3_CS_ALREADY_ACTIVE :
	    os_control_decide(os, h, index, o);
	os->ctl.point[os->ctl.count] = os_point_key(h, index);
	if (status == CS_PENDING)
		os->ctl.pending++;
	os->ctl.status[os->ctl.count++] = status;
}

struct os_echo {
	struct dnp3_writer w;
	uint32_t k;
	bool all_ok;
	bool open;		/* the echo header of this request header */
};

/* Phase 2: echo each object with its status, execute, report. */
static void
os_control_echo(struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t i, uint32_t index, union dnp3_obj *o, void *arg)
{
	struct os_echo *e = arg;
	struct os_control c;
	uint8_t status = !os->ctl.too_many && e->k < os->ctl.count &&
	    e->k < OS_CTL_MAX ? os->ctl.status[e->k] : DNP3_CS_TOO_MANY_OBJS;

	e->k++;
	if (status == CS_PENDING)
		status = DNP3_CS_TIMEOUT;	/* the bus did not answer */
	if (status == DNP3_CS_SUCCESS && os->ctl.mode == CONTROL_ECHO &&
	    os->ctl.func != DNP3_FC_SELECT)
		os_control_execute(os, h, index, o);
	e->all_ok = e->all_ok && status == DNP3_CS_SUCCESS;
	if (os->ctl.hook != NULL) {
		os_control_describe(&c, os, h, index, o);
		c.status = status;
		os->ctl.hook(os->ctl.hook_arg, &c);
	}
	if (h->group == 12)
		o->crob.status = status;
	else
		o->aob.status = status;
	if (i == 0)
		e->open = dnp3_writer_begin(&e->w, h->group, h->variation,
		    h->qualifier, 0) == 0;
	if (e->open && dnp3_writer_add(&e->w, index, o) != 0)
		e->open = false;	/* cannot happen: the echo fits */
}

/* The response, once every status is known. */
void
os_control_finish(struct outstation *os)
{
	struct os_echo e;
	const uint8_t *objs = os->rq.req + DNP3_REQ_HDR_SIZE;
	size_t len = os->rq.req_len - DNP3_REQ_HDR_SIZE;

	memset(&e, 0, sizeof(e));
	e.all_ok = true;
	(void)dnp3_writer_init(&e.w, os->rq.tx, os->rq.frag_tx);
	(void)dnp3_writer_start(&e.w, DNP3_FC_RESPONSE,
	    dnp3_app_control(true, true, false, false, os->rq.seq));
	os_control_walk(os, os_control_echo, &e);
	if (os->ctl.func == DNP3_FC_SELECT && e.all_ok && e.k > 0) {
		memcpy(os->ctl.sel, objs, len);
		os->ctl.sel_len = len;
		os->ctl.sel_seq = os->rq.seq;
		os->ctl.sel_at = os->rq.now;
		os->ctl.sel_valid = true;
	}
	os->ctl.wait = false;
	dnp3_writer_set_iin(&e.w, os_iin(os));
	os->rq.tx_len = os->ctl.func == DNP3_FC_DIRECT_OPERATE_NR ? 0 :
	    dnp3_writer_len(&e.w);
}

/* Phase 0: count the control objects. */
static void
os_control_count(struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t i, uint32_t index, union dnp3_obj *o, void *arg)
{
	(void)os;
	(void)h;
	(void)i;
	(void)index;
	(void)o;
	(*(uint32_t *)arg)++;
}

/* SELECT (3), OPERATE (4), DIRECT_OPERATE (5), DIRECT_OPERATE_NR (6). */
bool
os_handle_control(struct outstation *os, const struct dnp3_app_header *ah,
    const uint8_t *objs, size_t len)
{
	uint8_t forced = DNP3_CS_SUCCESS;
	uint32_t n = 0;

	os->ctl.func = ah->func;
	os->ctl.count = 0;
	os->ctl.pending = 0;
	os->ctl.first_id = os->ctl.next_id;
	os->ctl.too_many = false;
	if (ah->func == DNP3_FC_OPERATE && os->ctl.mode != CONTROL_REJECT)
		forced = os_select_status(os, objs, len);
	os->ctl.sel_valid = false;	/* a select is good for one operate */
	/* The echo is as long as the request: it must fit in one fragment. */
	if (len + DNP3_RSP_HDR_SIZE > os->rq.frag_tx) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		os_null_response(os, os->rq.seq);
		return false;
	}
	os_control_walk(os, os_control_count, &n);
	if (n > os->ctl.max) {
		os->stats.too_many_controls++;
		os->ctl.too_many = true;
		os->ctl.count = n;
		os_control_finish(os);
		return false;
	}
	os_control_walk(os, os_control_ask, &forced);
	os->ctl.next_id += os->ctl.count;
	if (os->ctl.pending > 0) {
		/* Wait for the bus; outstation_request() sends nothing yet. */
		os->ctl.wait = true;
		os->rq.tx_len = 0;
		return false;
	}
	os_control_finish(os);
	return false;
}

/*
 * The bus's answer to control request id: 1 when it was the last one the
 * response waited for, 0 when others are still out, -1 for an id that is
 * not waiting (late, unknown, answered) or a status above 127.
 */
int
os_control_answer(struct outstation *os, uint64_t id, uint8_t status)
{
	uint64_t k = id - os->ctl.first_id;

	if (!os->ctl.wait || id < os->ctl.first_id || k >= OS_CTL_MAX ||
	    k >= os->ctl.count || os->ctl.status[k] != CS_PENDING ||
	    status > 127)
		return -1;
	os->ctl.status[k] = status;
	return --os->ctl.pending > 0 ? 0 : 1;
}

void
os_control_init(struct outstation *os, const struct outstation_params *cfg,
    uint8_t *selbuf)
{
	os->ctl.sel = selbuf;
	os->ctl.select_ms = cfg->select_ms;
	os->ctl.answer_ms = cfg->answer_ms == 0 ? OS_ANSWER_DEFAULT :
	    cfg->answer_ms;
	os->ctl.mode = cfg->controls;
	os->ctl.next_id = 1;
	os->ctl.max = cfg->max_controls == 0 ? OS_CONTROLS_DEFAULT :
	    cfg->max_controls;
}

void
os_control_attach(struct outstation *os, const struct outstation_params *cfg,
    uint8_t *selbuf)
{
	uint64_t next_id = os->ctl.next_id;

	memset(&os->ctl, 0, sizeof(os->ctl));
	os_control_init(os, cfg, selbuf);
	/* Ids of a predecessor's requests are not given out again. */
	if (next_id > os->ctl.next_id)
		os->ctl.next_id = next_id;
}

void
outstation_set_control_hook(struct outstation *os, os_control_fn *fn,
    void *arg)
{
	os->ctl.hook = fn;
	os->ctl.hook_arg = arg;
}

bool
os_control_waiting(const struct outstation *os)
{
	return os->ctl.wait;
}

uint32_t
os_control_wait_ms(const struct outstation *os)
{
	return os->ctl.answer_ms;
}

void
os_control_abandon(struct outstation *os)
{
	os->ctl.wait = false;
}

void
os_control_forget_select(struct outstation *os)
{
	os->ctl.sel_valid = false;
}
