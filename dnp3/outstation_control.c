/*
 * Controls: SELECT, OPERATE, DIRECT_OPERATE and DIRECT_OPERATE_NR with
 * CROBs (g12v1) on binary outputs and analog output blocks (g41v1-v4) on
 * analog outputs. The response echoes every object with its status.
 *
 * controls = "echo": a successful control sets the output's status point
 * (g10 / g40), which makes an output event (g11 / g42) like any update.
 * controls = "reject", and "bus" until the bus path exists: every object
 * is answered NOT_SUPPORTED and nothing changes.
 *
 * Select-before-operate: an OPERATE must carry the same objects as the
 * SELECT just before it, with the next sequence number, within select_ms;
 * otherwise NO_SELECT (or TIMEOUT when only the time is wrong).
 */
#include <math.h>
#include <string.h>

#include "common/log.h"
#include "dnp3/outstation_priv.h"

/* What a CROB asks of a binary output: 1 on, 0 off, -1 nothing, -2 bad. */
static int
os_crob_state(const struct dnp3_crob *c)
{
	uint8_t op = c->code & DNP3_CROB_OP_MASK;
	uint8_t tcc = c->code & DNP3_CROB_TCC_MASK;

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

/* The status of one object; executes it when execute and it is good. */
static uint8_t
os_control_one(struct outstation *os, const struct dnp3_objhdr *h,
    uint32_t index, const union dnp3_obj *o, bool execute)
{
	struct point_value v;
	struct db_point *p;
	enum point_type t;
	int state = 1;		/* AOBs always set their value */

	if (os->controls != CONTROL_ECHO)
		return DNP3_CS_NOT_SUPPORTED;
	t = h->group == 12 ? PT_BINARY_OUTPUT : PT_ANALOG_OUTPUT;
	if ((p = db_point(&os->db, t, index)) == NULL)
		return DNP3_CS_NOT_SUPPORTED;
	memset(&v, 0, sizeof(v));
	if (t == PT_BINARY_OUTPUT) {
		if ((state = os_crob_state(&o->crob)) == -2)
			return DNP3_CS_NOT_SUPPORTED;
		v.binary = state == 1;
	} else {
		if (!isfinite(o->aob.value))
			return DNP3_CS_OUT_OF_RANGE;
		v.analog = o->aob.value;
	}
	if (execute && state != -1)	/* -1: a NUL CROB changes nothing */
		(void)outstation_update(os, t, index, &v,
		    (p->flags & ~DB_FLAG_RESTART) | DB_FLAG_ONLINE,
		    os_time(os));
	return DNP3_CS_SUCCESS;
}

/* Whether this OPERATE follows its SELECT: a status for all, or SUCCESS. */
static uint8_t
os_select_status(const struct outstation *os, const uint8_t *objs,
    size_t len)
{
	if (!os->sel_valid || os->sel_len != len ||
	    memcmp(os->sel, objs, len) != 0 ||
	    ((os->sel_seq + 1) & DNP3_AC_SEQ_MASK) != os->seq)
		return DNP3_CS_NO_SELECT;
	if (os->now - os->sel_at > os->select_ms)
		return DNP3_CS_TIMEOUT;
	return DNP3_CS_SUCCESS;
}

/* Echo one header's objects with their statuses. false: all succeeded? */
static bool
os_control_header(struct outstation *os, struct dnp3_writer *w,
    const struct dnp3_objhdr *h, uint8_t forced, bool execute)
{
	union dnp3_obj o;
	uint32_t index;
	bool all_ok = true;

	if (dnp3_writer_begin(w, h->group, h->variation, h->qualifier, 0) != 0)
		return false;
	for (uint32_t i = 0; i < h->count; i++) {
		uint8_t status;

		if (dnp3_objhdr_get(h, i, &index, &o) != 0)
			return false;
		status = forced != DNP3_CS_SUCCESS ? forced :
		    os_control_one(os, h, index, &o, execute);
		if (h->group == 12)
			o.crob.status = status;
		else
			o.aob.status = status;
		all_ok = all_ok && status == DNP3_CS_SUCCESS;
		if (dnp3_writer_add(w, index, &o) != 0)
			return false;
	}
	return all_ok;
}

static bool
os_is_control(const struct dnp3_objhdr *h)
{
	if (h->qualifier != DNP3_Q_INDEX_8 && h->qualifier != DNP3_Q_INDEX_16)
		return false;
	return (h->group == 12 && h->variation == 1) ||
	    (h->group == 41 && h->variation >= 1 && h->variation <= 4);
}

/* SELECT (3), OPERATE (4), DIRECT_OPERATE (5), DIRECT_OPERATE_NR (6). */
bool
os_handle_control(struct outstation *os, const struct dnp3_app_header *ah,
    const uint8_t *objs, size_t len)
{
	struct dnp3_writer w;
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	uint8_t forced = DNP3_CS_SUCCESS;
	bool select = ah->func == DNP3_FC_SELECT, all_ok = true;
	int r;

	(void)dnp3_writer_init(&w, os->tx, os->frag_tx);
	(void)dnp3_writer_start(&w, DNP3_FC_RESPONSE,
	    dnp3_app_control(true, true, false, false, os->seq));
	if (ah->func == DNP3_FC_OPERATE && os->controls == CONTROL_ECHO)
		forced = os_select_status(os, objs, len);
	os->sel_valid = false;	/* a select is good for one operate */
	/* The echo is as long as the request: it must fit in one fragment. */
	if (len + DNP3_RSP_HDR_SIZE > os->frag_tx) {
		os->iin_req |= DNP3_IIN2_PARAMETER_ERROR;
		goto done;
	}
	dnp3_objiter_init(&it, objs, len, true);
	while ((r = dnp3_objiter_next(&it, &h)) > 0) {
		if (!os_is_control(&h)) {
			os->iin_req |= DNP3_IIN2_OBJECT_UNKNOWN;
			all_ok = false;
			continue;
		}
		all_ok = os_control_header(os, &w, &h, forced, !select) &&
		    all_ok;
	}
	if (r < 0) {
		os->iin_req |= r == DNP3_E_OBJECT ? DNP3_IIN2_OBJECT_UNKNOWN :
		    DNP3_IIN2_PARAMETER_ERROR;
		all_ok = false;
	}
	if (select && all_ok && len <= os->frag_rx) {
		memcpy(os->sel, objs, len);
		os->sel_len = len;
		os->sel_seq = os->seq;
		os->sel_at = os->now;
		os->sel_valid = true;
	}
done:
	dnp3_writer_set_iin(&w, os_iin(os));
	os->tx_len = ah->func == DNP3_FC_DIRECT_OPERATE_NR ? 0 :
	    dnp3_writer_len(&w);
	return false;
}
