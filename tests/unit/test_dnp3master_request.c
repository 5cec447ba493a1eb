/*
 * The master's request builders: byte-exact fragments for every request
 * dnp3-master sends, and the errors for requests that cannot be made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dnp3/master/master.h"

static uint8_t buf[MASTER_REQ_MAX];

#define EXPECT(ret, ...) do {						\
	const uint8_t want_[] = { __VA_ARGS__ };			\
	assert_int_equal((ret), (int)sizeof(want_));			\
	assert_memory_equal(buf, want_, sizeof(want_));			\
} while (0)

static void
test_integrity(void **state)
{
	(void)state;
	EXPECT(master_req_integrity(buf, sizeof(buf), 0),
	    0xC0, 0x01, 0x3C, 0x02, 0x06, 0x3C, 0x03, 0x06, 0x3C, 0x04, 0x06,
	    0x3C, 0x01, 0x06);
	/* the sequence goes in the low 4 bits, higher bits are dropped */
	EXPECT(master_req_integrity(buf, sizeof(buf), 0x15),
	    0xC5, 0x01, 0x3C, 0x02, 0x06, 0x3C, 0x03, 0x06, 0x3C, 0x04, 0x06,
	    0x3C, 0x01, 0x06);
}

static void
test_classes(void **state)
{
	(void)state;
	EXPECT(master_req_classes(buf, sizeof(buf), 3, MASTER_CLASS1),
	    0xC3, 0x01, 0x3C, 0x02, 0x06);
	EXPECT(master_req_classes(buf, sizeof(buf), 4,
	    MASTER_CLASS3 | MASTER_CLASS0),
	    0xC4, 0x01, 0x3C, 0x04, 0x06, 0x3C, 0x01, 0x06);
	assert_int_equal(master_req_classes(buf, sizeof(buf), 0, 0),
	    DNP3_E_PARAM);
	assert_int_equal(master_req_classes(buf, sizeof(buf), 0, 0x10),
	    DNP3_E_PARAM);
}

static void
test_read(void **state)
{
	(void)state;
	EXPECT(master_req_read(buf, sizeof(buf), 1, 30, 1, false, 0, 0),
	    0xC1, 0x01, 0x1E, 0x01, 0x06);
	EXPECT(master_req_read(buf, sizeof(buf), 2, 1, 2, true, 0, 9),
	    0xC2, 0x01, 0x01, 0x02, 0x00, 0x00, 0x09);
	EXPECT(master_req_read(buf, sizeof(buf), 2, 30, 5, true, 3, 300),
	    0xC2, 0x01, 0x1E, 0x05, 0x01, 0x03, 0x00, 0x2C, 0x01);
	assert_int_equal(master_req_read(buf, sizeof(buf), 0, 30, 1, true,
	    5, 4), DNP3_E_RANGE);
	assert_int_equal(master_req_read(buf, sizeof(buf), 0, 30, 1, true,
	    0, 70000), DNP3_E_RANGE);
}

