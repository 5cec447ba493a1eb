/*
 * Response fragments from a read plan: events first (oldest first, each
 * marked with the fragment's sequence), then static points; a fragment
 * that fills up stops where it is, and the next one starts there.
 */
#include <stddef.h>
#include <string.h>

#include "dnp3/outstation/priv.h"

#define CTO_SPAN_MS	65535	/* farthest a relative time reaches */
#define OS_RUN_MAX	32	/* static objects per writer call */

/* Where the writer stands: the header open and the last CTO. */
struct os_fill_ctx {
	struct dnp3_writer w;
	int type;		/* point type of the open header, -1 none */
	uint8_t var;
	bool open;
	uint64_t cto_ms;
	bool cto_unsynced;	/* the last CTO was g51v2 */
	bool events;		/* the fragment carries events */
};

static bool
os_rel_time(enum point_type t, uint8_t var)
{
	return var == 3 && (t == PT_BINARY_INPUT || t == PT_DOUBLE_BIT_INPUT);
}

static void
os_obj_point(union dnp3_obj *o, enum point_type t, uint8_t bits,
    uint32_t counter, double analog, uint8_t flags, uint64_t time_ms)
{
	memset(o, 0, sizeof(*o));
	switch (t) {
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		o->point.value = counter;
		break;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		o->point.value = analog;
		break;
	default:
		o->point.value = bits;
		break;
	}
	o->point.flags = flags;
	o->point.time_ms = time_ms;
}

/* Open a header for (t, var) unless it is the open one. 0 or an error. */
static int
os_begin(struct os_fill_ctx *c, uint8_t group, enum point_type t,
    uint8_t var, uint8_t qual, uint32_t start)
{
	int r;

	if (c->open && c->type == (int)t && c->var == var)
		return 0;
	if ((r = dnp3_writer_begin(&c->w, group, var, qual, start)) != 0)
		return r;
	c->open = true;
	c->type = t;
	c->var = var;
	return 0;
}

/*
 * A CTO for relative-time events: when none, when e is out of its reach,
 * or when e's time quality differs (g51v1 synchronised, g51v2 not).
 */
static int
os_cto(struct os_fill_ctx *c, enum point_type t, uint8_t var,
    const struct event *e)
{
	union dnp3_obj o;
	int r;

	if (c->open && c->type == (int)t && c->var == var &&
	    e->time_ms >= c->cto_ms && e->time_ms - c->cto_ms <= CTO_SPAN_MS &&
	    e->unsynced == c->cto_unsynced)
		return 0;
	memset(&o, 0, sizeof(o));
	o.time_ms = e->time_ms;
	if ((r = dnp3_writer_add_single(&c->w, 51, e->unsynced ? 2 : 1,
	    &o)) != 0)
		return r;
	c->cto_ms = e->time_ms;
	c->cto_unsynced = e->unsynced;
	c->open = false;	/* the CTO closed the open header */
	return 0;
}

static int
os_add_event(struct outstation *os, struct os_fill_ctx *c,
    const struct os_sel *s, enum point_type t, const struct event *e,
    const uint8_t *octets)
{
	union dnp3_obj o;
	uint8_t var;
	int r;

	var = t == PT_OCTET_STRING ? e->octet_len : (s->var ? s->var : e->var);
	if (os_rel_time(t, var) && (r = os_cto(c, t, var, e)) != 0)
		return r;
	if ((r = os_begin(c, db_event_group(t), t, var, DNP3_Q_INDEX_16,
	    0)) != 0)
		return r;
	if (t == PT_OCTET_STRING) {
		memset(&o, 0, sizeof(o));
		o.octets.data = octets;
		o.octets.len = e->octet_len;
	} else
		os_obj_point(&o, t, e->v.bits, e->v.counter, e->v.analog,
		    e->flags, e->time_ms);
	(void)os;
	return dnp3_writer_add(&c->w, e->index, &o);
}

/* Returns true when the fragment is full. */
static bool
os_fill_events(struct outstation *os, struct os_fill_ctx *c,
    struct os_sel *s, uint8_t mark)
{
	struct event_iter it;
	struct event *e;
	enum point_type t;
	const uint8_t *octets;
	int r;

	event_iter_init(&it);
	while (s->limit > 0) {
		if ((e = event_iter_peek(&os->ev, &it, &s->filter, &t,
		    &octets)) == NULL)
			break;
		r = os_add_event(os, c, s, t, e, octets);
		if (r == DNP3_E_NOSPACE &&
		    dnp3_writer_len(&c->w) > DNP3_RSP_HDR_SIZE)
			return true;
		if (r != 0) {
			/* Never fits or cannot be encoded: drop it. */
			os->stats.unencodable++;
			event_mark(&os->ev, &it, t, mark);
			c->events = true;	/* gone with this confirm */
			continue;
		}
		event_mark(&os->ev, &it, t, mark);
		c->events = true;
		if (s->limit != UINT32_MAX)
			s->limit--;
	}
	s->done = true;
	return false;
}

