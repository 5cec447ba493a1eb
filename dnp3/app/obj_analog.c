/*
 * Analog inputs/outputs (g30 g32 g40 g42: [flags] value [time]) and the
 * analog output block (g41: value status), with the saturating
 * conversions documented in objects.h.
 */
#include <float.h>

#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"
#include "dnp3/app/obj_codecs.h"

enum width { W_I32, W_I16, W_F32, W_F64 };

static size_t
width_bytes(enum width w)
{
	switch (w) {
	case W_I16:
		return 2;
	case W_F64:
		return 8;
	default:
		return 4;
	}
}

/* Round half away from zero; the caller has checked the range. */
static double
round_half_away(double v)
{
	return v < 0 ? v - 0.5 : v + 0.5;
}

int32_t
dnp3_analog_to_i32(double v, bool *over)
{
	bool o;
	int32_t r = obj_analog_i32(v, &o);

	if (over != NULL)
		*over = o;
	return r;
}

int16_t
dnp3_analog_to_i16(double v, bool *over)
{
	bool o = true;
	int16_t r;

	if (v != v)
		r = 0;
	else if (v >= 32767.5)
		r = INT16_MAX;
	else if (v <= -32768.5)
		r = INT16_MIN;
	else {
		r = (int16_t)round_half_away(v);
		o = false;
	}
	if (over != NULL)
		*over = o;
	return r;
}

float
dnp3_analog_to_f32(double v, bool *over)
{
	bool o = false;
	float r;

	/* NaN and infinities compare false/true as intended below. */
	if (v > FLT_MAX && v <= DBL_MAX) {
		r = FLT_MAX;
		o = true;
	} else if (v < -FLT_MAX && v >= -DBL_MAX) {
		r = -FLT_MAX;
		o = true;
	} else
		r = (float)v;
	if (over != NULL)
		*over = o;
	return r;
}

/* Write v in the field at p; returns whether it was saturated. */
static bool
value_put(uint8_t *p, enum width w, double v)
{
	bool over = false;

	switch (w) {
	case W_I32:
		put_le32(p, (uint32_t)dnp3_analog_to_i32(v, &over));
		break;
	case W_I16:
		put_le16(p, (uint16_t)dnp3_analog_to_i16(v, &over));
		break;
	case W_F32:
		put_f32(p, dnp3_analog_to_f32(v, &over));
		break;
	case W_F64:
		put_f64(p, v);
		break;
	}
	return over;
}

static double
value_get(const uint8_t *p, enum width w)
{
	switch (w) {
	case W_I32:
		return (int32_t)get_le32(p);
	case W_I16:
		return (int16_t)get_le16(p);
	case W_F32:
		return get_f32(p);
	default:
		return get_f64(p);
	}
}

static int
analog_encode(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, enum width w)
{
	const struct dnp3_point_value *pv = &o->point;
	size_t off = d->has_flags ? 1 : 0;
	bool over;
	int r;

	if (d->kind == DNP3_K_AOB) {
		value_put(out, w, o->aob.value);
		out[width_bytes(w)] = o->aob.status & 0x7f;
		return (int)size;
	}
	/* most static objects carry no time: skip the call for them */
	if (d->time != DNP3_TIME_NONE && (r = obj_put_point_time(d,
	    out + off + width_bytes(w), pv->time_ms, 0)) != 0)
		return r;
	over = value_put(out + off, w, pv->value);
	if (d->has_flags)
		out[0] = (uint8_t)(pv->flags | (over ? DNP3_FLAG_OVER_RANGE : 0));
	return (int)size;
}

static int
analog_decode(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o, enum width w)
{
	struct dnp3_point_value *pv = &o->point;
	size_t off = d->has_flags ? 1 : 0;

	if (d->kind == DNP3_K_AOB) {
		o->aob.value = value_get(in, w);
		o->aob.status = in[width_bytes(w)] & 0x7f;
		return (int)size;
	}
	pv->flags = d->has_flags ? in[0] : DNP3_FLAG_ONLINE;
	pv->value = value_get(in + off, w);
	pv->time_ms = obj_get_point_time(d, in + off + width_bytes(w));
	return (int)size;
}

#define ANALOG_CODEC(name, w)						\
int									\
obj_enc_analog_##name(const struct dnp3_objdesc *d,			\
    const union dnp3_obj *o, uint8_t *out, size_t size, uint64_t cto)	\
{									\
	(void)cto;							\
	return analog_encode(d, o, out, size, w);			\
}									\
int									\
obj_dec_analog_##name(const struct dnp3_objdesc *d, const uint8_t *in,	\
    size_t size, union dnp3_obj *o)					\
{									\
	return analog_decode(d, in, size, o, w);			\
}

ANALOG_CODEC(i32, W_I32)
ANALOG_CODEC(i16, W_I16)
ANALOG_CODEC(f32, W_F32)
ANALOG_CODEC(f64, W_F64)

/* g41: the variation gives the value's width. */
static enum width
aob_width(uint8_t variation)
{
	switch (variation) {
	case 1:
		return W_I32;
	case 2:
		return W_I16;
	case 3:
		return W_F32;
	default:
		return W_F64;
	}
}

int
obj_enc_aob(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)cto_ms;
	return analog_encode(d, o, out, size, aob_width(d->variation));
}

int
obj_dec_aob(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o)
{
	return analog_decode(d, in, size, o, aob_width(d->variation));
}
