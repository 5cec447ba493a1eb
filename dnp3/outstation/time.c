/*
 * Time synchronisation: DELAY_MEASURE (23) answers a g52v2 delay of 0 ms:
 * the delay is the time between receiving the request and sending the
 * answer, measured with the call's own now_ms at both ends, since the
 * answer is written within the call (the link and transport time on
 * either side is the master's to measure). WRITE g50v1 sets the clock
 * (non-LAN procedure); RECORD_CURRENT_TIME (24) then WRITE g50v3 sets it
 * from the master's time at the moment of the record (LAN procedure).
 * The clock is an offset to the caller's now_ms, see outstation_set_time().
 *
 * NEED_TIME (IIN1.4) is set at creation and by a restart, cleared by a
 * successful time write, and set again need_time_ms after it (0: never).
 * While it is set the clock is not synchronised: events made then carry
 * that (event.unsynced), which shows as the CTO g51v2 "unsynchronised"
 * before relative-time events (g2v3, g4v3). Absolute-time variations
 * have no such bit in DNP3; IIN1.4 is all the master gets for them.
 */
#include <string.h>

#include "dnp3/outstation/priv.h"

void
os_delay_response(struct outstation *os)
{
	struct dnp3_writer w;
	union dnp3_obj o;

	memset(&o, 0, sizeof(o));
	o.delay = 0;	/* answered within the call: see above */
	(void)dnp3_writer_init(&w, os->rq.tx, os->rq.frag_tx);
	(void)dnp3_writer_start(&w, DNP3_FC_RESPONSE,
	    dnp3_app_control(true, true, false, false, os->rq.seq));
	(void)dnp3_writer_add_single(&w, 52, 2, &o);
	dnp3_writer_set_iin(&w, os_iin(os));
	os->rq.tx_len = dnp3_writer_len(&w);
}

bool
os_handle_delay_measure(struct outstation *os,
    const struct dnp3_app_header *ah, const uint8_t *objs, size_t len)
{
	(void)ah;
	(void)objs;
	if (len != 0)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	os_delay_response(os);
	return false;
}

bool
os_handle_record_time(struct outstation *os,
    const struct dnp3_app_header *ah, const uint8_t *objs, size_t len)
{
	(void)ah;
	(void)objs;
	if (len != 0)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	os->clock.recorded_at = os->rq.now;
	os->clock.recorded_valid = true;
	os_null_response(os, os->rq.seq);
	return false;
}

/* WRITE of g50v1 or g50v3 (one object, qualifier 0x07). */
void
os_write_time(struct outstation *os, const struct dnp3_objhdr *h)
{
	union dnp3_obj o;

	if (h->count != 1 || dnp3_objhdr_get(h, 0, NULL, &o) != 0) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	if (o.time_ms > DNP3_TIME48_MAX) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	}
	if (h->variation == 1)
		outstation_set_time(os, os->rq.now, o.time_ms);
	else if (!os->clock.recorded_valid) {
		/* g50v3 without RECORD_CURRENT_TIME before it. */
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		return;
	} else {
		outstation_set_time(os, os->clock.recorded_at, o.time_ms);
		os->clock.recorded_valid = false;
	}
	os_iin_set(os, DNP3_IIN1_NEED_TIME, false);
	os->ev.unsynced = false;
	os->clock.synced_at = os->rq.now;
}

/* The clock is (again) not synchronised: IIN1.4, unsynced events. */
static void
os_need_time(struct outstation *os)
{
	os_iin_set(os, DNP3_IIN1_NEED_TIME, true);
	os->ev.unsynced = true;
}

void
os_time_init(struct outstation *os, const struct outstation_params *cfg)
{
	os->clock.need_time_ms = cfg->need_time_ms;
	os_need_time(os);
}

void
os_time_attach(struct outstation *os, const struct outstation_params *cfg)
{
	os->clock.need_time_ms = cfg->need_time_ms;
}

void
os_time_restart(struct outstation *os)
{
	os_need_time(os);
	os->clock.recorded_valid = false;
}

uint64_t
os_time_next(const struct outstation *os)
{
	uint64_t at;

	if (os_iin_has(os, DNP3_IIN1_NEED_TIME) ||
	    os->clock.need_time_ms == 0)
		return 0;
	at = os->clock.synced_at + os->clock.need_time_ms;
	return at == 0 ? 1 : at;
}

void
os_time_tick(struct outstation *os, uint64_t now_ms)
{
	uint64_t at = os_time_next(os);

	if (at != 0 && now_ms >= at) {
		os->stats.need_time_again++;
		os_need_time(os);
	}
}

uint64_t
outstation_time(const struct outstation *os, uint64_t now_ms)
{
	return (uint64_t)((int64_t)now_ms + os->clock.offset);
}

uint64_t
os_time(const struct outstation *os)
{
	return (uint64_t)((int64_t)os->rq.now + os->clock.offset);
}

void
outstation_set_time(struct outstation *os, uint64_t now_ms,
    uint64_t time_ms)
{
	os_change_begin(os);
	os->clock.offset = (int64_t)(time_ms - now_ms);
	os_change_end(os);
}
