#ifndef DNP3D_DNP3_APP_BYTES_H
#define DNP3D_DNP3_APP_BYTES_H

/*
 * Little-endian field access for the application codec (internal to the
 * dnp3app library). Callers check the length before they call these.
 */
#include <stdint.h>
#include <string.h>

static inline uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t
get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void
put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* IEEE 754 binary32/binary64 travel as their bit patterns, little-endian. */
static inline float
get_f32(const uint8_t *p)
{
	uint32_t u = get_le32(p);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

static inline double
get_f64(const uint8_t *p)
{
	uint64_t u = get_le64(p);
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static inline void
put_f32(uint8_t *p, float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	put_le32(p, u);
}

static inline void
put_f64(uint8_t *p, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	put_le64(p, u);
}

#endif
