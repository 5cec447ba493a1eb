/*
 * Object codecs: the descriptor table, known byte layouts, round trips
 * for every supported group/variation, and the saturation rules.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/app/app.h"

/* Every group/variation objects.h promises (octet strings apart). */
static const uint8_t supported[][2] = {
	{1, 1}, {1, 2}, {2, 1}, {2, 2}, {2, 3}, {3, 1}, {3, 2}, {4, 1},
	{4, 2}, {4, 3}, {10, 1}, {10, 2}, {11, 1}, {11, 2}, {12, 1},
	{20, 1}, {20, 2}, {20, 5}, {20, 6}, {21, 1}, {21, 2}, {21, 5},
	{21, 6}, {21, 9}, {21, 10}, {22, 1}, {22, 2}, {22, 5}, {22, 6},
	{23, 1}, {23, 2}, {23, 5}, {23, 6}, {30, 1}, {30, 2}, {30, 3},
	{30, 4}, {30, 5}, {30, 6}, {32, 1}, {32, 2}, {32, 3}, {32, 4},
	{32, 5}, {32, 6}, {32, 7}, {32, 8}, {40, 1}, {40, 2}, {40, 3},
	{40, 4}, {41, 1}, {41, 2}, {41, 3}, {41, 4}, {42, 1}, {42, 2},
	{42, 3}, {42, 4}, {42, 5}, {42, 6}, {42, 7}, {42, 8}, {50, 1},
	{50, 2}, {50, 3}, {51, 1}, {51, 2}, {52, 1}, {52, 2}, {60, 1}, {60, 2},
	{60, 3}, {60, 4}, {80, 1},
};
#define NSUPPORTED (sizeof(supported) / sizeof(supported[0]))

/* Object sizes in bytes from IEEE 1815-2012 (0 = packed or none). */
static const uint8_t sizes[NSUPPORTED] = {
	0, 1, 1, 7, 3, 0, 1, 1, 7, 3, 0, 1, 1, 7, 11,
	5, 3, 4, 2, 5, 3, 11, 9, 4, 2, 5, 3, 11, 9,
	5, 3, 11, 9, 5, 3, 4, 2, 5, 9, 5, 3, 11, 9,
	5, 9, 11, 15, 5, 3, 5, 9, 5, 3, 5, 9, 5, 3,
	11, 9, 5, 9, 11, 15, 6, 10, 6, 6, 6, 2, 2, 0, 0,
	0, 0, 0,
};

static void
table_has_exactly_the_documented_objects(void **state)
{
	size_t found = 0, i;
	uint16_t bytes;
	uint8_t bits;

	(void)state;
	for (unsigned g = 0; g < 110; g++)
		for (unsigned v = 0; v < 256; v++)
			if (dnp3_objdesc_find((uint8_t)g, (uint8_t)v) != NULL)
				found++;
	assert_int_equal(found, NSUPPORTED);
	for (i = 0; i < NSUPPORTED; i++) {
		const struct dnp3_objdesc *d =
		    dnp3_objdesc_find(supported[i][0], supported[i][1]);
		char name[16];

		assert_non_null(d);
		snprintf(name, sizeof(name), "g%uv%u", supported[i][0],
		    supported[i][1]);
		assert_string_equal(d->name, name);
		assert_int_equal(dnp3_obj_size(d->group, d->variation,
		    &bytes, &bits), 0);
		if (bytes != sizes[i])
			fail_msg("%s: size %u, want %u", name, bytes,
			    sizes[i]);
	}
	assert_int_equal(dnp3_obj_size(1, 1, &bytes, &bits), 0);
	assert_int_equal(bits, 1);
	assert_int_equal(dnp3_obj_size(3, 1, &bytes, &bits), 0);
	assert_int_equal(bits, 2);
	assert_int_equal(dnp3_obj_size(110, 0, &bytes, &bits), DNP3_E_OBJECT);
	assert_int_equal(dnp3_obj_size(111, 200, &bytes, &bits), 0);
	assert_int_equal(bytes, 200);
	assert_true(dnp3_objdesc_find(111, 1)->event);
	assert_false(dnp3_objdesc_find(110, 1)->event);
	assert_int_equal(dnp3_obj_size(30, 7, &bytes, &bits), DNP3_E_OBJECT);
}

