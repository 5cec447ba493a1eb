/* Link frame encoder: exact bytes, block CRCs, sizes and limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dnp3/link/crc.h"
#include "dnp3/link/link.h"

static void
test_request_link_status_bytes(void **state)
{
	static const uint8_t want[] = {
		0x05, 0x64, 0x05, 0xC9, 0x01, 0x00, 0x00, 0x04, 0xA6, 0x57 };
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_REQUEST_LINK_STATUS, .dest = 1, .src = 1024 };
	uint8_t out[LINK_MAX_FRAME];
	(void)state;
	assert_int_equal(link_frame_encode(out, sizeof(out), &h, NULL, 0), 10);
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_reset_link_states_bytes(void **state)
{
	static const uint8_t want[] = {
		0x05, 0x64, 0x05, 0xC0, 0x01, 0x00, 0x00, 0x04, 0xE9, 0x21 };
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_RESET_LINK_STATES, .dest = 1, .src = 1024 };
	uint8_t out[10];
	(void)state;
	assert_int_equal(link_frame_encode(out, sizeof(out), &h, NULL, 0), 10);
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_ctrl_round_trip(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++) {
		struct link_header h;
		link_ctrl_decode((uint8_t)c, &h);
		assert_int_equal(link_ctrl_encode(&h), c);
	}
	struct link_header h;
	link_ctrl_decode(0xF3, &h);
	assert_true(h.dir && h.prm && h.fcb && h.fcv);
	assert_int_equal(h.func, LINK_PRI_CONFIRMED_USER_DATA);
	link_ctrl_decode(0x0B, &h);
	assert_false(h.dir || h.prm || h.fcb || h.fcv);
	assert_int_equal(h.func, LINK_SEC_LINK_STATUS);
}

static void
test_sizes(void **state)
{
	(void)state;
	assert_int_equal(link_frame_size(0), 10);
	assert_int_equal(link_frame_size(1), 13);
	assert_int_equal(link_frame_size(16), 28);
	assert_int_equal(link_frame_size(17), 31);
	assert_int_equal(link_frame_size(250), LINK_MAX_FRAME);
}

/* 17 bytes: one full block and its CRC, then one byte and its CRC. */
static void
test_block_layout(void **state)
{
	uint8_t data[17], out[64];
	struct link_header h = { .prm = true,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA, .dest = 1024, .src = 1 };
	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(link_frame_encode(out, sizeof(out), &h, data, 17), 31);
	assert_int_equal(out[2], 5 + 17);
	assert_int_equal(out[3], 0x44);
	assert_int_equal(out[4], 0x00);
	assert_int_equal(out[5], 0x04);
	assert_true(crc_dnp_check(out, 8));
	assert_memory_equal(out + 10, data, 16);
	assert_true(crc_dnp_check(out + 10, 16));
	assert_int_equal(out[28], data[16]);
	assert_true(crc_dnp_check(out + 28, 1));
}

static void
test_max_and_limits(void **state)
{
	uint8_t data[LINK_MAX_USER_DATA + 1], out[LINK_MAX_FRAME + 16];
	struct link_header h = { .prm = true,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA, .dest = 3, .src = 4 };
	(void)state;
	memset(data, 0x5A, sizeof(data));
	assert_int_equal(link_frame_encode(out, sizeof(out), &h, data, 250),
	    LINK_MAX_FRAME);
	assert_int_equal(out[2], 255);
	/* last block: 250 = 15 * 16 + 10 */
	assert_true(crc_dnp_check(out + LINK_MAX_FRAME - 12, 10));

	assert_int_equal(link_frame_encode(out, sizeof(out), &h, data, 251), -1);
	memset(out, 0xEE, sizeof(out));
	assert_int_equal(link_frame_encode(out, 30, &h, data, 17), -1);
	assert_int_equal(out[0], 0xEE);	/* untouched */
	assert_int_equal(link_frame_encode(out, sizeof(out), &h, NULL, 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_link_status_bytes),
		cmocka_unit_test(test_reset_link_states_bytes),
		cmocka_unit_test(test_ctrl_round_trip),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_block_layout),
		cmocka_unit_test(test_max_and_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
