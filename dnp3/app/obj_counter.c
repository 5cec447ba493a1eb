/*
 * Counters and frozen counters (g20 g21 g22 g23): [flags] value [time],
 * 32- or 16-bit values. Values roll over: taken modulo the field width.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"
#include "dnp3/app/obj_codecs.h"

/* The count as an integer: negative/NaN is 0, >= 2^64 saturates. */
static uint64_t
counter_u64(double v)
{
	if (!(v >= 0))
		return 0;
	if (v >= 18446744073709551616.0)
		return UINT64_MAX;
	return (uint64_t)v;
}

static int
counter_encode(const struct dnp3_objdesc *d, const struct dnp3_point_value *pv,
    uint8_t *out, size_t size, size_t width)
{
	size_t off = d->has_flags ? 1 : 0;
	uint64_t count = counter_u64(pv->value);
	int r;

	/* most static objects carry no time: skip the call for them */
	if (d->time != DNP3_TIME_NONE && (r = obj_put_point_time(d,
	    out + off + width, pv->time_ms, 0)) != 0)
		return r;
	if (d->has_flags)
		out[0] = pv->flags;
	if (width == 4)
		put_le32(out + off, (uint32_t)count);
	else
		put_le16(out + off, (uint16_t)count);
	return (int)size;
}

static int
counter_decode(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    struct dnp3_point_value *pv, size_t width)
{
	size_t off = d->has_flags ? 1 : 0;

	pv->flags = d->has_flags ? in[0] : DNP3_FLAG_ONLINE;
	pv->value = width == 4 ? get_le32(in + off) : get_le16(in + off);
	pv->time_ms = obj_get_point_time(d, in + off + width);
	return (int)size;
}

int
obj_enc_counter32(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)cto_ms;
	return counter_encode(d, &o->point, out, size, 4);
}

int
obj_dec_counter32(const struct dnp3_objdesc *d, const uint8_t *in,
    size_t size, union dnp3_obj *o)
{
	return counter_decode(d, in, size, &o->point, 4);
}

int
obj_enc_counter16(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)cto_ms;
	return counter_encode(d, &o->point, out, size, 2);
}

int
obj_dec_counter16(const struct dnp3_objdesc *d, const uint8_t *in,
    size_t size, union dnp3_obj *o)
{
	return counter_decode(d, in, size, &o->point, 2);
}