/* A value each kind can carry exactly, so a round trip compares equal. */
static void
sample(const struct dnp3_objdesc *d, union dnp3_obj *o, int k)
{
	static const uint8_t text[255] = "octets";

	memset(o, 0, sizeof(*o));
	switch (d->kind) {
	case DNP3_K_BINARY:
		o->point.value = k & 1;
		break;
	case DNP3_K_DBIT:
		o->point.value = k & 3;
		break;
	case DNP3_K_COUNTER:
		o->point.value = d->size == 2 || d->size == 3 ||
		    d->size == 9 ? 0xBEEF : 0xDEADBEEF;
		break;
	case DNP3_K_ANALOG:
		o->point.value = -1234 - k;
		break;
	case DNP3_K_CROB:
		o->crob = (struct dnp3_crob){ DNP3_CROB_OP_PULSE_ON |
		    DNP3_CROB_TCC_CLOSE, 3, 250, 750, DNP3_CS_LOCAL };
		return;
	case DNP3_K_AOB:
		o->aob = (struct dnp3_aob){ -300.0 - k, DNP3_CS_NO_SELECT };
		return;
	case DNP3_K_TIME:
		o->time_ms = 1700000000123ULL + (uint64_t)k;
		return;
	case DNP3_K_DELAY:
		o->delay = 0xABCD;
		return;
	case DNP3_K_TIME_INTERVAL:
		o->interval = (struct dnp3_time_interval){ 1700000000000ULL,
		    86400000u + (uint32_t)k };
		return;
	case DNP3_K_OCTETS:
		o->octets = (struct dnp3_octets){ text, (uint16_t)k };
		return;
	default:
		return;
	}
	o->point.flags = d->has_flags ? (DNP3_FLAG_ONLINE |
	    DNP3_FLAG_LOCAL_FORCED) : DNP3_FLAG_ONLINE;
	if (d->time == DNP3_TIME_ABS)
		o->point.time_ms = 0x123456789ABCULL;
	else if (d->time == DNP3_TIME_REL)
		o->point.time_ms = 1000 + 4321;	/* CTO 1000 */
}

static void
assert_same(const struct dnp3_objdesc *d, const union dnp3_obj *a,
    const union dnp3_obj *b)
{
	switch (d->kind) {
	case DNP3_K_CROB:
		assert_int_equal(a->crob.code, b->crob.code);
		assert_int_equal(a->crob.count, b->crob.count);
		assert_int_equal(a->crob.on_ms, b->crob.on_ms);
		assert_int_equal(a->crob.off_ms, b->crob.off_ms);
		assert_int_equal(a->crob.status, b->crob.status);
		break;
	case DNP3_K_AOB:
		assert_true(a->aob.value == b->aob.value);
		assert_int_equal(a->aob.status, b->aob.status);
		break;
	case DNP3_K_TIME:
		assert_true(a->time_ms == b->time_ms);
		break;
	case DNP3_K_DELAY:
		assert_int_equal(a->delay, b->delay);
		break;
	case DNP3_K_TIME_INTERVAL:
		assert_true(a->interval.time_ms == b->interval.time_ms);
		assert_int_equal(a->interval.interval_ms,
		    b->interval.interval_ms);
		break;
	case DNP3_K_OCTETS:
		assert_int_equal(a->octets.len, b->octets.len);
		assert_memory_equal(a->octets.data, b->octets.data,
		    a->octets.len);
		break;
	default:
		if (a->point.value != b->point.value)
			fail_msg("%s: value %f != %f", d->name,
			    a->point.value, b->point.value);
		assert_int_equal(a->point.flags, b->point.flags);
		if (d->time == DNP3_TIME_REL)
			assert_true(b->point.time_ms == 4321);
		else
			assert_true(a->point.time_ms == b->point.time_ms);
	}
}

