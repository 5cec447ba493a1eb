#ifndef DNP3D_DNP3_APP_BYTES_H
#define DNP3D_DNP3_APP_BYTES_H

/*
 * Little-endian field access for the application codec (internal to the
 * dnp3app library): the integers of le.h and IEEE 754 floats.
 * Callers check the length before they call these.
 */
#include <stdint.h>
#include <string.h>

#include "dnp3/app/le.h"

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
