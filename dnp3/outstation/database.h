#ifndef DNP3D_DB_H
#define DNP3D_DB_H

/*
 * The point database of one outstation: for each point type of
 * points.h a fixed array of points sized from the configuration.
 *
 * No allocation here: db_size() says how many bytes a configuration needs,
 * db_init() carves the arrays out of a caller buffer of that size (the
 * outstation does this once, at creation). Every point starts with the
 * RESTART flag and a zero value until its first update.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/outstation/params.h"

/* Quality flags, bit positions as on the wire (IEEE 1815 flag octet). */
#define DB_FLAG_ONLINE		0x01
#define DB_FLAG_RESTART		0x02
#define DB_FLAG_COMM_LOST	0x04
#define DB_FLAG_REMOTE_FORCED	0x08
#define DB_FLAG_LOCAL_FORCED	0x10
#define DB_FLAG_CHATTER_FILTER	0x20	/* binary, double-bit input */
#define DB_FLAG_ROLLOVER	0x20	/* counters (obsolete) */
#define DB_FLAG_DISCONTINUITY	0x40	/* counters */
#define DB_FLAG_OVER_RANGE	0x20	/* analogs */
#define DB_FLAG_REFERENCE_ERR	0x40	/* analogs */
/*
 * The state of a binary point and the two state bits of a double-bit input
 * live in the top of the wire flag octet. struct db_point keeps the value
 * apart: these bits are never stored in db_point.flags.
 */
#define DB_FLAG_STATE		0x80
#define DB_FLAG_STATE_MASK	0xc0


/* Double-bit input states (g3/g4 values). */
enum dbit_state {
	DBIT_INTERMEDIATE = 0,
	DBIT_OFF = 1,
	DBIT_ON = 2,
	DBIT_INDETERMINATE = 3
};

#define DB_OCTET_MAX	255	/* longest octet string (g110 variation) */
#define DB_POINTS_MAX	65536	/* per type: indexes fit 16-bit qualifiers */

/*
 * A point value as a caller passes it in. Which member is used depends on
 * the point type; octets is borrowed for the duration of the call only.
 */
struct point_value {
	union {
		uint8_t binary;		/* BI, BO: 0 off, anything else on */
		uint8_t dbit;		/* PT_DOUBLE_BIT_INPUT: enum dbit_state */
		uint32_t counter;	/* PT_COUNTER, PT_FROZEN_COUNTER */
		double analog;		/* PT_ANALOG_INPUT, PT_ANALOG_OUTPUT */
	};
	const uint8_t *octets;		/* PT_OCTET_STRING: 1..255 bytes */
	uint8_t octet_len;
};

/* One stored point. Octet strings keep their bytes in db_octets(). */
struct db_point {
	union {
		uint8_t bits;		/* binary 0/1, double-bit enum dbit_state */
		uint32_t counter;
		double analog;
	} v;
	double reported;	/* analog/counter value of the last event (deadband) */
	uint64_t time_ms;	/* DNP3 time of the last update (ms since 1970) */
	double deadband;
	uint8_t flags;		/* DB_FLAG_* without the state bits */
	uint8_t class;		/* 0 = no events, 1..3 */
	uint8_t static_var;	/* resolved at init; 0 for octet strings */
	uint8_t event_var;	/* resolved at init; 0 for octet strings */
	uint8_t octet_len;	/* octet string length (0 before first update) */
};

struct db {
	struct db_point *points[PT_COUNT];
	uint32_t count[PT_COUNT];
	uint8_t *octets;	/* count[PT_OCTET_STRING] * DB_OCTET_MAX bytes */
	uint8_t static_var[PT_COUNT];	/* that of every point of the type */
};

/*
 * Bytes db_init() needs for cfg (a multiple of 16), or 0 if a count is
 * above DB_POINTS_MAX or a configured variation is not supported.
 */
size_t db_size(const struct point_params cfg[PT_COUNT]);
/* mem: db_size(cfg) bytes, 16-byte aligned. Returns 0, or -1 as db_size. */
int db_init(struct db *, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT]);

/*
 * The database a previous db_init() left in mem (another process, another
 * address): the arrays are found again from cfg, the values kept. -1 when
 * a stored field is out of its range (a damaged or foreign block).
 */
int db_attach(struct db *, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT]);

/* The point, or NULL when index is out of range. */
struct db_point *db_point(struct db *, enum point_type, uint32_t index);
const uint8_t *db_octets(const struct db *, uint32_t index);

/*
 * Store a value. Returns 1 when the change is one that makes an event
 * (value or flags changed; for analogs and counters a change larger than
 * the point's deadband), 0 when not, -1 for a bad type, index or value.
 * Clears RESTART unless flags carries it. Never allocates.
 */
int db_set(struct db *, enum point_type, uint32_t index,
    const struct point_value *, uint8_t flags, uint64_t time_ms);

/*
 * Deterministic demo values for the embedded default (no events made):
 * binary input i: i % 2; double-bit input i: ON if i odd, else OFF;
 * binary output i: i % 2; counter and frozen counter i: i * 10;
 * analog input i: i * 1.5; analog output i: i * 2.5;
 * octet string i: the ASCII text "os<i>". All flags ONLINE, time time_ms.
 */
void db_load_demo_values(struct db *, uint64_t time_ms);

#endif