static void
test_crob(void **state)
{
	struct dnp3_crob c = { .count = 1, .on_ms = 100, .off_ms = 200 };

	(void)state;
	assert_int_equal(master_crob_code("latch_on", &c.code), 0);
	EXPECT(master_req_crob(buf, sizeof(buf), 0, DNP3_FC_DIRECT_OPERATE,
	    3, &c),
	    0xC0, 0x05, 0x0C, 0x01, 0x17, 0x01, 0x03,
	    0x03, 0x01, 0x64, 0x00, 0x00, 0x00, 0xC8, 0x00, 0x00, 0x00, 0x00);
	/* a status given by the caller is not sent; index > 255: 0x28 */
	c.status = DNP3_CS_LOCAL;
	assert_int_equal(master_crob_code("trip", &c.code), 0);
	EXPECT(master_req_crob(buf, sizeof(buf), 7, DNP3_FC_SELECT, 300, &c),
	    0xC7, 0x03, 0x0C, 0x01, 0x28, 0x01, 0x00, 0x2C, 0x01,
	    0x81, 0x01, 0x64, 0x00, 0x00, 0x00, 0xC8, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(master_req_crob(buf, sizeof(buf), 0, DNP3_FC_READ,
	    0, &c), DNP3_E_PARAM);
	assert_int_equal(master_req_crob(buf, 10, 0, DNP3_FC_OPERATE, 0, &c),
	    DNP3_E_NOSPACE);
}

static void
test_crob_codes(void **state)
{
	uint8_t code = 0xEE;

	(void)state;
	assert_int_equal(master_crob_code("latch_off", &code), 0);
	assert_int_equal(code, 0x04);
	assert_int_equal(master_crob_code("pulse_on", &code), 0);
	assert_int_equal(code, 0x01);
	assert_int_equal(master_crob_code("pulse_off", &code), 0);
	assert_int_equal(code, 0x02);
	assert_int_equal(master_crob_code("close", &code), 0);
	assert_int_equal(code, 0x41);
	assert_int_equal(master_crob_code("open", &code), -1);
	assert_int_equal(code, 0x41);
	assert_string_equal(master_crob_op_name(0x81), "TRIP");
	assert_string_equal(master_crob_op_name(0x03), "LATCH_ON");
}

static void
test_analog(void **state)
{
	(void)state;
	EXPECT(master_req_analog(buf, sizeof(buf), 0, DNP3_FC_DIRECT_OPERATE,
	    1, 1, 1234),
	    0xC0, 0x05, 0x29, 0x01, 0x17, 0x01, 0x01,
	    0xD2, 0x04, 0x00, 0x00, 0x00);
	EXPECT(master_req_analog(buf, sizeof(buf), 1, DNP3_FC_OPERATE,
	    2, 2, -2),
	    0xC1, 0x04, 0x29, 0x02, 0x17, 0x01, 0x02, 0xFE, 0xFF, 0x00);
	EXPECT(master_req_analog(buf, sizeof(buf), 2, DNP3_FC_SELECT,
	    0, 3, 1.5),
	    0xC2, 0x03, 0x29, 0x03, 0x17, 0x01, 0x00,
	    0x00, 0x00, 0xC0, 0x3F, 0x00);
	EXPECT(master_req_analog(buf, sizeof(buf), 3, DNP3_FC_DIRECT_OPERATE,
	    0, 4, 1.5),
	    0xC3, 0x05, 0x29, 0x04, 0x17, 0x01, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F, 0x00);
	assert_int_equal(master_req_analog(buf, sizeof(buf), 0,
	    DNP3_FC_OPERATE, 0, 5, 1), DNP3_E_OBJECT);
	assert_int_equal(master_req_analog(buf, sizeof(buf), 0,
	    DNP3_FC_OPERATE, 0, 0, 1), DNP3_E_OBJECT);
}

static void
test_time(void **state)
{
	(void)state;
	/* 2023-11-14T22:13:20Z = 1700000000000 ms = 0x018BCFE56800 */
	EXPECT(master_req_write_time(buf, sizeof(buf), 4, 1700000000000ULL),
	    0xC4, 0x02, 0x32, 0x01, 0x07, 0x01,
	    0x00, 0x68, 0xE5, 0xCF, 0x8B, 0x01);
	EXPECT(master_req_write_recorded_time(buf, sizeof(buf), 5,
	    1700000000000ULL),
	    0xC5, 0x02, 0x32, 0x03, 0x07, 0x01,
	    0x00, 0x68, 0xE5, 0xCF, 0x8B, 0x01);
	assert_int_equal(master_req_write_time(buf, sizeof(buf), 0,
	    DNP3_TIME48_MAX + 1), DNP3_E_VALUE);
	EXPECT(master_req_func(buf, sizeof(buf), 6, DNP3_FC_RECORD_CURRENT_TIME),
	    0xC6, 0x18);
	EXPECT(master_req_func(buf, sizeof(buf), 6, DNP3_FC_DELAY_MEASURE),
	    0xC6, 0x17);
}

static void
test_restart_and_iin(void **state)
{
	(void)state;
	EXPECT(master_req_func(buf, sizeof(buf), 0, DNP3_FC_COLD_RESTART),
	    0xC0, 0x0D);
	EXPECT(master_req_func(buf, sizeof(buf), 9, DNP3_FC_WARM_RESTART),
	    0xC9, 0x0E);
	assert_int_equal(master_req_func(buf, sizeof(buf), 0,
	    DNP3_FC_RESPONSE), DNP3_E_PARAM);
	assert_int_equal(master_req_func(buf, 1, 0, DNP3_FC_COLD_RESTART),
	    DNP3_E_NOSPACE);
	EXPECT(master_req_clear_restart(buf, sizeof(buf), 2),
	    0xC2, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
}

static void
test_unsolicited(void **state)
{
	(void)state;
	EXPECT(master_req_unsolicited(buf, sizeof(buf), 1, true,
	    MASTER_CLASS_EVENTS),
	    0xC1, 0x14, 0x3C, 0x02, 0x06, 0x3C, 0x03, 0x06, 0x3C, 0x04, 0x06);
	EXPECT(master_req_unsolicited(buf, sizeof(buf), 2, false,
	    MASTER_CLASS2),
	    0xC2, 0x15, 0x3C, 0x03, 0x06);
	assert_int_equal(master_req_unsolicited(buf, sizeof(buf), 0, true,
	    MASTER_CLASS0 | MASTER_CLASS1), DNP3_E_PARAM);
}

static void
test_confirm(void **state)
{
	(void)state;
	EXPECT(master_req_confirm(buf, sizeof(buf), 3, false), 0xC3, 0x00);
	EXPECT(master_req_confirm(buf, sizeof(buf), 3, true), 0xD3, 0x00);
}

static void
test_names(void **state)
{
	char s[64];

	(void)state;
	assert_string_equal(master_iin_name(DNP3_IIN1_DEVICE_RESTART),
	    "DEVICE_RESTART");
	assert_string_equal(master_iin_name(DNP3_IIN2_OBJECT_UNKNOWN),
	    "OBJECT_UNKNOWN");
	assert_null(master_iin_name(0x0003));
	master_flags_str(DNP3_K_ANALOG, 0x21, ' ', s, sizeof(s));
	assert_string_equal(s, "ONLINE OVER_RANGE");
	master_flags_str(DNP3_K_COUNTER, 0x42, ',', s, sizeof(s));
	assert_string_equal(s, "RESTART,DISCONTINUITY");
	master_flags_str(DNP3_K_BINARY, 0x00, ',', s, sizeof(s));
	assert_string_equal(s, "");
	master_flags_str(DNP3_K_BINARY, 0x1f, ',', s, 12);
	assert_string_equal(s, "ONLINE");	/* truncated at a name */
	master_flags_str(DNP3_K_BINARY, 0x03, ',', s, 15);
	assert_string_equal(s, "ONLINE,RESTART");	/* just fits */
	assert_string_equal(master_status_name(DNP3_CS_NOT_SUPPORTED),
	    "NOT_SUPPORTED");
	assert_string_equal(master_status_name(200), "UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integrity),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_crob),
		cmocka_unit_test(test_crob_codes),
		cmocka_unit_test(test_analog),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_restart_and_iin),
		cmocka_unit_test(test_unsolicited),
		cmocka_unit_test(test_confirm),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