static void
round_trip_one(uint8_t g, uint8_t v, int k)
{
	const struct dnp3_objdesc *d = dnp3_objdesc_find(g, v);
	uint8_t buf[300];
	union dnp3_obj in, out;
	uint16_t size;
	uint8_t bits;
	int r;

	assert_non_null(d);
	assert_int_equal(dnp3_obj_size(g, v, &size, &bits), 0);
	sample(d, &in, k);
	memset(buf, 0xEE, sizeof(buf));
	r = dnp3_obj_encode(g, v, &in, buf, size, 1000);
	if (r != size)
		fail_msg("%s: encode gave %d, want %u", d->name, r, size);
	assert_int_equal(buf[size], 0xEE);	/* nothing past the object */
	/* one byte short: refused, nothing written */
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(dnp3_obj_encode(g, v, &in, buf, size - 1, 1000),
	    DNP3_E_NOSPACE);
	assert_int_equal(buf[0], 0xEE);
	assert_int_equal(dnp3_obj_encode(g, v, &in, buf, size, 1000), size);
	memset(&out, 0x55, sizeof(out));
	assert_int_equal(dnp3_obj_decode(g, v, buf, size, &out), size);
	assert_same(d, &in, &out);
	assert_int_equal(dnp3_obj_decode(g, v, buf, size - 1, &out),
	    DNP3_E_OVERRUN);
}

static void
every_variation_round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSUPPORTED; i++) {
		const struct dnp3_objdesc *d =
		    dnp3_objdesc_find(supported[i][0], supported[i][1]);

		if (d->encode == NULL) {	/* packed, class */
			assert_true(d->bits > 0 || d->kind == DNP3_K_CLASS);
			assert_int_equal(dnp3_obj_encode(d->group,
			    d->variation, NULL, NULL, 0, 0), DNP3_E_OBJECT);
			continue;
		}
		for (int k = 0; k < 4; k++)
			round_trip_one(d->group, d->variation, k);
	}
	for (int len = 1; len <= 255; len += 127) {
		round_trip_one(110, (uint8_t)len, len);
		round_trip_one(111, (uint8_t)len, len);
	}
}

