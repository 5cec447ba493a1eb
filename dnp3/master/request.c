/*
 * Master requests: each builder writes one whole request fragment with
 * the response writer of dnp3/app.h (FIR and FIN set, no CON, no UNS).
 */
#include <string.h>

#include "dnp3/master/master.h"

/* Start a request fragment: control FIR|FIN|seq, then func. */
static int
req_start(struct dnp3_writer *w, uint8_t *buf, size_t cap, uint8_t seq,
    uint8_t func)
{
	if (buf == NULL || cap < DNP3_REQ_HDR_SIZE)
		return DNP3_E_NOSPACE;
	if (dnp3_writer_init(w, buf, cap) != 0)
		return DNP3_E_PARAM;
	return dnp3_writer_start(w, func,
	    dnp3_app_control(true, true, false, false, seq));
}

/* The length of a finished request, or the error that stopped it. */
static int
req_done(const struct dnp3_writer *w, int r)
{
	return r < 0 ? r : (int)dnp3_writer_len(w);
}

/* g60 variations of the classes in mask, in the order 1, 2, 3, 0. */
static int
put_classes(struct dnp3_writer *w, uint8_t mask)
{
	static const struct {
		uint8_t bit, var;
	} order[] = {
		{ MASTER_CLASS1, 2 }, { MASTER_CLASS2, 3 },
		{ MASTER_CLASS3, 4 }, { MASTER_CLASS0, 1 },
	};
	int r;

	if ((mask & MASTER_CLASS_ALL) == 0 || (mask & ~MASTER_CLASS_ALL) != 0)
		return DNP3_E_PARAM;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if ((mask & order[i].bit) == 0)
			continue;
		r = dnp3_writer_header(w, 60, order[i].var, DNP3_Q_ALL, 0, 0);
		if (r != 0)
			return r;
	}
	return 0;
}

int
master_req_classes(uint8_t *buf, size_t cap, uint8_t seq, uint8_t mask)
{
	struct dnp3_writer w;
	int r;

	if ((r = req_start(&w, buf, cap, seq, DNP3_FC_READ)) == 0)
		r = put_classes(&w, mask);
	return req_done(&w, r);
}

int
master_req_integrity(uint8_t *buf, size_t cap, uint8_t seq)
{
	return master_req_classes(buf, cap, seq, MASTER_CLASS_ALL);
}

int
master_req_read(uint8_t *buf, size_t cap, uint8_t seq, uint8_t group,
    uint8_t variation, bool range, uint32_t start, uint32_t stop)
{
	struct dnp3_writer w;
	int r;

	if (range && (stop < start || stop > 0xffff))
		return DNP3_E_RANGE;
	if ((r = req_start(&w, buf, cap, seq, DNP3_FC_READ)) != 0)
		return r;
	if (range)
		r = dnp3_writer_header(&w, group, variation,
		    dnp3_qual_for_range(stop), start, stop);
	else
		r = dnp3_writer_header(&w, group, variation, DNP3_Q_ALL, 0, 0);
	return req_done(&w, r);
}

static bool
control_func(uint8_t func)
{
	return func == DNP3_FC_SELECT || func == DNP3_FC_OPERATE ||
	    func == DNP3_FC_DIRECT_OPERATE || func == DNP3_FC_DIRECT_OPERATE_NR;
}

/* One object with an index prefix: the echo a control expects. */
static int
req_one_object(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func,
    uint8_t group, uint8_t variation, uint16_t index,
    const union dnp3_obj *o)
{
	struct dnp3_writer w;
	int r;

	if (!control_func(func))
		return DNP3_E_PARAM;
	if ((r = req_start(&w, buf, cap, seq, func)) != 0)
		return r;
	if ((r = dnp3_writer_begin(&w, group, variation,
	    dnp3_qual_for_index(index), 0)) != 0)
		return r;
	r = dnp3_writer_add(&w, index, o);
	dnp3_writer_end(&w);
	return req_done(&w, r);
}

int
master_req_crob(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func,
    uint16_t index, const struct dnp3_crob *crob)
{
	union dnp3_obj o;

	if (crob == NULL)
		return DNP3_E_PARAM;
	o.crob = *crob;
	o.crob.status = DNP3_CS_SUCCESS;
	return req_one_object(buf, cap, seq, func, 12, 1, index, &o);
}

