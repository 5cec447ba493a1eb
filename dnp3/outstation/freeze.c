/*
 * Counter freezes: IMMED_FREEZE(_NR) copies each counter named by the
 * request (g20, any variation, all or a range or index list) into the
 * frozen counter of the same index, with the outstation's time;
 * FREEZE_CLEAR(_NR) then sets the counter to 0. A frozen counter that
 * changes makes its event (g23) like any update. Counters without a
 * frozen counter of the same index are not frozen. Freezes at a time
 * (FREEZE_AT_TIME) are not supported (IIN2.0).
 */
#include <string.h>

#include "dnp3/outstation/priv.h"

static void
os_freeze_one(struct outstation *os, uint32_t index, bool clear)
{
	struct db_point *c, *f;
	struct point_value v;

	if ((c = db_point(&os->db, PT_COUNTER, index)) == NULL)
		return;
	memset(&v, 0, sizeof(v));
	if ((f = db_point(&os->db, PT_FROZEN_COUNTER, index)) != NULL) {
		v.counter = c->v.counter;
		(void)outstation_update(os, PT_FROZEN_COUNTER, index, &v,
		    c->flags, os_time(os));
	}
	if (clear) {
		v.counter = 0;
		(void)outstation_update(os, PT_COUNTER, index, &v, c->flags,
		    os_time(os));
	}
}

/* The counters a header names; a range past the end sets IIN2.2. */
static void
os_freeze_header(struct outstation *os, const struct dnp3_objhdr *h,
    bool clear)
{
	uint32_t n = os->db.count[PT_COUNTER], index;

	switch (h->qualifier) {
	case DNP3_Q_ALL:
		for (uint32_t i = 0; i < n; i++)
			os_freeze_one(os, i, clear);
		return;
	case DNP3_Q_START_STOP_8:
	case DNP3_Q_START_STOP_16:
	case DNP3_Q_INDEX_8:
	case DNP3_Q_INDEX_16:
		for (uint32_t i = 0; i < h->count; i++) {
			if (dnp3_objhdr_index(h, i, &index) != 0 ||
			    index >= n) {
				os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
				continue;
			}
			os_freeze_one(os, index, clear);
		}
		return;
	default:
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
}

/* IMMED_FREEZE (7), _NR (8), FREEZE_CLEAR (9), _NR (10). */
bool
os_handle_freeze(struct outstation *os, const struct dnp3_app_header *ah,
    const uint8_t *objs, size_t len)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	bool clear = ah->func == DNP3_FC_FREEZE_CLEAR ||
	    ah->func == DNP3_FC_FREEZE_CLEAR_NR;
	int r;

	dnp3_objiter_init(&it, objs, len, false);
	while ((r = dnp3_objiter_next(&it, &h)) > 0) {
		if (h.group == 20)
			os_freeze_header(os, &h, clear);
		else
			os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
	}
	if (r < 0)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	os_null_response(os, os->rq.seq);
	if (ah->func == DNP3_FC_IMMED_FREEZE_NR ||
	    ah->func == DNP3_FC_FREEZE_CLEAR_NR)
		os->rq.tx_len = 0;
	return false;
}
