#ifndef DNP3D_DNP3_OBJECTS_H
#define DNP3D_DNP3_OBJECTS_H

/*
 * DNP3 object codecs: a neutral value representation, the table of the
 * groups/variations dnp3d knows (size, flags, time, codec), 48-bit time
 * and the conversions with their saturation rules.
 *
 * Supported (static / event / command / other):
 *   binary input       g1v1 (packed) g1v2        events g2v1 g2v2 g2v3
 *   double-bit input   g3v1 (packed) g3v2        events g4v1 g4v2 g4v3
 *   binary output      g10v1 (packed) g10v2      events g11v1 g11v2
 *   CROB               g12v1
 *   counter            g20v1 v2 v5 v6            events g22v1 v2 v5 v6
 *   frozen counter     g21v1 v2 v5 v6 v9 v10     events g23v1 v2 v5 v6
 *   analog input       g30v1..v6                 events g32v1..v8
 *   analog output      g40v1..v4                 events g42v1..v8
 *   analog out block   g41v1..v4
 *   time               g50v1 g50v3, g50v2 (time and interval, freeze at
 *                      time), CTO g51v1 g51v2, delay g52v1 g52v2
 *   class data         g60v1..v4 (no object data)
 *   IIN bits           g80v1 (packed)
 *   octet strings      g110vN static, g111vN event (N = length 1..255)
 *
 * Conversions (encoding a double into a fixed-width field):
 *   - analogs (g30 g32 g40 g42 g41): rounded to the nearest integer and
 *     saturated to the field's range; a value that did not fit (or NaN,
 *     encoded as 0) sets DNP3_FLAG_OVER_RANGE in the encoded flag octet
 *     when the variation has one. Floats beyond +-FLT_MAX become +-FLT_MAX
 *     with OVER_RANGE; NaN/inf pass through to float/double fields as is.
 *     Variations without flags lose the indication (documented DNP3
 *     behaviour: pick a wider variation).
 *   - counters (g20..g23): taken modulo 2^32 (32-bit) or 2^16 (16-bit
 *     variations), i.e. counters roll over; negative or NaN becomes 0.
 *   - binary / double-bit / IIN: value != 0 is ON; double-bit uses
 *     value & 3 (DNP3_DBIT_*).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Flag octet bits (IEEE 1815-2012 A.2 ...). */
#define DNP3_FLAG_ONLINE		0x01
#define DNP3_FLAG_RESTART		0x02
#define DNP3_FLAG_COMM_LOST		0x04
#define DNP3_FLAG_REMOTE_FORCED		0x08
#define DNP3_FLAG_LOCAL_FORCED		0x10
#define DNP3_FLAG_CHATTER_FILTER	0x20	/* binaries */
#define DNP3_FLAG_ROLLOVER		0x20	/* counters (obsolete) */
#define DNP3_FLAG_OVER_RANGE		0x20	/* analogs */
#define DNP3_FLAG_DISCONTINUITY		0x40	/* counters */
#define DNP3_FLAG_REFERENCE_ERR		0x40	/* analogs */
#define DNP3_FLAG_STATE			0x80	/* binaries: the state bit */
#define DNP3_FLAG_DBIT_MASK		0xc0	/* double-bit: state bits */

/* Double-bit states (value of a g3/g4 point). */
#define DNP3_DBIT_INTERMEDIATE		0
#define DNP3_DBIT_OFF			1
#define DNP3_DBIT_ON			2
#define DNP3_DBIT_INDETERMINATE		3

/*
 * The value of one measurement, the same for every variation of its type:
 * encoders take what their variation needs, decoders fill what is there
 * (flags = DNP3_FLAG_ONLINE and time_ms = 0 when the variation has none).
 */
struct dnp3_point_value {
	double value;		/* state 0/1, double-bit 0..3, count, analog */
	uint8_t flags;		/* flag octet without the state bit(s) */
	uint64_t time_ms;	/* ms since 1970-01-01 UTC (48 bits used);
				   relative-time variations (g2v3 g4v3):
				   decode gives the offset to the CTO */
};

/* CROB control code (g12v1 first octet). */
#define DNP3_CROB_OP_MASK	0x0f
#define DNP3_CROB_OP_NUL	0x00
#define DNP3_CROB_OP_PULSE_ON	0x01
#define DNP3_CROB_OP_PULSE_OFF	0x02
#define DNP3_CROB_OP_LATCH_ON	0x03
#define DNP3_CROB_OP_LATCH_OFF	0x04
#define DNP3_CROB_QUEUE		0x10	/* obsolete */
#define DNP3_CROB_CLEAR		0x20
#define DNP3_CROB_TCC_MASK	0xc0
#define DNP3_CROB_TCC_NUL	0x00
#define DNP3_CROB_TCC_CLOSE	0x40
#define DNP3_CROB_TCC_TRIP	0x80

/* Command status (CROB and analog output block status octet, 7 bits). */
enum dnp3_cmd_status {
	DNP3_CS_SUCCESS			= 0,
	DNP3_CS_TIMEOUT			= 1,
	DNP3_CS_NO_SELECT		= 2,
	DNP3_CS_FORMAT_ERROR		= 3,
	DNP3_CS_NOT_SUPPORTED		= 4,
	DNP3_CS_ALREADY_ACTIVE		= 5,
	DNP3_CS_HARDWARE_ERROR		= 6,
	DNP3_CS_LOCAL			= 7,
	DNP3_CS_TOO_MANY_OBJS		= 8,
	DNP3_CS_NOT_AUTHORIZED		= 9,
	DNP3_CS_AUTOMATION_INHIBIT	= 10,
	DNP3_CS_PROCESSING_LIMITED	= 11,
	DNP3_CS_OUT_OF_RANGE		= 12,
	DNP3_CS_NON_PARTICIPATING	= 126,
	DNP3_CS_UNDEFINED		= 127,
};

