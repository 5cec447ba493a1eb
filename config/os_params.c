/*
 * The outstation's parameters from the worker's configuration: the part
 * of struct outstation_config the protocol core reads.
 */
#include <string.h>

#include "config/os_params.h"

void
config_os_params(const struct outstation_config *cfg,
    struct outstation_params *p)
{
	memset(p, 0, sizeof(*p));
	for (int t = 0; t < PT_COUNT; t++) {
		p->db[t].count = cfg->db[t].count;
		p->db[t].class = cfg->db[t].class;
		p->db[t].static_variation = cfg->db[t].static_variation;
		p->db[t].event_variation = cfg->db[t].event_variation;
		p->db[t].deadband = cfg->db[t].deadband;
		p->db[t].event_buffer = cfg->db[t].event_buffer;
	}
	p->unsol_enabled = cfg->unsol_enabled;
	p->unsol_retries = cfg->unsol_retries;
	p->confirm_ms = cfg->confirm_ms;
	p->select_ms = cfg->select_ms;
	p->answer_ms = cfg->control_answer_ms;
	p->frag_rx = cfg->frag_rx;
	p->frag_tx = cfg->frag_tx;
	p->controls = cfg->controls;
	p->need_time_ms = cfg->need_time_ms;
	p->max_controls = cfg->max_controls;
	p->demo_values = cfg->demo_values;
}
