/*
 * Master side of responses: the header, every object as a point for a
 * callback, and the check of a control's echo.
 */
#include <string.h>

#include "dnp3/master/master.h"

int
master_response_parse(const uint8_t *frag, size_t len,
    struct master_response *r)
{
	struct dnp3_app_header h;
	int n;

	if ((n = dnp3_app_header_parse(frag, len, &h)) < 0)
		return n;
	if (h.func != DNP3_FC_RESPONSE && h.func != DNP3_FC_UNSOLICITED_RESPONSE)
		return DNP3_E_PARAM;
	if (n != DNP3_RSP_HDR_SIZE)
		return DNP3_E_HDR_SHORT;
	memset(r, 0, sizeof(*r));
	r->control = h.control;
	r->func = h.func;
	r->seq = h.control & DNP3_AC_SEQ_MASK;
	r->fir = (h.control & DNP3_AC_FIR) != 0;
	r->fin = (h.control & DNP3_AC_FIN) != 0;
	r->con = (h.control & DNP3_AC_CON) != 0;
	r->uns = (h.control & DNP3_AC_UNS) != 0;
	r->iin = h.iin;
	r->objs = frag + n;
	r->objs_len = len - (size_t)n;
	return 0;
}

/* The last CTO of the walk, for relative-time events. */
struct walk {
	uint64_t cto_ms;
	bool cto_valid;
};

static bool
point_kind(uint8_t kind)
{
	return kind == DNP3_K_BINARY || kind == DNP3_K_DBIT ||
	    kind == DNP3_K_COUNTER || kind == DNP3_K_ANALOG ||
	    kind == DNP3_K_IIN;
}

/* Fill the time fields of p from its object and the walk's CTO. */
static void
point_time(struct walk *wk, struct master_point *p)
{
	p->time_valid = false;
	p->time_ms = 0;
	if (p->kind == DNP3_K_TIME) {
		p->time_valid = true;
		p->time_ms = p->obj.time_ms;
		if (p->group == 51) {
			wk->cto_ms = p->obj.time_ms;
			wk->cto_valid = true;
		}
		return;
	}
	if (!point_kind(p->kind))
		return;
	if (p->desc->time == DNP3_TIME_ABS) {
		p->time_valid = true;
		p->time_ms = p->obj.point.time_ms;
	} else if (p->desc->time == DNP3_TIME_REL && wk->cto_valid) {
		p->time_valid = true;
		p->time_ms = wk->cto_ms + p->obj.point.time_ms;
	}
}

/* Every object of one header; returns objects done, or < 0 / callback's. */
static int
walk_header(struct walk *wk, const struct dnp3_objhdr *h,
    master_point_fn *fn, void *arg, int *done)
{
	struct master_point p;
	int r;

	for (uint32_t i = 0; i < h->count; i++) {
		memset(&p, 0, sizeof(p));
		p.group = h->group;
		p.variation = h->variation;
		p.desc = h->desc;
		p.kind = h->desc->kind;
		p.indexed = h->qualifier != DNP3_Q_COUNT_8 &&
		    h->qualifier != DNP3_Q_COUNT_16;
		if ((r = dnp3_objhdr_get(h, i, &p.index, &p.obj)) != 0)
			return r;
		point_time(wk, &p);
		(*done)++;
		if (fn != NULL && (r = fn(arg, &p)) != 0)
			return r;
	}
	return 0;
}

int
master_response_points(const struct master_response *r,
    master_point_fn *fn, void *arg)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	struct walk wk = { 0, false };
	int done = 0, ret;

	if (r == NULL)
		return DNP3_E_PARAM;
	dnp3_objiter_init(&it, r->objs, r->objs_len, true);
	while ((ret = dnp3_objiter_next(&it, &h)) > 0) {
		if (h.desc == NULL || h.qualifier == DNP3_Q_FREE_FORMAT ||
		    h.qualifier == DNP3_Q_ALL || h.desc->kind == DNP3_K_CLASS)
			continue;
		if ((ret = walk_header(&wk, &h, fn, arg, &done)) != 0)
			return ret;
	}
	return ret < 0 ? ret : done;
}

/* Whether object i of the echo equals object i of the request. */
static int
echo_object(const struct dnp3_objhdr *q, const struct dnp3_objhdr *e,
    uint32_t i, uint8_t *status)
{
	union dnp3_obj a, b;
	uint32_t ia, ib;
	int r;

	if ((r = dnp3_objhdr_get(q, i, &ia, &a)) != 0 ||
	    (r = dnp3_objhdr_get(e, i, &ib, &b)) != 0)
		return r;
	if (ia != ib)
		return DNP3_E_PARAM;
	if (q->desc->kind == DNP3_K_CROB) {
		if (a.crob.code != b.crob.code || a.crob.count != b.crob.count ||
		    a.crob.on_ms != b.crob.on_ms ||
		    a.crob.off_ms != b.crob.off_ms)
			return DNP3_E_PARAM;
		if (*status == DNP3_CS_SUCCESS)
			*status = b.crob.status;
	} else if (q->desc->kind == DNP3_K_AOB) {
		if (memcmp(&a.aob.value, &b.aob.value, sizeof(double)) != 0)
			return DNP3_E_PARAM;
		if (*status == DNP3_CS_SUCCESS)
			*status = b.aob.status;
	} else
		return DNP3_E_OBJECT;	/* not a control object */
	return 0;
}

int
master_control_status(const uint8_t *req, size_t req_len,
    const struct master_response *r, uint8_t *status)
{
	struct dnp3_objiter qi, ei;
	struct dnp3_objhdr q, e;
	int rq, re, ret;

	if (req == NULL || req_len < DNP3_REQ_HDR_SIZE || r == NULL)
		return DNP3_E_PARAM;
	*status = DNP3_CS_SUCCESS;
	dnp3_objiter_init(&qi, req + DNP3_REQ_HDR_SIZE,
	    req_len - DNP3_REQ_HDR_SIZE, true);
	dnp3_objiter_init(&ei, r->objs, r->objs_len, true);
	for (;;) {
		rq = dnp3_objiter_next(&qi, &q);
		re = dnp3_objiter_next(&ei, &e);
		if (rq < 0)
			return DNP3_E_PARAM;	/* our own request is bad */
		if (re < 0)
			return re;
		if (rq == 0 || re == 0)
			break;
		if (q.group != e.group || q.variation != e.variation ||
		    q.qualifier != e.qualifier || q.count != e.count ||
		    q.desc == NULL || e.desc == NULL)
			return DNP3_E_PARAM;
		for (uint32_t i = 0; i < q.count; i++)
			if ((ret = echo_object(&q, &e, i, status)) != 0)
				return ret;
	}
	/* Both must end together, and a request without objects is bad. */
	if (rq != re || qi.offset == 0)
		return DNP3_E_PARAM;
	return 0;
}