/* Packed variations only go with ranges: index lists get the flags form. */
static uint8_t
os_static_var(const struct os_sel *s, enum point_type t,
    const struct db_point *p)
{
	uint8_t var = s->var ? s->var : p->static_var;

	if (t == PT_OCTET_STRING)
		return p->octet_len;
	if (s->kind == SEL_INDEXES && var == 1 && (t == PT_BINARY_INPUT ||
	    t == PT_DOUBLE_BIT_INPUT || t == PT_BINARY_OUTPUT))
		return 2;
	return var;
}

/* The object of static point index (p) of type t. */
static void
os_static_obj(struct outstation *os, enum point_type t, uint32_t index,
    const struct db_point *p, union dnp3_obj *o)
{
	if (t == PT_OCTET_STRING) {
		memset(o, 0, sizeof(*o));
		o->octets.data = db_octets(&os->db, index);
		o->octets.len = p->octet_len;
	} else
		os_obj_point(o, t, p->v.bits, p->v.counter, p->v.analog,
		    p->flags, p->time_ms);
}

/* One point of an index list (qualifier 0x17/0x28). */
static int
os_add_static(struct outstation *os, struct os_fill_ctx *c,
    const struct os_sel *s, uint32_t index, uint8_t qual)
{
	enum point_type t = s->type;
	struct db_point *p = &os->db.points[t][index];
	union dnp3_obj o;
	uint8_t var = os_static_var(s, t, p);
	int r;

	if ((r = os_begin(c, db_static_group(t), t, var, qual, index)) != 0)
		return r;
	os_static_obj(os, t, index, p, &o);
	return dnp3_writer_add(&c->w, index, &o);
}

/* How the database keeps the value of a type, for dnp3_writer_add_points. */
static enum dnp3_run_value
os_run_value(enum point_type t)
{
	switch (t) {
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		return DNP3_RUN_U32;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		return DNP3_RUN_F64;
	default:
		return DNP3_RUN_U8;
	}
}

/*
 * Octet strings from s->pos on (at most max) straight from the database's
 * strings: a run of those with the length of the first (the header's
 * variation).
 */
static int
os_range_octets(struct outstation *os, struct os_fill_ctx *c,
    struct os_sel *s, size_t max, size_t *added)
{
	const struct db_point *pts = os->db.points[PT_OCTET_STRING] + s->pos;
	struct dnp3_point_run src = {
		.base = db_octets(&os->db, s->pos),
		.stride = DB_OCTET_MAX,
		.value = DNP3_RUN_OCTETS,
	};
	size_t n = 1;

	while (n < max && pts[n].octet_len == pts[0].octet_len)
		n++;
	return dnp3_writer_add_points(&c->w, s->pos, &src, n, added);
}

/*
 * The points of a range from s->pos on (at most max), encoded by the
 * writer straight from the database records: every point of a type has
 * the type's variation (db_init, db_attach), so the run is the whole
 * range. DNP3_E_OBJECT: not a layout the writer encodes so.
 */
static int
os_range_points(struct outstation *os, struct os_fill_ctx *c,
    struct os_sel *s, size_t max, size_t *added)
{
	const struct db_point *pts = os->db.points[s->type] + s->pos;
	struct dnp3_point_run src = {
		.base = (const uint8_t *)pts,
		.stride = sizeof(*pts),
		.flags_off = offsetof(struct db_point, flags),
		.value_off = offsetof(struct db_point, v),
		.value = os_run_value(s->type),
	};

	*added = 0;
	if (s->type == PT_OCTET_STRING)
		return os_range_octets(os, c, s, max, added);
	return dnp3_writer_add_points(&c->w, s->pos, &src, max, added);
}

/*
 * The points of a range from s->pos on that share one variation, handed
 * to the writer in one call: per header checks are then done once per
 * run instead of once per point. Layouts the writer cannot take from the
 * records go as objects, at most OS_RUN_MAX at a time. s->pos moves past
 * the points that went in; on an error it is the point that did not.
 */
static int
os_add_range_run(struct outstation *os, struct os_fill_ctx *c,
    struct os_sel *s, uint8_t group, uint8_t qual)
{
	union dnp3_obj o[OS_RUN_MAX];
	enum point_type t = s->type;
	const struct db_point *pts = os->db.points[t];
	uint32_t first = s->pos;
	uint8_t var = os_static_var(s, t, &pts[first]);
	size_t n, max, added;
	int r;

	if ((r = os_begin(c, group, t, var, qual, first)) != 0)
		return r;
	max = (size_t)(s->stop - first) + 1;	/* os_sel_point: first <= stop */
	r = os_range_points(os, c, s, max, &added);
	if (r != DNP3_E_OBJECT) {
		s->pos += (uint32_t)added;
		return r;
	}
	max = max < OS_RUN_MAX ? max : OS_RUN_MAX;
	for (n = 0; n < max; n++) {
		if (n > 0 && os_static_var(s, t, &pts[first + n]) != var)
			break;
		os_static_obj(os, t, first + (uint32_t)n, &pts[first + n],
		    &o[n]);
	}
	r = dnp3_writer_add_run(&c->w, first, o, n, &added);
	s->pos += (uint32_t)added;
	return r;
}

