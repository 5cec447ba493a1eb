/*
 * Defaults of CONFIG.md: the values an outstation starts from before its
 * group is read, and the embedded configuration used without -c (parsed
 * by the same code as a file, so it is checked the same way).
 */
#include <string.h>

#include "listener/config_parse.h"

void
config_outstation_defaults(struct outstation_config *oc)
{
	int t;

	memset(oc, 0, sizeof(*oc));
	for (t = 0; t < PT_COUNT; t++) {
		oc->db[t].class = 1;
		oc->db[t].event_buffer = 100;
	}
	oc->unsol_enabled = false;
	oc->unsol_retries = 3;
	oc->confirm_ms = 5000;
	oc->select_ms = 5000;
	oc->keep_alive_ms = 60000;
	oc->frag_rx = 2048;
	oc->frag_tx = 2048;
	oc->controls = CONTROL_ECHO;
	oc->max_controls = CFG_CONTROLS_DEFAULT;
	oc->need_time_ms = CFG_NEED_TIME_DEFAULT;
	oc->worker_liveness_ms = CFG_LIVENESS_DEFAULT;
	oc->link_error_mode = LINK_ERROR_CLOSE;
}

const char config_embedded_default[] =
    "# dnp3d embedded default: one demo outstation on 127.0.0.1:20000\n"
    "servers = (\n"
    "  {\n"
    "    listen = \"127.0.0.1:20000\";\n"
    "    link_error_mode = \"close\";\n"
    "    outstations = (\n"
    "      {\n"
    "        name = \"demo\";\n"
    "        filter = \"any\";\n"
    "        address = 10;\n"
    "        master = 1;\n"
    "        database = {\n"
    "          binary_input = { count = 10; class = 1; };\n"
    "          double_bit_input = { count = 10; class = 1; };\n"
    "          binary_output = { count = 10; class = 1; };\n"
    "          counter = { count = 10; class = 1; };\n"
    "          frozen_counter = { count = 10; class = 1; };\n"
    "          analog_input = { count = 10; class = 1; };\n"
    "          analog_output = { count = 10; class = 1; };\n"
    "          octet_string = { count = 10; class = 1; };\n"
    "        };\n"
    "        controls = \"echo\";\n"
    "      }\n"
    "    );\n"
    "  }\n"
    ");\n";

/* Outstations of the embedded default serve demo values (worker/setup.c). */
void
config_default_mark_demo(struct dnp3d_config *cfg)
{
	for (uint32_t i = 0; i < cfg->outstation_count; i++)
		cfg->outstations[i].demo_values = true;
}