int
master_req_analog(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func,
    uint16_t index, uint8_t variation, double value)
{
	union dnp3_obj o;

	if (variation < 1 || variation > 4)
		return DNP3_E_OBJECT;
	memset(&o, 0, sizeof(o));
	o.aob.value = value;
	o.aob.status = DNP3_CS_SUCCESS;
	return req_one_object(buf, cap, seq, func, 41, variation, index, &o);
}

int
master_crob_code(const char *name, uint8_t *code)
{
	static const struct {
		const char *name;
		uint8_t code;
	} ops[] = {
		{ "latch_on", DNP3_CROB_OP_LATCH_ON },
		{ "latch_off", DNP3_CROB_OP_LATCH_OFF },
		{ "pulse_on", DNP3_CROB_OP_PULSE_ON },
		{ "pulse_off", DNP3_CROB_OP_PULSE_OFF },
		{ "close", DNP3_CROB_TCC_CLOSE | DNP3_CROB_OP_PULSE_ON },
		{ "trip", DNP3_CROB_TCC_TRIP | DNP3_CROB_OP_PULSE_ON },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(name, ops[i].name) == 0) {
			*code = ops[i].code;
			return 0;
		}
	}
	return -1;
}

static int
req_write_g50(uint8_t *buf, size_t cap, uint8_t seq, uint8_t variation,
    uint64_t time_ms)
{
	struct dnp3_writer w;
	union dnp3_obj o;
	int r;

	if (time_ms > DNP3_TIME48_MAX)
		return DNP3_E_VALUE;
	if ((r = req_start(&w, buf, cap, seq, DNP3_FC_WRITE)) != 0)
		return r;
	o.time_ms = time_ms;
	return req_done(&w, dnp3_writer_add_single(&w, 50, variation, &o));
}

int
master_req_write_time(uint8_t *buf, size_t cap, uint8_t seq,
    uint64_t time_ms)
{
	return req_write_g50(buf, cap, seq, 1, time_ms);
}

int
master_req_write_recorded_time(uint8_t *buf, size_t cap, uint8_t seq,
    uint64_t time_ms)
{
	return req_write_g50(buf, cap, seq, 3, time_ms);
}

int
master_req_clear_restart(uint8_t *buf, size_t cap, uint8_t seq)
{
	struct dnp3_writer w;
	union dnp3_obj o;
	int r;

	if ((r = req_start(&w, buf, cap, seq, DNP3_FC_WRITE)) != 0)
		return r;
	if ((r = dnp3_writer_begin(&w, 80, 1, DNP3_Q_START_STOP_8, 7)) != 0)
		return r;
	memset(&o, 0, sizeof(o));	/* value 0: clear the bit */
	r = dnp3_writer_add(&w, 7, &o);
	dnp3_writer_end(&w);
	return req_done(&w, r);
}

int
master_req_func(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func)
{
	struct dnp3_writer w;

	if (func >= DNP3_FC_RESPONSE)
		return DNP3_E_PARAM;
	return req_done(&w, req_start(&w, buf, cap, seq, func));
}

int
master_req_unsolicited(uint8_t *buf, size_t cap, uint8_t seq, bool enable,
    uint8_t mask)
{
	struct dnp3_writer w;
	int r;

	if ((mask & MASTER_CLASS0) != 0)
		return DNP3_E_PARAM;	/* class 0 is never unsolicited */
	r = req_start(&w, buf, cap, seq, enable ?
	    DNP3_FC_ENABLE_UNSOLICITED : DNP3_FC_DISABLE_UNSOLICITED);
	if (r == 0)
		r = put_classes(&w, mask);
	return req_done(&w, r);
}

int
master_req_confirm(uint8_t *buf, size_t cap, uint8_t seq, bool uns)
{
	struct dnp3_writer w;
	int r;

	if ((r = req_start(&w, buf, cap, seq, DNP3_FC_CONFIRM)) == 0)
		dnp3_writer_set_control(&w,
		    dnp3_app_control(true, true, false, uns, seq));
	return req_done(&w, r);
}
