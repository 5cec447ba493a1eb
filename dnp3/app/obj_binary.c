/*
 * Binary and double-bit objects with a flag octet: g1v2 g2v1-3 g3v2
 * g4v1-3 g10v2 g11v1-2. The state lives in the top bit(s) of the flag
 * octet; an optional time follows.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/obj_codecs.h"

/* Double-bit state of a value: 0..3, anything else indeterminate. */
static uint8_t
dbit_state(double v)
{
	if (v >= 0 && v < 4)
		return (uint8_t)v;
	return DNP3_DBIT_INDETERMINATE;
}

int
obj_enc_binary(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	const struct dnp3_point_value *pv = &o->point;
	uint8_t octet;
	int r;

	if (d->kind == DNP3_K_DBIT)
		octet = (uint8_t)((pv->flags & ~DNP3_FLAG_DBIT_MASK) |
		    dbit_state(pv->value) << 6);
	else
		octet = (uint8_t)((pv->flags & ~DNP3_FLAG_STATE) |
		    (pv->value != 0 ? DNP3_FLAG_STATE : 0));
	/* most static objects carry no time: skip the call for them */
	if (d->time != DNP3_TIME_NONE &&
	    (r = obj_put_point_time(d, out + 1, pv->time_ms, cto_ms)) != 0)
		return r;
	out[0] = octet;
	return (int)size;
}

int
obj_dec_binary(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o)
{
	struct dnp3_point_value *pv = &o->point;

	if (d->kind == DNP3_K_DBIT) {
		pv->value = in[0] >> 6;
		pv->flags = in[0] & ~DNP3_FLAG_DBIT_MASK;
	} else {
		pv->value = (in[0] & DNP3_FLAG_STATE) ? 1 : 0;
		pv->flags = in[0] & ~DNP3_FLAG_STATE;
	}
	pv->time_ms = obj_get_point_time(d, in + 1);
	return (int)size;
}
