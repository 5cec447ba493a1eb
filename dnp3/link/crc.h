#ifndef DNP3D_DNP3_CRC_H
#define DNP3D_DNP3_CRC_H

/*
 * CRC-16/DNP: polynomial 0x3D65 (reflected 0xA6BC), initial value 0,
 * final complement. On the wire the CRC follows the bytes it covers,
 * low byte first.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRC_DNP_LEN	2

/* The CRC itself: for the known-answer vectors of test_dnp3link_crc. */
uint16_t crc_dnp(const uint8_t *p, size_t len);

/* Writes crc_dnp(p, len) little-endian at p[len] and p[len + 1]. */
void	 crc_dnp_append(uint8_t *p, size_t len);

/*
 * Copies len bytes from src to dst and writes their CRC at dst[len] and
 * dst[len + 1] (the link encoder's data blocks).
 * dst and src do not overlap.
 */
void	 crc_dnp_copy_append(uint8_t *dst, const uint8_t *src, size_t len);

/* True when p[len], p[len + 1] hold crc_dnp(p, len), little-endian. */
bool	 crc_dnp_check(const uint8_t *p, size_t len);

#endif
