/*
 * The table of known groups/variations: size, layout and codec of each,
 * and the generic encode/decode entry points.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/obj_codecs.h"

#define N	DNP3_TIME_NONE
#define A	DNP3_TIME_ABS
#define R	DNP3_TIME_REL

/* group, variation, kind, size, bits, flags, time, event, codec */
#define D(g, v, k, sz, bits, fl, t, ev, c) \
	{ g, v, DNP3_K_##k, sz, bits, fl, t, ev, "g" #g "v" #v, \
	  obj_enc_##c, obj_dec_##c }
/* packed bits and class objects: no per-object codec */
#define P(g, v, k, bits) \
	{ g, v, DNP3_K_##k, 0, bits, false, N, false, "g" #g "v" #v, \
	  NULL, NULL }

static const struct dnp3_objdesc table[] = {
	P(1, 1, BINARY, 1),
	D(1, 2, BINARY, 1, 0, true, N, false, binary),
	D(2, 1, BINARY, 1, 0, true, N, true, binary),
	D(2, 2, BINARY, 7, 0, true, A, true, binary),
	D(2, 3, BINARY, 3, 0, true, R, true, binary),
	P(3, 1, DBIT, 2),
	D(3, 2, DBIT, 1, 0, true, N, false, binary),
	D(4, 1, DBIT, 1, 0, true, N, true, binary),
	D(4, 2, DBIT, 7, 0, true, A, true, binary),
	D(4, 3, DBIT, 3, 0, true, R, true, binary),
	P(10, 1, BINARY, 1),
	D(10, 2, BINARY, 1, 0, true, N, false, binary),
	D(11, 1, BINARY, 1, 0, true, N, true, binary),
	D(11, 2, BINARY, 7, 0, true, A, true, binary),
	D(12, 1, CROB, 11, 0, false, N, false, crob),
	D(20, 1, COUNTER, 5, 0, true, N, false, counter32),
	D(20, 2, COUNTER, 3, 0, true, N, false, counter16),
	D(20, 5, COUNTER, 4, 0, false, N, false, counter32),
	D(20, 6, COUNTER, 2, 0, false, N, false, counter16),
	D(21, 1, COUNTER, 5, 0, true, N, false, counter32),
	D(21, 2, COUNTER, 3, 0, true, N, false, counter16),
	D(21, 5, COUNTER, 11, 0, true, A, false, counter32),
	D(21, 6, COUNTER, 9, 0, true, A, false, counter16),
	D(21, 9, COUNTER, 4, 0, false, N, false, counter32),
	D(21, 10, COUNTER, 2, 0, false, N, false, counter16),
	D(22, 1, COUNTER, 5, 0, true, N, true, counter32),
	D(22, 2, COUNTER, 3, 0, true, N, true, counter16),
	D(22, 5, COUNTER, 11, 0, true, A, true, counter32),
	D(22, 6, COUNTER, 9, 0, true, A, true, counter16),
	D(23, 1, COUNTER, 5, 0, true, N, true, counter32),
	D(23, 2, COUNTER, 3, 0, true, N, true, counter16),
	D(23, 5, COUNTER, 11, 0, true, A, true, counter32),
	D(23, 6, COUNTER, 9, 0, true, A, true, counter16),
	D(30, 1, ANALOG, 5, 0, true, N, false, analog_i32),
	D(30, 2, ANALOG, 3, 0, true, N, false, analog_i16),
	D(30, 3, ANALOG, 4, 0, false, N, false, analog_i32),
	D(30, 4, ANALOG, 2, 0, false, N, false, analog_i16),
	D(30, 5, ANALOG, 5, 0, true, N, false, analog_f32),
	D(30, 6, ANALOG, 9, 0, true, N, false, analog_f64),
	D(32, 1, ANALOG, 5, 0, true, N, true, analog_i32),
	D(32, 2, ANALOG, 3, 0, true, N, true, analog_i16),
	D(32, 3, ANALOG, 11, 0, true, A, true, analog_i32),
	D(32, 4, ANALOG, 9, 0, true, A, true, analog_i16),
	D(32, 5, ANALOG, 5, 0, true, N, true, analog_f32),
	D(32, 6, ANALOG, 9, 0, true, N, true, analog_f64),
	D(32, 7, ANALOG, 11, 0, true, A, true, analog_f32),
	D(32, 8, ANALOG, 15, 0, true, A, true, analog_f64),
	D(40, 1, ANALOG, 5, 0, true, N, false, analog_i32),
	D(40, 2, ANALOG, 3, 0, true, N, false, analog_i16),
	D(40, 3, ANALOG, 5, 0, true, N, false, analog_f32),
	D(40, 4, ANALOG, 9, 0, true, N, false, analog_f64),
	D(41, 1, AOB, 5, 0, false, N, false, aob),
	D(41, 2, AOB, 3, 0, false, N, false, aob),
	D(41, 3, AOB, 5, 0, false, N, false, aob),
	D(41, 4, AOB, 9, 0, false, N, false, aob),
	D(42, 1, ANALOG, 5, 0, true, N, true, analog_i32),
	D(42, 2, ANALOG, 3, 0, true, N, true, analog_i16),
	D(42, 3, ANALOG, 11, 0, true, A, true, analog_i32),
	D(42, 4, ANALOG, 9, 0, true, A, true, analog_i16),
	D(42, 5, ANALOG, 5, 0, true, N, true, analog_f32),
	D(42, 6, ANALOG, 9, 0, true, N, true, analog_f64),
	D(42, 7, ANALOG, 11, 0, true, A, true, analog_f32),
	D(42, 8, ANALOG, 15, 0, true, A, true, analog_f64),
	D(50, 1, TIME, 6, 0, false, A, false, time),
	D(50, 2, TIME_INTERVAL, 10, 0, false, A, false, time_interval),
	D(50, 3, TIME, 6, 0, false, A, false, time),
	D(51, 1, TIME, 6, 0, false, A, false, time),
	D(51, 2, TIME, 6, 0, false, A, false, time),
	D(52, 1, DELAY, 2, 0, false, N, false, delay),
	D(52, 2, DELAY, 2, 0, false, N, false, delay),
	P(60, 1, CLASS, 0),
	P(60, 2, CLASS, 0),
	P(60, 3, CLASS, 0),
	P(60, 4, CLASS, 0),
	P(80, 1, IIN, 1),
};

#define TABLE_LEN	(sizeof(table) / sizeof(table[0]))

/* Octet strings: one descriptor per group, any variation 1..255. */
static const struct dnp3_objdesc octets_static =
	{ 110, 0, DNP3_K_OCTETS, 0, 0, false, N, false, "g110",
	  obj_enc_octets, obj_dec_octets };
static const struct dnp3_objdesc octets_event =
	{ 111, 0, DNP3_K_OCTETS, 0, 0, false, N, true, "g111",
	  obj_enc_octets, obj_dec_octets };

const struct dnp3_objdesc *
dnp3_objdesc_find(uint8_t group, uint8_t variation)
{
	unsigned want = (unsigned)group << 8 | variation, key;
	size_t i, lo, hi;

	if (variation == 0)
		return NULL;
	if (group == 110)
		return &octets_static;
	if (group == 111)
		return &octets_event;
	/* the table is in (group, variation) order: a binary search first */
	for (lo = 0, hi = TABLE_LEN; lo < hi;) {
		i = lo + (hi - lo) / 2;
		key = (unsigned)table[i].group << 8 | table[i].variation;
		if (key == want)
			return &table[i];
		if (key < want)
			lo = i + 1;
		else
			hi = i;
	}
	/* a miss is confirmed by a scan, so an entry out of order still counts */
	for (i = 0; i < TABLE_LEN; i++)
		if (table[i].group == group && table[i].variation == variation)
			return &table[i];
	return NULL;
}

int
dnp3_obj_size(uint8_t group, uint8_t variation, uint16_t *bytes,
    uint8_t *bits)
{
	const struct dnp3_objdesc *d = dnp3_objdesc_find(group, variation);

	if (d == NULL)
		return DNP3_E_OBJECT;
	*bytes = d->kind == DNP3_K_OCTETS ? variation : d->size;
	*bits = d->bits;
	return 0;
}

int
dnp3_obj_encode(uint8_t group, uint8_t variation, const union dnp3_obj *o,
    uint8_t *out, size_t cap, uint64_t cto_ms)
{
	const struct dnp3_objdesc *d = dnp3_objdesc_find(group, variation);
	uint16_t size;
	uint8_t bits;

	if (d == NULL || d->encode == NULL)
		return DNP3_E_OBJECT;
	if (dnp3_obj_size(group, variation, &size, &bits) != 0)
		return DNP3_E_OBJECT;
	if (out == NULL || cap < size)
		return DNP3_E_NOSPACE;
	return d->encode(d, o, out, size, cto_ms);
}

int
dnp3_obj_decode(uint8_t group, uint8_t variation, const uint8_t *in,
    size_t len, union dnp3_obj *o)
{
	const struct dnp3_objdesc *d = dnp3_objdesc_find(group, variation);
	uint16_t size;
	uint8_t bits;

	if (d == NULL || d->decode == NULL)
		return DNP3_E_OBJECT;
	if (dnp3_obj_size(group, variation, &size, &bits) != 0)
		return DNP3_E_OBJECT;
	if (in == NULL || len < size)
		return DNP3_E_OVERRUN;
	return d->decode(d, in, size, o);
}
