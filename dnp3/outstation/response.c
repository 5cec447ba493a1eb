/*
 * What every handler's response carries: the IIN bits of the outstation's
 * state (the device's own bits, which restart.c, time.c and outstation.c
 * set through os_iin_set(), and the events'), and the response without
 * objects.
 */
#include "dnp3/outstation/priv.h"

uint16_t
os_iin(const struct outstation *os)
{
	uint16_t iin = os->rq.iin | os->dev.iin;

	if (event_waiting_class(&os->ev, 1))
		iin |= DNP3_IIN1_CLASS1_EVENTS;
	if (event_waiting_class(&os->ev, 2))
		iin |= DNP3_IIN1_CLASS2_EVENTS;
	if (event_waiting_class(&os->ev, 3))
		iin |= DNP3_IIN1_CLASS3_EVENTS;
	if (os->ev.overflow)
		iin |= DNP3_IIN2_EVENT_BUFFER_OVERFLOW;
	return iin;
}

/* A response with no objects, e.g. for WRITE or an unsupported function. */
void
os_null_response(struct outstation *os, uint8_t seq)
{
	struct dnp3_writer w;

	(void)dnp3_writer_init(&w, os->rq.tx, os->rq.frag_tx);
	(void)dnp3_writer_start(&w, DNP3_FC_RESPONSE,
	    dnp3_app_control(true, true, false, false, seq));
	dnp3_writer_set_iin(&w, os_iin(os));
	os->rq.tx_len = dnp3_writer_len(&w);
}

void
os_iin_set(struct outstation *os, uint16_t bit, bool on)
{
	if (on)
		os->dev.iin |= bit;
	else
		os->dev.iin &= ~bit;
}

bool
os_iin_has(const struct outstation *os, uint16_t bit)
{
	return (os->dev.iin & bit) != 0;
}
