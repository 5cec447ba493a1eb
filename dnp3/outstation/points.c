/*
 * The point types: their names, and the object groups and variations of
 * each, which ones dnp3d answers, and the defaults used for variation 0
 * and unset configuration.
 */
#include "dnp3/outstation/points.h"

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

struct type_objects {
	uint8_t static_group;
	uint8_t event_group;
	uint8_t static_default;
	uint8_t event_default;
	uint16_t static_ok;	/* bit v: variation v is supported */
	uint16_t event_ok;
};

#define V(n)	(1u << (n))

/*
 * Defaults carry the flags octet, so a master sees RESTART and ONLINE;
 * binary events carry their time, counter and analog events do not (the
 * usual choice of masters' default polls).
 */
static const struct type_objects objects[PT_COUNT] = {
	[PT_BINARY_INPUT] = { 1, 2, 2, 2, V(1) | V(2), V(1) | V(2) | V(3) },
	[PT_DOUBLE_BIT_INPUT] = { 3, 4, 2, 2, V(1) | V(2), V(1) | V(2) | V(3) },
	[PT_BINARY_OUTPUT] = { 10, 11, 2, 2, V(1) | V(2), V(1) | V(2) },
	[PT_COUNTER] = { 20, 22, 1, 1, V(1) | V(2) | V(5) | V(6),
	    V(1) | V(2) | V(5) | V(6) },
	[PT_FROZEN_COUNTER] = { 21, 23, 1, 1,
	    V(1) | V(2) | V(5) | V(6) | V(9) | V(10),
	    V(1) | V(2) | V(5) | V(6) },
	[PT_ANALOG_INPUT] = { 30, 32, 1, 1,
	    V(1) | V(2) | V(3) | V(4) | V(5) | V(6),
	    V(1) | V(2) | V(3) | V(4) | V(5) | V(6) | V(7) | V(8) },
	[PT_ANALOG_OUTPUT] = { 40, 42, 1, 1, V(1) | V(2) | V(3) | V(4),
	    V(1) | V(2) | V(3) | V(4) | V(5) | V(6) | V(7) | V(8) },
	/* Octet strings: the variation is the length, set per point. */
	[PT_OCTET_STRING] = { 110, 111, 0, 0, 0, 0 },
};

bool
point_variation_valid(enum point_type t, enum point_kind kind,
    unsigned int var)
{
	uint16_t ok;

	if ((unsigned)t >= PT_COUNT)
		return false;
	if (var == 0)
		return true;
	ok = kind == POINT_EVENT ? objects[t].event_ok : objects[t].static_ok;
	return var < 16 && (ok & V(var)) != 0;
}

uint8_t
db_default_static_var(enum point_type t)
{
	return (unsigned)t < PT_COUNT ? objects[t].static_default : 0;
}

uint8_t
db_default_event_var(enum point_type t)
{
	return (unsigned)t < PT_COUNT ? objects[t].event_default : 0;
}

bool
db_static_var_ok(enum point_type t, uint8_t var)
{
	if ((unsigned)t >= PT_COUNT)
		return false;
	if (t == PT_OCTET_STRING)
		return true;	/* any length; variation 0 = as stored */
	return var < 16 && (objects[t].static_ok & V(var)) != 0;
}

bool
db_event_var_ok(enum point_type t, uint8_t var)
{
	if ((unsigned)t >= PT_COUNT)
		return false;
	if (t == PT_OCTET_STRING)
		return true;
	return var < 16 && (objects[t].event_ok & V(var)) != 0;
}

uint8_t
db_static_group(enum point_type t)
{
	return (unsigned)t < PT_COUNT ? objects[t].static_group : 0;
}

uint8_t
db_event_group(enum point_type t)
{
	return (unsigned)t < PT_COUNT ? objects[t].event_group : 0;
}

enum point_type
db_type_of_static_group(uint8_t group)
{
	for (int t = 0; t < PT_COUNT; t++)
		if (objects[t].static_group == group)
			return t;
	return PT_COUNT;
}

enum point_type
db_type_of_event_group(uint8_t group)
{
	for (int t = 0; t < PT_COUNT; t++)
		if (objects[t].event_group == group)
			return t;
	return PT_COUNT;
}