static void
known_layouts(void **state)
{
	uint8_t buf[16];
	union dnp3_obj o = { .point = { -2, DNP3_FLAG_ONLINE,
	    0x0000018BCFE56800ULL } };

	(void)state;
	/* g32v3: flags, int32 LE, 48-bit time LE */
	const uint8_t g32v3[] = { 0x01, 0xFE, 0xFF, 0xFF, 0xFF, 0x00, 0x68,
	    0xE5, 0xCF, 0x8B, 0x01 };
	assert_int_equal(dnp3_obj_encode(32, 3, &o, buf, sizeof(buf), 0), 11);
	assert_memory_equal(buf, g32v3, sizeof(g32v3));

	/* g30v5: flags, IEEE float LE (1.5 = 0x3FC00000) */
	o.point.value = 1.5;
	const uint8_t g30v5[] = { 0x01, 0x00, 0x00, 0xC0, 0x3F };
	assert_int_equal(dnp3_obj_encode(30, 5, &o, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, g30v5, sizeof(g30v5));

	/* g1v2: state in bit 7 */
	o.point = (struct dnp3_point_value){ 1, DNP3_FLAG_ONLINE, 0 };
	assert_int_equal(dnp3_obj_encode(1, 2, &o, buf, sizeof(buf), 0), 1);
	assert_int_equal(buf[0], 0x81);
	/* g4v1: double-bit ON (2) in bits 6-7 */
	o.point.value = DNP3_DBIT_ON;
	assert_int_equal(dnp3_obj_encode(4, 1, &o, buf, sizeof(buf), 0), 1);
	assert_int_equal(buf[0], 0x81);
	o.point.value = 17;	/* not a double-bit state */
	assert_int_equal(dnp3_obj_encode(3, 2, &o, buf, sizeof(buf), 0), 1);
	assert_int_equal(buf[0], 0xC1);

	/* g20v6: 16-bit counter rolls over */
	o.point.value = 65536 + 7;
	assert_int_equal(dnp3_obj_encode(20, 6, &o, buf, sizeof(buf), 0), 2);
	assert_int_equal(buf[0], 7);
	assert_int_equal(buf[1], 0);
	o.point.value = -5;
	assert_int_equal(dnp3_obj_encode(20, 5, &o, buf, sizeof(buf), 0), 4);
	assert_int_equal(buf[0] | buf[1] | buf[2] | buf[3], 0);

	/* g12v1 */
	o.crob = (struct dnp3_crob){ DNP3_CROB_OP_LATCH_OFF, 1, 100, 200,
	    DNP3_CS_SUCCESS };
	const uint8_t g12v1[] = { 0x04, 0x01, 0x64, 0, 0, 0, 0xC8, 0, 0, 0,
	    0x00 };
	assert_int_equal(dnp3_obj_encode(12, 1, &o, buf, sizeof(buf), 0), 11);
	assert_memory_equal(buf, g12v1, sizeof(g12v1));

	/* g41v2: int16 then status */
	o.aob = (struct dnp3_aob){ 513, DNP3_CS_NOT_SUPPORTED };
	const uint8_t g41v2[] = { 0x01, 0x02, 0x04 };
	assert_int_equal(dnp3_obj_encode(41, 2, &o, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, g41v2, sizeof(g41v2));

	/* g52v2: 16-bit ms */
	o.delay = 300;
	assert_int_equal(dnp3_obj_encode(52, 2, &o, buf, sizeof(buf), 0), 2);
	assert_int_equal(buf[0], 0x2C);
	assert_int_equal(buf[1], 0x01);
}

static void
time48_is_little_endian_48_bits(void **state)
{
	uint8_t b[8];
	union dnp3_obj o = { .time_ms = DNP3_TIME48_MAX + 1 };

	(void)state;
	memset(b, 0xEE, sizeof(b));
	dnp3_time48_put(b, 0x0102030405060708ULL);
	assert_int_equal(b[0], 0x08);
	assert_int_equal(b[5], 0x03);
	assert_int_equal(b[6], 0xEE);
	assert_true(dnp3_time48_get(b) == 0x030405060708ULL);
	/* a time object refuses what 48 bits cannot hold */
	assert_int_equal(dnp3_obj_encode(50, 1, &o, b, sizeof(b), 0),
	    DNP3_E_VALUE);
	o.time_ms = DNP3_TIME48_MAX;
	assert_int_equal(dnp3_obj_encode(50, 1, &o, b, sizeof(b), 0), 6);
	assert_int_equal(b[0] & b[1] & b[2] & b[3] & b[4] & b[5], 0xFF);
}

static void
analogs_saturate_with_over_range(void **state)
{
	union dnp3_obj o = { .point = { 40000, DNP3_FLAG_ONLINE, 0 } };
	union dnp3_obj back;
	uint8_t buf[16];
	bool over;

	(void)state;
	/* g30v2: 16-bit with flag */
	assert_int_equal(dnp3_obj_encode(30, 2, &o, buf, sizeof(buf), 0), 3);
	assert_int_equal(dnp3_obj_decode(30, 2, buf, 3, &back), 3);
	assert_true(back.point.value == 32767);
	assert_int_equal(back.point.flags,
	    DNP3_FLAG_ONLINE | DNP3_FLAG_OVER_RANGE);
	o.point.value = -40000;
	assert_int_equal(dnp3_obj_encode(30, 2, &o, buf, sizeof(buf), 0), 3);
	assert_int_equal(dnp3_obj_decode(30, 2, buf, 3, &back), 3);
	assert_true(back.point.value == -32768);
	assert_true(back.point.flags & DNP3_FLAG_OVER_RANGE);
	/* in range: no flag, rounded half away from zero */
	o.point.value = -2.5;
	assert_int_equal(dnp3_obj_encode(30, 1, &o, buf, sizeof(buf), 0), 5);
	assert_int_equal(dnp3_obj_decode(30, 1, buf, 5, &back), 5);
	assert_true(back.point.value == -3);
	assert_int_equal(back.point.flags, DNP3_FLAG_ONLINE);
	/* 32-bit limits */
	assert_int_equal(dnp3_analog_to_i32(3e9, &over), INT32_MAX);
	assert_true(over);
	assert_int_equal(dnp3_analog_to_i32(-3e9, &over), INT32_MIN);
	assert_true(over);
	assert_int_equal(dnp3_analog_to_i32(2147483647.0, &over), INT32_MAX);
	assert_false(over);
	assert_int_equal(dnp3_analog_to_i32(NAN, &over), 0);
	assert_true(over);
	assert_int_equal(dnp3_analog_to_i16(32767.4, &over), 32767);
	assert_false(over);
	assert_int_equal(dnp3_analog_to_i16(-32768.6, &over), -32768);
	assert_true(over);
	/* floats */
	assert_true(dnp3_analog_to_f32(1e300, &over) == FLT_MAX);
	assert_true(over);
	assert_true(dnp3_analog_to_f32(-1e300, &over) == -FLT_MAX);
	assert_true(over);
	assert_true(isinf(dnp3_analog_to_f32(INFINITY, &over)));
	assert_false(over);
	o.point.value = 1e300;
	assert_int_equal(dnp3_obj_encode(32, 7, &o, buf, sizeof(buf), 0), 11);
	assert_int_equal(dnp3_obj_decode(32, 7, buf, 11, &back), 11);
	assert_true(back.point.value == FLT_MAX);
	assert_true(back.point.flags & DNP3_FLAG_OVER_RANGE);
	/* g30v4 has no flag: clamped, indication lost */
	o.point.value = 1e6;
	assert_int_equal(dnp3_obj_encode(30, 4, &o, buf, sizeof(buf), 0), 2);
	assert_int_equal(dnp3_obj_decode(30, 4, buf, 2, &back), 2);
	assert_true(back.point.value == 32767);
	/* analog output block saturates too */
	o.aob = (struct dnp3_aob){ -1e12, 0 };
	assert_int_equal(dnp3_obj_encode(41, 1, &o, buf, sizeof(buf), 0), 5);
	assert_int_equal(dnp3_obj_decode(41, 1, buf, 5, &back), 5);
	assert_true(back.aob.value == INT32_MIN);
}

static void
relative_time_and_octets_are_checked(void **state)
{
	union dnp3_obj o = { .point = { 1, DNP3_FLAG_ONLINE, 5000 } };
	const uint8_t text[4] = "abcd";
	uint8_t buf[16];

	(void)state;
	/* before the CTO, or more than 65535 ms after it */
	assert_int_equal(dnp3_obj_encode(2, 3, &o, buf, sizeof(buf), 5001),
	    DNP3_E_VALUE);
	o.point.time_ms = 5000 + 65536;
	assert_int_equal(dnp3_obj_encode(2, 3, &o, buf, sizeof(buf), 5000),
	    DNP3_E_VALUE);
	o.point.time_ms = 5000 + 65535;
	assert_int_equal(dnp3_obj_encode(4, 3, &o, buf, sizeof(buf), 5000),
	    3);
	assert_int_equal(buf[1], 0xFF);
	assert_int_equal(buf[2], 0xFF);
	/* the octet string length must be the variation */
	o.octets = (struct dnp3_octets){ text, 4 };
	assert_int_equal(dnp3_obj_encode(110, 3, &o, buf, sizeof(buf), 0),
	    DNP3_E_VALUE);
	assert_int_equal(dnp3_obj_encode(110, 4, &o, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "abcd", 4);
	/* unknown objects */
	assert_int_equal(dnp3_obj_encode(30, 0, &o, buf, sizeof(buf), 0),
	    DNP3_E_OBJECT);
	assert_int_equal(dnp3_obj_decode(99, 1, buf, sizeof(buf), &o),
	    DNP3_E_OBJECT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_has_exactly_the_documented_objects),
		cmocka_unit_test(every_variation_round_trips),
		cmocka_unit_test(known_layouts),
		cmocka_unit_test(time48_is_little_endian_48_bits),
		cmocka_unit_test(analogs_saturate_with_over_range),
		cmocka_unit_test(relative_time_and_octets_are_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
