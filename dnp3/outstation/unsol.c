/*
 * Unsolicited responses, when the configuration enables them. After each
 * new master connection (outstation_connection_reset) the outstation
 * first sends a null unsolicited response and waits for its confirm. The
 * master then enables classes (ENABLE_UNSOLICITED, g60v2..v4); from then
 * on, waiting events of those classes go out unsolicited, one fragment
 * at a time, each confirmed (UNS confirm with the same sequence) before
 * the next. A response that gets no confirm within confirm_ms is sent
 * again, unsolicited.retries times (-1: forever); then its events go back
 * to waiting and a new series starts after another confirm_ms.
 * Unsolicited responses wait while a solicited response awaits its
 * confirm, and have their own sequence numbers and event marks.
 * With unsolicited.enabled = false, ENABLE_UNSOLICITED gets IIN2.0 and
 * DISABLE_UNSOLICITED succeeds without doing anything.
 */
#include "dnp3/outstation/priv.h"

void
os_unsol_init(struct outstation *os, const struct outstation_params *cfg,
    uint8_t *utx)
{
	os->unsol.utx = utx;
	os->unsol.confirm_ms = cfg->confirm_ms;
	os->unsol.allowed = cfg->unsol_enabled;
	os->unsol.retries = cfg->unsol_retries < -1 ? -1 : cfg->unsol_retries;
}

int
os_unsol_attach(struct outstation *os, const struct outstation_params *cfg,
    uint8_t *utx)
{
	if (os->unsol.seq > DNP3_AC_SEQ_MASK ||
	    os->unsol.utx_len > cfg->frag_tx)
		return -1;
	os_unsol_init(os, cfg, utx);
	return 0;
}

void
os_unsol_reset(struct outstation *os)
{
	event_unmark(&os->ev, true);
	os->unsol.wait = false;
	os->unsol.mask = 0;
	os->unsol.null = os->unsol.allowed;
	os->unsol.holdoff = 0;
	os->unsol.deadline = 0;
}

void
os_unsol_confirm(struct outstation *os, uint8_t seq)
{
	if (!os->unsol.wait || seq != os->unsol.seq)
		return;		/* not the one we wait for */
	(void)event_confirm(&os->ev, seq | EVENT_MARK_UNS);
	os->unsol.wait = false;
	os->unsol.null = false;
	os->unsol.deadline = 0;
	os->unsol.seq = (os->unsol.seq + 1) & DNP3_AC_SEQ_MASK;
}

/* Classes the master enabled that have events waiting. */
static uint8_t
os_unsol_classes(const struct outstation *os)
{
	uint8_t mask = 0;

	for (uint8_t c = 1; c <= 3; c++)
		if ((os->unsol.mask & (1u << c)) &&
		    event_waiting_class(&os->ev, c) > 0)
			mask |= 1u << c;
	return mask;
}

/* Whether a new unsolicited response is due (not counting the hold-off). */
static bool
os_unsol_due(const struct outstation *os, bool busy)
{
	if (!os->unsol.allowed || os->unsol.wait || busy)
		return false;
	return os->unsol.null || os_unsol_classes(os) != 0;
}

uint64_t
os_unsol_next(const struct outstation *os, bool busy)
{
	if (os->unsol.wait)
		return os->unsol.deadline;
	if (!os_unsol_due(os, busy))
		return 0;
	return os->unsol.holdoff > 0 ? os->unsol.holdoff : 1;
}

size_t
os_unsol_tick(struct outstation *os, uint64_t now_ms, bool busy,
    const uint8_t **data)
{
	*data = os->unsol.utx;
	if (os->unsol.wait) {
		if (now_ms < os->unsol.deadline)
			return 0;
		if (os->unsol.retries < 0 ||
		    os->unsol.tries < (uint32_t)os->unsol.retries) {
			os->unsol.tries++;
			os->unsol.deadline = now_ms + os->unsol.confirm_ms;
			return os->unsol.utx_len;	/* the same again */
		}
		os->stats.unsol_given_up++;
		event_unmark(&os->ev, true);
		os->unsol.wait = false;
		os->unsol.deadline = 0;
		os->unsol.seq = (os->unsol.seq + 1) & DNP3_AC_SEQ_MASK;
		os->unsol.holdoff = now_ms + os->unsol.confirm_ms;
		return 0;
	}
	if (!os_unsol_due(os, busy) || now_ms < os->unsol.holdoff)
		return 0;
	os->unsol.utx_len = os_fill_unsol(os, os->unsol.utx, os->unsol.seq,
	    os->unsol.null ? 0 : os_unsol_classes(os));
	os->unsol.wait = true;
	os->unsol.tries = 0;
	os->unsol.holdoff = 0;
	os->unsol.deadline = now_ms + os->unsol.confirm_ms;
	if (os->unsol.deadline == 0)
		os->unsol.deadline = 1;
	return os->unsol.utx_len;
}

/* ENABLE_UNSOLICITED (20) and DISABLE_UNSOLICITED (21): g60v2..v4. */
bool
os_handle_unsol_enable(struct outstation *os,
    const struct dnp3_app_header *ah, const uint8_t *objs, size_t len)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	uint8_t mask = 0;
	int r;

	/*
	 * Unsolicited responses off by configuration: ENABLE cannot be done
	 * (IIN2.0, as for a function not supported), but DISABLE asks for
	 * what already holds; masters send it on every connect, so it is
	 * answered as done (objects still checked).
	 */
	if (!os->unsol.allowed && ah->func == DNP3_FC_ENABLE_UNSOLICITED) {
		os->rq.iin |= DNP3_IIN2_NO_FUNC_CODE_SUPPORT;
		os_null_response(os, os->rq.seq);
		return false;
	}
	dnp3_objiter_init(&it, objs, len, false);
	while ((r = dnp3_objiter_next(&it, &h)) > 0) {
		if (h.group == 60 && h.variation >= 2 && h.variation <= 4 &&
		    h.qualifier == DNP3_Q_ALL)
			mask |= 1u << (h.variation - 1);
		else
			os->rq.iin |= DNP3_IIN2_OBJECT_UNKNOWN;
	}
	if (r < 0)
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
	else if (ah->func == DNP3_FC_ENABLE_UNSOLICITED)
		os->unsol.mask |= mask;
	else
		os->unsol.mask &= ~mask;
	os_null_response(os, os->rq.seq);
	return false;
}
