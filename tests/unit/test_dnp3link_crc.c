/* CRC-16/DNP against published vectors and the bytes it puts on the wire. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dnp3/link/crc.h"

/* The catalogue check value of CRC-16/DNP: crc("123456789") = 0xEA82. */
static void
test_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc_dnp((const uint8_t *)"123456789", 9), 0xEA82);
}

/* No bytes: init 0, complemented. */
static void
test_empty(void **state)
{
	(void)state;
	assert_int_equal(crc_dnp(NULL, 0), 0xFFFF);
}

/* Headers of frames published in DNP3 documentation, CRC low byte first. */
static void
test_known_headers(void **state)
{
	static const struct {
		uint8_t hdr[8];
		uint8_t crc[2];
	} v[] = {
		/* reset link states, master 1024 -> outstation 1 */
		{ { 0x05, 0x64, 0x05, 0xC0, 0x01, 0x00, 0x00, 0x04 }, { 0xE9, 0x21 } },
		/* ACK, outstation 1 -> master 1024 */
		{ { 0x05, 0x64, 0x05, 0x00, 0x00, 0x04, 0x01, 0x00 }, { 0x19, 0xA6 } },
		/* ACK, 1024 -> 1 with DIR set */
		{ { 0x05, 0x64, 0x05, 0x80, 0x01, 0x00, 0x00, 0x04 }, { 0x53, 0x11 } },
		/* confirmed user data header, LEN 0x53 */
		{ { 0x05, 0x64, 0x53, 0x73, 0x00, 0x04, 0x01, 0x00 }, { 0x03, 0xFC } },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t buf[10];
		memcpy(buf, v[i].hdr, 8);
		crc_dnp_append(buf, 8);
		assert_memory_equal(buf + 8, v[i].crc, 2);
		assert_true(crc_dnp_check(buf, 8));
	}
}

/* Any single bit flipped in data or CRC fails the check. */
static void
test_every_bit_flip_detected(void **state)
{
	uint8_t buf[18];
	(void)state;
	for (size_t i = 0; i < 16; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	crc_dnp_append(buf, 16);
	assert_true(crc_dnp_check(buf, 16));
	for (size_t bit = 0; bit < sizeof(buf) * 8; bit++) {
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_false(crc_dnp_check(buf, 16));
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	assert_true(crc_dnp_check(buf, 16));
}

/* CRC-16/DNP one bit at a time, straight from the polynomial. */
static uint16_t
crc_bitwise(const uint8_t *p, size_t len)
{
	uint16_t crc = 0;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA6BC) :
			    (uint16_t)(crc >> 1);
	}
	return (uint16_t)~crc;
}

/*
 * The sliced tables against the bitwise definition: every length from 0
 * to 300 (whole rounds of eight and every remainder) at every alignment,
 * over bytes that reach every table entry.
 */
static void
test_sliced_matches_bitwise(void **state)
{
	static uint8_t buf[300 + 8];
	uint32_t x = 0x12345678;
	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len <= 300; len++)
			assert_int_equal(crc_dnp(buf + off, len),
			    crc_bitwise(buf + off, len));
}

/* The copying form writes the same bytes and CRC as copy, then append. */
static void
test_copy_append(void **state)
{
	uint8_t src[40], a[42], b[42];
	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(0xA5 ^ i * 29);
	for (size_t len = 0; len <= sizeof(src); len++) {
		memset(a, 0xEE, sizeof(a));
		memset(b, 0xEE, sizeof(b));
		memcpy(a, src, len);
		crc_dnp_append(a, len);
		crc_dnp_copy_append(b, src, len);
		assert_memory_equal(a, b, sizeof(a));
		assert_true(crc_dnp_check(b, len));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_known_headers),
		cmocka_unit_test(test_every_bit_flip_detected),
		cmocka_unit_test(test_sliced_matches_bitwise),
		cmocka_unit_test(test_copy_append),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
