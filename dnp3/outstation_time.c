/*
 * Time synchronisation: DELAY_MEASURE (23) answers a g52v2 delay of 0 ms
 * (the outstation answers within the call); WRITE g50v1 sets the clock
 * (non-LAN procedure); RECORD_CURRENT_TIME (24) then WRITE g50v3 sets it
 * from the master's time at the moment of the record (LAN procedure).
 * The clock is an offset to the caller's now_ms, see outstation_set_time().
 */
#include <string.h>

#include "common/log.h"
#include "dnp3/outstation_priv.h"

bool
os_handle_delay_measure(struct outstation *os,
    const struct dnp3_app_header *ah, const uint8_t *objs, size_t len)
{
	struct dnp3_writer w;
	union dnp3_obj o;

	(void)ah;
	(void)objs;
	if (len != 0)
		os->iin_req |= DNP3_IIN2_PARAMETER_ERROR;
	memset(&o, 0, sizeof(o));
	o.delay = 0;
	(void)dnp3_writer_init(&w, os->tx, os->frag_tx);
	(void)dnp3_writer_start(&w, DNP3_FC_RESPONSE,
	    dnp3_app_control(true, true, false, false, os->seq));
	(void)dnp3_writer_add_single(&w, 52, 2, &o);
	dnp3_writer_set_iin(&w, os_iin(os));
	os->tx_len = dnp3_writer_len(&w);
	return false;
}

bool
os_handle_record_time(struct outstation *os,
    const struct dnp3_app_header *ah, const uint8_t *objs, size_t len)
{
	(void)ah;
	(void)objs;
	if (len != 0)
		os->iin_req |= DNP3_IIN2_PARAMETER_ERROR;
	os->recorded_at = os->now;
	os->recorded_valid = true;
	os_null_response(os, os->seq);
	return false;
}

/* WRITE of g50v1 or g50v3 (one object, qualifier 0x07). */
void
os_write_time(struct outstation *os, const struct dnp3_objhdr *h)
{
	union dnp3_obj o;

	if (h->count != 1 || dnp3_objhdr_get(h, 0, NULL, &o) != 0) {
		os->iin_req |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	if (h->variation == 1) {
		outstation_set_time(os, os->now, o.time_ms);
		return;
	}
	if (!os->recorded_valid) {
		os->iin_req |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	outstation_set_time(os, os->recorded_at, o.time_ms);
	os->recorded_valid = false;
}
