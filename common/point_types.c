#include "common/config.h"

const char *const point_type_names[PT_COUNT] = {
	[PT_BINARY_INPUT] = "binary_input",
	[PT_DOUBLE_BIT_INPUT] = "double_bit_input",
	[PT_BINARY_OUTPUT] = "binary_output",
	[PT_COUNTER] = "counter",
	[PT_FROZEN_COUNTER] = "frozen_counter",
	[PT_ANALOG_INPUT] = "analog_input",
	[PT_ANALOG_OUTPUT] = "analog_output",
	[PT_OCTET_STRING] = "octet_string",
};
