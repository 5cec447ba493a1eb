/*
 * ASSIGN_CLASS (22): a class header (g60v1 = class 0, i.e. no events,
 * g60v2..v4 = class 1..3) followed by the static objects it applies to
 * (g1 g3 g10 g20 g21 g30 g40 g110, any variation, all / range / index
 * list). Only events made after the change get the new class.
 */
#include "dnp3/outstation/priv.h"

static void
os_assign_one(struct outstation *os, enum point_type t, uint32_t index,
    uint8_t class)
{
	struct db_point *p;

	if ((p = db_point(&os->db, t, index)) == NULL)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	else
		p->class = class;
}

static void
os_assign_header(struct outstation *os, const struct dnp3_objhdr *h,
    enum point_type t, uint8_t class)
{
	uint32_t index;

	if (h->qualifier == DNP3_Q_ALL) {
		for (uint32_t i = 0; i < os->db.count[t]; i++)
			os_assign_one(os, t, i, class);
		return;
	}
	if (h->qualifier != DNP3_Q_START_STOP_8 &&
	    h->qualifier != DNP3_Q_START_STOP_16 &&
	    h->qualifier != DNP3_Q_INDEX_8 &&
	    h->qualifier != DNP3_Q_INDEX_16) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	for (uint32_t i = 0; i < h->count; i++) {
		if (dnp3_objhdr_index(h, i, &index) != 0)
			index = UINT32_MAX;
		os_assign_one(os, t, index, class);
	}
}

bool
os_handle_assign_class(struct outstation *os,
    const struct dnp3_app_header *ah, const uint8_t *objs, size_t len)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	enum point_type t;
	int class = -1, r;

	(void)ah;
	dnp3_objiter_init(&it, objs, len, false);
	while ((r = dnp3_objiter_next(&it, &h)) > 0) {
		if (h.group == 60 && h.variation >= 1 && h.variation <= 4 &&
		    h.qualifier == DNP3_Q_ALL)
			class = h.variation - 1;
		else if ((t = db_type_of_static_group(h.group)) == PT_COUNT)
			os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
		else if (class < 0)	/* objects before any class */
			os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		else
			os_assign_header(os, &h, t, (uint8_t)class);
	}
	if (r < 0)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	os_null_response(os, os->rq.seq);
	return false;
}