struct dnp3_crob {		/* g12v1, 11 bytes */
	uint8_t code;		/* DNP3_CROB_* */
	uint8_t count;
	uint32_t on_ms;
	uint32_t off_ms;
	uint8_t status;		/* enum dnp3_cmd_status */
};

struct dnp3_aob {		/* g41v1..v4 */
	double value;		/* saturated like analogs on encode */
	uint8_t status;		/* enum dnp3_cmd_status */
};

struct dnp3_time_interval {	/* g50v2 (FREEZE_AT_TIME) */
	uint64_t time_ms;
	uint32_t interval_ms;
};

struct dnp3_octets {		/* g110 g111: length = variation */
	const uint8_t *data;	/* decode: points into the fragment */
	uint16_t len;
};

/* One object, by the kind of its descriptor. */
union dnp3_obj {
	struct dnp3_point_value point;	/* BINARY DBIT COUNTER ANALOG IIN */
	struct dnp3_crob crob;		/* CROB */
	struct dnp3_aob aob;		/* AOB */
	uint64_t time_ms;		/* TIME: g50v1 g50v3 g51v1 g51v2 */
	struct dnp3_time_interval interval;	/* TIME_INTERVAL: g50v2 */
	uint16_t delay;			/* DELAY: g52v1 s, g52v2 ms */
	struct dnp3_octets octets;	/* OCTETS */
};

enum dnp3_kind {
	DNP3_K_BINARY,		/* g1 g2 g10 g11 */
	DNP3_K_DBIT,		/* g3 g4 */
	DNP3_K_COUNTER,		/* g20 g21 g22 g23 */
	DNP3_K_ANALOG,		/* g30 g32 g40 g42 */
	DNP3_K_CROB,		/* g12v1 */
	DNP3_K_AOB,		/* g41 */
	DNP3_K_TIME,		/* g50 g51 */
	DNP3_K_DELAY,		/* g52 */
	DNP3_K_CLASS,		/* g60: no data */
	DNP3_K_IIN,		/* g80v1 */
	DNP3_K_OCTETS,		/* g110 g111 */
	DNP3_K_TIME_INTERVAL,	/* g50v2 */
};

enum dnp3_time_kind {
	DNP3_TIME_NONE,
	DNP3_TIME_ABS,		/* 48-bit absolute time in the object */
	DNP3_TIME_REL,		/* 16-bit offset to the preceding CTO */
};

struct dnp3_objdesc;
typedef int dnp3_obj_encode_fn(const struct dnp3_objdesc *d,
    const union dnp3_obj *o, uint8_t *out, size_t size, uint64_t cto_ms);
typedef int dnp3_obj_decode_fn(const struct dnp3_objdesc *d,
    const uint8_t *in, size_t size, union dnp3_obj *o);

struct dnp3_objdesc {
	uint8_t group;
	uint8_t variation;	/* 0 for octet strings (any 1..255) */
	uint8_t kind;		/* enum dnp3_kind */
	uint8_t size;		/* bytes per object; 0 = packed, class,
				   or octets (size = variation) */
	uint8_t bits;		/* packed: bits per object (1, 2), else 0 */
	bool has_flags;		/* object starts with a flag octet */
	uint8_t time;		/* enum dnp3_time_kind */
	bool event;		/* event (g2 g4 g11 g22 g23 g32 g42 g111) */
	const char *name;	/* "g30v1", for messages */
	/* NULL for packed and class objects (see dnp3_objhdr_get) */
	dnp3_obj_encode_fn *encode;
	dnp3_obj_decode_fn *decode;
};

/* The descriptor of group/variation, or NULL (also for variation 0). */
const struct dnp3_objdesc *dnp3_objdesc_find(uint8_t group,
    uint8_t variation);

/*
 * Bytes per object of this group/variation (octet strings: variation) and
 * bits per packed object; returns 0 or DNP3_E_OBJECT (unknown/variation 0).
 */
int dnp3_obj_size(uint8_t group, uint8_t variation, uint16_t *bytes,
    uint8_t *bits);

/*
 * Encode one (not packed) object into out[0..cap). cto_ms is the time of
 * the preceding CTO, used only by relative-time variations. Returns the
 * bytes written, DNP3_E_OBJECT (unknown or packed), DNP3_E_NOSPACE,
 * DNP3_E_VALUE (e.g. octet length != variation, time offset > 65535 ms).
 */
int dnp3_obj_encode(uint8_t group, uint8_t variation,
    const union dnp3_obj *o, uint8_t *out, size_t cap, uint64_t cto_ms);

/* Decode one (not packed) object from in[0..len). Returns bytes read.
   Both are the codec table's entry points for the round trips of
   test_dnp3app_objects and tests/wire; the stack goes through the object
   header iterator and the writer. */
int dnp3_obj_decode(uint8_t group, uint8_t variation, const uint8_t *in,
    size_t len, union dnp3_obj *o);

/* 48-bit DNP3 time: milliseconds since 1970, little-endian, 6 bytes.
   These and the conversions below are the codecs' own parts, exported
   for test_dnp3app_objects, which checks them at their limits. */
#define DNP3_TIME48_MAX		0xffffffffffffULL
void dnp3_time48_put(uint8_t *p, uint64_t ms);	/* ms & DNP3_TIME48_MAX */
uint64_t dnp3_time48_get(const uint8_t *p);

/* Saturating conversions (see the top of this file); *over may be NULL. */
int32_t dnp3_analog_to_i32(double v, bool *over);
int16_t dnp3_analog_to_i16(double v, bool *over);
float dnp3_analog_to_f32(double v, bool *over);

#endif
