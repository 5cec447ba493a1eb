/*
 * COLD_RESTART (13) and WARM_RESTART (14). The answer (a g52v2 time
 * delay of 0 ms: the restart is done when the call returns) is written
 * first, with the IIN of before; then the restart:
 *	warm: DEVICE_RESTART (IIN1.7) and NEED_TIME (IIN1.4) again, the
 *	      per-connection state
 *	      (selects, unsolicited classes) is forgotten, data stays;
 *	cold: as warm, and the database starts over from the configuration
 *	      (values cleared, RESTART flags, classes as configured; the
 *	      demo values again for a demo outstation) and every event is
 *	      dropped; pulse trains (pulse.c) stop, their outputs start over
 *	      with the database. A warm restart lets them run to their end.
 */
#include <string.h>

#include "dnp3/outstation/priv.h"

void
os_restart_init(struct outstation *os, const struct outstation_params *cfg,
    void *db_mem, size_t db_len)
{
	os_restart_attach(os, cfg, db_mem, db_len);
	os_iin_set(os, DNP3_IIN1_DEVICE_RESTART, true);
}

void
os_restart_attach(struct outstation *os, const struct outstation_params *cfg,
    void *db_mem, size_t db_len)
{
	os->cold.db_mem = db_mem;
	os->cold.db_len = db_len;
	memcpy(os->cold.db_cfg, cfg->db, sizeof(os->cold.db_cfg));
	os->cold.demo_values = cfg->demo_values;
}

static void
os_cold(struct outstation *os)
{
	os_pulse_stop_all(os);
	event_clear(&os->ev);
	/* The memory and parameters that fitted at creation fit again. */
	(void)db_init(&os->db, os->cold.db_mem, os->cold.db_len, os->cold.db_cfg);
	if (os->cold.demo_values)
		db_load_demo_values(&os->db, os_time(os));
}

bool
os_handle_restart(struct outstation *os, const struct dnp3_app_header *ah,
    const uint8_t *objs, size_t len)
{
	(void)objs;
	if (len != 0) {
		os->rq.iin |= DNP3_IIN2_PARAMETER_ERROR;
		os_null_response(os, os->rq.seq);
		return false;
	}
	os_delay_response(os);
	if (ah->func == DNP3_FC_COLD_RESTART) {
		os->stats.cold_restarts++;
		os_cold(os);
	} else
		os->stats.warm_restarts++;
	os_iin_set(os, DNP3_IIN1_DEVICE_RESTART, true);
	os_time_restart(os);	/* a restarted device asks for the time */
	os_control_forget_select(os);
	os_unsol_reset(os);
	return false;
}
