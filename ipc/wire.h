#ifndef DNP3D_IPC_WIRE_H
#define DNP3D_IPC_WIRE_H

/* Little-endian field access for the ipc records (no alignment needed). */
#include <stdint.h>

static inline void
wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
wire_put32(uint8_t *p, uint32_t v)
{
	wire_put16(p, (uint16_t)v);
	wire_put16(p + 2, (uint16_t)(v >> 16));
}

static inline uint16_t
wire_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
wire_get32(const uint8_t *p)
{
	return (uint32_t)wire_get16(p) | (uint32_t)wire_get16(p + 2) << 16;
}

#endif
