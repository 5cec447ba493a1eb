/*
 * The embedded configuration used without -c, parsed by the same code as
 * a file (so it is checked the same way, and keys it leaves out get the
 * defaults of config/keys.h).
 */
#include "listener/config_parse.h"

const char config_embedded_default[] =
    "# dnp3d embedded default: one demo outstation on 127.0.0.1:20000\n"
    "servers = (\n"
    "  {\n"
    "    listen = \"127.0.0.1:20000\";\n"
    "    outstations = (\n"
    "      {\n"
    "        name = \"demo\";\n"
    "        filter = \"any\";\n"
    "        address = 10;\n"
    "        master = 1;\n"
    "        # events with time: g2v2 g4v2 g11v2 g22v5 g23v5 g32v3 g42v3\n"
    "        database = {\n"
    "          binary_input = { count = 10; event_variation = 2; };\n"
    "          double_bit_input = { count = 10; event_variation = 2; };\n"
    "          binary_output = { count = 10; event_variation = 2; };\n"
    "          counter = { count = 10; event_variation = 5; };\n"
    "          frozen_counter = { count = 10; event_variation = 5; };\n"
    "          analog_input = { count = 10; event_variation = 3; };\n"
    "          analog_output = { count = 10; event_variation = 3; };\n"
    "          octet_string = { count = 10; };\n"
    "        };\n"
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
