/*
 * READ requests: turn the object headers into a plan of selections
 * (events by class or group, static points by range or index list) that
 * fill.c answers fragment by fragment. Unknown objects set
 * IIN2.1, bad ranges IIN2.2, and the rest of the request is still read.
 */
#include <string.h>

#include "dnp3/outstation/priv.h"

static struct os_sel *
os_sel_new(struct outstation *os, uint8_t kind, uint8_t type, uint8_t var)
{
	struct os_sel *s;

	if (os->plan.count == OS_SEL_MAX) {
		/* More headers than we remember: say so, answer the rest. */
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return NULL;
	}
	s = &os->plan.sel[os->plan.count++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->type = type;
	s->var = var;
	s->filter.type = PT_COUNT;
	s->limit = UINT32_MAX;
	return s;
}

/* Event count limit of a header: 0x06 all, 0x07/0x08 count. -1: bad. */
static int
os_event_limit(const struct dnp3_objhdr *h, uint32_t *limit)
{
	switch (h->qualifier) {
	case DNP3_Q_ALL:
		*limit = UINT32_MAX;
		return 0;
	case DNP3_Q_COUNT_8:
	case DNP3_Q_COUNT_16:
		*limit = h->count;
		return 0;
	default:
		return -1;
	}
}

static void
os_plan_class(struct outstation *os, const struct dnp3_objhdr *h)
{
	struct os_sel *s, *prev;
	uint32_t limit;

	if (os_event_limit(h, &limit) == -1 ||
	    (h->variation == 1 && h->qualifier != DNP3_Q_ALL)) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	if (h->variation == 1) {
		/* Class 0: every static point of every type. */
		for (int t = 0; t < PT_COUNT; t++) {
			if (os->db.count[t] == 0)
				continue;
			if ((s = os_sel_new(os, SEL_RANGE, t, 0)) == NULL)
				return;
			s->start = 0;
			s->stop = os->db.count[t] - 1;
		}
		return;
	}
	/* 60v2 60v3 60v4 without limits are one selection, oldest first. */
	prev = os->plan.count ? &os->plan.sel[os->plan.count - 1] : NULL;
	if (limit == UINT32_MAX && prev != NULL && prev->kind == SEL_EVENTS &&
	    prev->filter.type == PT_COUNT && prev->limit == UINT32_MAX) {
		prev->filter.class_mask |= 1u << (h->variation - 1);
		return;
	}
	if ((s = os_sel_new(os, SEL_EVENTS, PT_COUNT, 0)) == NULL)
		return;
	s->filter.class_mask = 1u << (h->variation - 1);
	s->limit = limit;
}

static void
os_plan_events(struct outstation *os, const struct dnp3_objhdr *h,
    enum point_type t)
{
	struct os_sel *s;
	uint32_t limit;

	if (os_event_limit(h, &limit) == -1) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	if ((s = os_sel_new(os, SEL_EVENTS, t, h->variation)) == NULL)
		return;
	s->filter.type = t;
	s->limit = limit;
}

static void
os_plan_range(struct outstation *os, const struct dnp3_objhdr *h,
    enum point_type t)
{
	uint32_t n = os->db.count[t], start = 0, stop;
	struct os_sel *s;

	switch (h->qualifier) {
	case DNP3_Q_ALL:
		if (n == 0)
			return;
		stop = n - 1;
		break;
	case DNP3_Q_COUNT_8:
	case DNP3_Q_COUNT_16:
		if (h->count == 0)
			return;
		stop = h->count - 1;
		break;
	default:
		start = h->start;
		stop = h->stop;
		break;
	}
	/* A range past the end: answer what exists, and say so. */
	if (stop >= n) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		if (n == 0 || start >= n)
			return;
		stop = n - 1;
	}
	if ((s = os_sel_new(os, SEL_RANGE, t, h->variation)) == NULL)
		return;
	s->start = start;
	s->stop = stop;
	s->pos = start;
}

static void
os_plan_indexes(struct outstation *os, const struct dnp3_objhdr *h,
    enum point_type t)
{
	struct os_sel *s;
	uint32_t index;

	for (uint32_t i = 0; i < h->count; i++)
		if (dnp3_objhdr_index(h, i, &index) != 0 ||
		    index >= os->db.count[t])
			os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	if (h->count == 0 ||
	    (s = os_sel_new(os, SEL_INDEXES, t, h->variation)) == NULL)
		return;
	s->hdr = *h;
}

static void
os_plan_static(struct outstation *os, const struct dnp3_objhdr *h,
    enum point_type t)
{
	switch (h->qualifier) {
	case DNP3_Q_ALL:
	case DNP3_Q_COUNT_8:
	case DNP3_Q_COUNT_16:
	case DNP3_Q_START_STOP_8:
	case DNP3_Q_START_STOP_16:
		os_plan_range(os, h, t);
		break;
	case DNP3_Q_INDEX_8:
	case DNP3_Q_INDEX_16:
		os_plan_indexes(os, h, t);
		break;
	default:
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		break;
	}
}

static void
os_plan_header(struct outstation *os, const struct dnp3_objhdr *h)
{
	enum point_type t;

	if (h->group == 60 && h->variation >= 1 && h->variation <= 4) {
		os_plan_class(os, h);
		return;
	}
	if ((t = db_type_of_static_group(h->group)) != PT_COUNT &&
	    (h->variation == 0 || db_static_var_ok(t, h->variation))) {
		os_plan_static(os, h, t);
		return;
	}
	if ((t = db_type_of_event_group(h->group)) != PT_COUNT &&
	    (h->variation == 0 || db_event_var_ok(t, h->variation))) {
		os_plan_events(os, h, t);
		return;
	}
	os->stats.unknown_objects++;
	os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
}

void
os_read_plan(struct outstation *os, const uint8_t *objs, size_t len)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	int r;

	os->plan.count = 0;
	dnp3_objiter_init(&it, objs, len, false);
	while ((r = dnp3_objiter_next(&it, &h)) > 0)
		os_plan_header(os, &h);
	if (r < 0) {
		/* Answer what came before the damage. */
		os->stats.bad_requests++;
		os->rq.iin |= r == DNP3_E_OBJECT ?
		    DNP3_IIN2_OBJECT_UNKNOWN : DNP3_IIN2_PARAMETER_ERROR;
	}
}

static bool
os_sel_valid(const struct outstation *os, const struct os_sel *s)
{
	if (s->kind == SEL_EVENTS && s->type == PT_COUNT)
		return s->filter.type == PT_COUNT && s->var == 0 &&
		    (s->filter.class_mask & ~0x0eu) == 0;
	if (s->type >= PT_COUNT)
		return false;
	if (s->kind == SEL_EVENTS)
		return s->filter.type == s->type && (s->var == 0 ||
		    db_event_var_ok(s->type, s->var));
	if (s->var != 0 && !db_static_var_ok(s->type, s->var))
		return false;
	if (s->kind == SEL_RANGE)
		return s->start <= s->stop && s->stop < os->db.count[s->type] &&
		    s->pos >= s->start && s->pos <= s->stop + 1;
	return s->kind == SEL_INDEXES;
}

int
os_plan_attach(struct outstation *os)
{
	struct os_plan *p = &os->plan;

	if (p->count > OS_SEL_MAX)
		return -1;
	for (uint32_t i = 0; i < p->count; i++) {
		if (!os_sel_valid(os, &p->sel[i]))
			return -1;
		/* Its header points into the dead process's mapping. */
		if (p->sel[i].kind == SEL_INDEXES && !p->sel[i].done)
			p->more = false;
	}
	return 0;
}
