/*
 * Time: the 48-bit DNP3 time, time objects (g50v1 g50v3, CTO g51v1
 * g51v2), time delay (g52v1 g52v2) and the times inside point objects.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"
#include "dnp3/app/obj_codecs.h"

void
dnp3_time48_put(uint8_t *p, uint64_t ms)
{
	put_le32(p, (uint32_t)ms);
	put_le16(p + 4, (uint16_t)(ms >> 32));
}

uint64_t
dnp3_time48_get(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le16(p + 4) << 32;
}

int
obj_put_point_time(const struct dnp3_objdesc *d, uint8_t *p,
    uint64_t time_ms, uint64_t cto_ms)
{
	switch (d->time) {
	case DNP3_TIME_ABS:
		dnp3_time48_put(p, time_ms);
		return 0;
	case DNP3_TIME_REL:
		if (time_ms < cto_ms || time_ms - cto_ms > UINT16_MAX)
			return DNP3_E_VALUE;
		put_le16(p, (uint16_t)(time_ms - cto_ms));
		return 0;
	default:
		return 0;
	}
}

uint64_t
obj_get_point_time(const struct dnp3_objdesc *d, const uint8_t *p)
{
	switch (d->time) {
	case DNP3_TIME_ABS:
		return dnp3_time48_get(p);
	case DNP3_TIME_REL:
		return get_le16(p);
	default:
		return 0;
	}
}

int
obj_enc_time(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)d;
	(void)cto_ms;
	if (o->time_ms > DNP3_TIME48_MAX)
		return DNP3_E_VALUE;
	dnp3_time48_put(out, o->time_ms);
	return (int)size;
}

int
obj_dec_time(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o)
{
	(void)d;
	o->time_ms = dnp3_time48_get(in);
	return (int)size;
}

int
obj_enc_time_interval(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)d;
	(void)cto_ms;
	if (o->interval.time_ms > DNP3_TIME48_MAX)
		return DNP3_E_VALUE;
	dnp3_time48_put(out, o->interval.time_ms);
	put_le32(out + 6, o->interval.interval_ms);
	return (int)size;
}

int
obj_dec_time_interval(const struct dnp3_objdesc *d, const uint8_t *in,
    size_t size, union dnp3_obj *o)
{
	(void)d;
	o->interval.time_ms = dnp3_time48_get(in);
	o->interval.interval_ms = get_le32(in + 6);
	return (int)size;
}

int
obj_enc_delay(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)d;
	(void)cto_ms;
	put_le16(out, o->delay);
	return (int)size;
}

int
obj_dec_delay(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o)
{
	(void)d;
	o->delay = get_le16(in);
	return (int)size;
}
