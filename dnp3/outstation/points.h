#ifndef DNP3D_DNP3_POINTS_H
#define DNP3D_DNP3_POINTS_H

/*
 * The point model of the outstation: its point types, their names (the
 * configuration's keys and the bus's "type" values), and which DNP3
 * object groups and variations each type has. Defined once, as data, in
 * points.c; the configuration checker asks point_variation_valid().
 */
#include <stdbool.h>
#include <stdint.h>

enum point_type {
	PT_BINARY_INPUT,
	PT_DOUBLE_BIT_INPUT,
	PT_BINARY_OUTPUT,
	PT_COUNTER,
	PT_FROZEN_COUNTER,
	PT_ANALOG_INPUT,
	PT_ANALOG_OUTPUT,
	PT_OCTET_STRING,
	PT_COUNT
};

/* The name of each point type, e.g. "binary_input". */
extern const char *const point_type_names[PT_COUNT];

/* Static (current value) or event objects of a type. */
enum point_kind {
	POINT_STATIC,
	POINT_EVENT
};

/*
 * Whether a configuration may choose this variation for a type: 0 (the
 * type's default) or one dnp3d encodes. Octet strings take their
 * variation from each value's length, so only 0.
 */
bool point_variation_valid(enum point_type, enum point_kind,
    unsigned int variation);

/* Variations: the default of a type, and whether a request may ask it. */
uint8_t db_default_static_var(enum point_type);
uint8_t db_default_event_var(enum point_type);
bool db_static_var_ok(enum point_type, uint8_t var);
bool db_event_var_ok(enum point_type, uint8_t var);

/* DNP3 object groups of a type (static, event); 0 if none. */
uint8_t db_static_group(enum point_type);
uint8_t db_event_group(enum point_type);
/* The point type of a static or event group, or PT_COUNT. */
enum point_type db_type_of_static_group(uint8_t group);
enum point_type db_type_of_event_group(uint8_t group);

#endif