/* The next point of a selection: false when it has none left. */
static bool
os_sel_point(struct outstation *os, struct os_sel *s, uint32_t *index)
{
	if (s->kind == SEL_RANGE) {
		if (s->pos > s->stop)
			return false;
		*index = s->pos;
		return true;
	}
	while (s->pos < s->hdr.count) {
		if (dnp3_objhdr_index(&s->hdr, s->pos, index) == 0 &&
		    *index < os->db.count[s->type])
			return true;
		s->pos++;	/* a bad index: IIN2.2 is set already */
	}
	return false;
}

static bool
os_fill_static(struct outstation *os, struct os_fill_ctx *c,
    struct os_sel *s)
{
	uint8_t group = db_static_group(s->type);
	uint32_t index;
	uint8_t qual;
	int r;

	qual = s->kind == SEL_RANGE ? dnp3_qual_for_range(s->stop) :
	    s->hdr.qualifier;
	c->open = false;	/* each selection starts its own header */
	while (os_sel_point(os, s, &index)) {
		if (s->kind == SEL_RANGE)
			r = os_add_range_run(os, c, s, group, qual);
		else if ((r = os_add_static(os, c, s, index, qual)) == 0)
			s->pos++;
		if (r == DNP3_E_NOSPACE &&
		    dnp3_writer_len(&c->w) > DNP3_RSP_HDR_SIZE)
			return true;
		if (r != 0) {
			index = s->kind == SEL_RANGE ? s->pos : index;
			os->stats.unencodable++;
			c->open = false;
			s->pos++;
		}
	}
	s->done = true;
	return false;
}

/* Events first, then static points. Returns true when the fragment is full. */
static bool
os_fill_sels(struct outstation *os, struct os_fill_ctx *c,
    struct os_sel *sel, uint32_t n, uint8_t mark)
{
	bool full = false;

	for (uint32_t i = 0; i < n && !full; i++)
		if (sel[i].kind == SEL_EVENTS && !sel[i].done)
			full = os_fill_events(os, c, &sel[i], mark);
	for (uint32_t i = 0; i < n && !full; i++)
		if (sel[i].kind != SEL_EVENTS && !sel[i].done)
			full = os_fill_static(os, c, &sel[i]);
	return full;
}

static void
os_fill_init(struct os_fill_ctx *c, uint8_t *buf, size_t cap, uint8_t func)
{
	memset(c, 0, sizeof(*c));
	c->type = -1;
	(void)dnp3_writer_init(&c->w, buf, cap);
	(void)dnp3_writer_start(&c->w, func, 0);
}

bool
os_fill(struct outstation *os, uint8_t seq, bool fir)
{
	struct os_fill_ctx c;
	bool full, fin, con;

	os_fill_init(&c, os->rq.tx, os->rq.frag_tx, DNP3_FC_RESPONSE);
	full = os_fill_sels(os, &c, os->plan.sel, os->plan.count, seq);
	fin = !full;
	os->plan.more = full;
	con = !fin || c.events;
	dnp3_writer_set_control(&c.w, dnp3_app_control(fir, fin, con, false,
	    seq));
	dnp3_writer_set_iin(&c.w, os_iin(os));
	os->rq.tx_len = dnp3_writer_len(&c.w);
	return con;
}

/*
 * An unsolicited response (always one fragment, always CON) with the
 * oldest waiting events of the classes in class_mask (none: a null
 * unsolicited response). Events that do not fit wait for the next one.
 */
size_t
os_fill_unsol(struct outstation *os, uint8_t *buf, uint8_t seq,
    uint8_t class_mask)
{
	struct os_fill_ctx c;
	struct os_sel s;

	os_fill_init(&c, buf, os->rq.frag_tx, DNP3_FC_UNSOLICITED_RESPONSE);
	memset(&s, 0, sizeof(s));
	s.kind = SEL_EVENTS;
	s.filter.type = PT_COUNT;
	s.filter.class_mask = class_mask;
	s.limit = UINT32_MAX;
	if (class_mask != 0)
		(void)os_fill_sels(os, &c, &s, 1, seq | EVENT_MARK_UNS);
	dnp3_writer_set_control(&c.w, dnp3_app_control(true, true, true, true,
	    seq));
	/* The IIN2 bits of the last request are no business of this one. */
	dnp3_writer_set_iin(&c.w, os_iin(os) & ~os->rq.iin);
	return dnp3_writer_len(&c.w);
}

bool
os_fill_more(const struct outstation *os)
{
	return os->plan.more;
}

void
os_fill_stop(struct outstation *os)
{
	os->plan.more = false;
}
