/*
 * Application headers, function codes, control octet, IIN wire order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/app/app.h"

static void
request_header_parses(void **state)
{
	const uint8_t frag[] = { 0xC3, 0x01, 0x3C, 0x02, 0x06 };
	struct dnp3_app_header h;

	(void)state;
	assert_int_equal(dnp3_app_header_parse(frag, sizeof(frag), &h), 2);
	assert_int_equal(h.control, 0xC3);
	assert_true(h.control & DNP3_AC_FIR);
	assert_true(h.control & DNP3_AC_FIN);
	assert_false(h.control & DNP3_AC_CON);
	assert_int_equal(h.control & DNP3_AC_SEQ_MASK, 3);
	assert_int_equal(h.func, DNP3_FC_READ);
	assert_int_equal(h.iin, 0);
}

static void
response_header_parses_iin(void **state)
{
	/* IIN1.7 device restart, IIN2.1 object unknown */
	const uint8_t frag[] = { 0xE0, 0x81, 0x80, 0x02 };
	struct dnp3_app_header h;

	(void)state;
	assert_int_equal(dnp3_app_header_parse(frag, sizeof(frag), &h), 4);
	assert_int_equal(h.func, DNP3_FC_RESPONSE);
	assert_int_equal(h.iin,
	    DNP3_IIN1_DEVICE_RESTART | DNP3_IIN2_OBJECT_UNKNOWN);
}

static void
short_headers_are_rejected(void **state)
{
	const uint8_t req[] = { 0xC0 };
	const uint8_t rsp[] = { 0xC0, 0x82, 0x00 };
	struct dnp3_app_header h;

	(void)state;
	assert_int_equal(dnp3_app_header_parse(req, 0, &h), DNP3_E_HDR_SHORT);
	assert_int_equal(dnp3_app_header_parse(req, 1, &h), DNP3_E_HDR_SHORT);
	assert_int_equal(dnp3_app_header_parse(NULL, 4, &h),
	    DNP3_E_HDR_SHORT);
	/* an unsolicited response needs its IIN */
	assert_int_equal(dnp3_app_header_parse(rsp, sizeof(rsp), &h),
	    DNP3_E_HDR_SHORT);
}

static void
unknown_function_parses_but_is_not_known(void **state)
{
	const uint8_t frag[] = { 0xC0, 0x50 };
	struct dnp3_app_header h;

	(void)state;
	assert_int_equal(dnp3_app_header_parse(frag, sizeof(frag), &h), 2);
	assert_int_equal(h.func, 0x50);
	assert_string_equal(dnp3_func_name(0x50), "UNKNOWN");
}

static void
function_codes_have_wire_values_and_names(void **state)
{
	(void)state;
	assert_int_equal(DNP3_FC_DIRECT_OPERATE_NR, 6);
	assert_int_equal(DNP3_FC_FREEZE_AT_TIME_NR, 12);
	assert_int_equal(DNP3_FC_INITIALIZE_DATA, 15);
	assert_int_equal(DNP3_FC_ENABLE_UNSOLICITED, 20);
	assert_int_equal(DNP3_FC_ASSIGN_CLASS, 22);
	assert_int_equal(DNP3_FC_DELAY_MEASURE, 23);
	assert_string_equal(dnp3_func_name(0), "CONFIRM");
	assert_string_equal(dnp3_func_name(5), "DIRECT_OPERATE");
	assert_string_equal(dnp3_func_name(13), "COLD_RESTART");
	assert_string_equal(dnp3_func_name(21), "DISABLE_UNSOLICITED");
	assert_string_equal(dnp3_func_name(24), "RECORD_CURRENT_TIME");
	assert_string_equal(dnp3_func_name(129), "RESPONSE");
	assert_string_equal(dnp3_func_name(130), "UNSOLICITED_RESPONSE");
}

static void
object_data_depends_on_function(void **state)
{
	(void)state;
	assert_false(dnp3_func_has_object_data(DNP3_FC_READ));
	assert_false(dnp3_func_has_object_data(DNP3_FC_IMMED_FREEZE));
	assert_false(dnp3_func_has_object_data(DNP3_FC_ASSIGN_CLASS));
	assert_false(dnp3_func_has_object_data(DNP3_FC_ENABLE_UNSOLICITED));
	assert_true(dnp3_func_has_object_data(DNP3_FC_WRITE));
	assert_true(dnp3_func_has_object_data(DNP3_FC_SELECT));
	assert_true(dnp3_func_has_object_data(DNP3_FC_OPERATE));
	assert_true(dnp3_func_has_object_data(DNP3_FC_DIRECT_OPERATE_NR));
	assert_true(dnp3_func_has_object_data(DNP3_FC_FREEZE_AT_TIME));
	assert_true(dnp3_func_has_object_data(DNP3_FC_RESPONSE));
	assert_true(dnp3_func_has_object_data(
	    DNP3_FC_UNSOLICITED_RESPONSE));
}

static void
headers_write_in_wire_order(void **state)
{
	uint8_t buf[8];
	struct dnp3_app_header h = {
		.control = dnp3_app_control(true, true, true, true, 0x1a),
		.func = DNP3_FC_UNSOLICITED_RESPONSE,
		.iin = DNP3_IIN1_NEED_TIME | DNP3_IIN2_NO_FUNC_CODE_SUPPORT,
	};
	const uint8_t want[] = { 0xFA, 0x82, 0x10, 0x01 };

	(void)state;
	memset(buf, 0xEE, sizeof(buf));
	assert_int_equal(dnp3_app_header_write(buf, sizeof(buf), &h), 4);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[4], 0xEE);

	/* a request has no IIN: 2 bytes */
	h.control = dnp3_app_control(true, true, false, false, 5);
	h.func = DNP3_FC_DIRECT_OPERATE;
	assert_int_equal(dnp3_app_header_write(buf, sizeof(buf), &h), 2);
	assert_int_equal(buf[0], 0xC5);
	assert_int_equal(buf[1], 0x05);

	/* too small: nothing written */
	memset(buf, 0xEE, sizeof(buf));
	h.func = DNP3_FC_RESPONSE;
	assert_int_equal(dnp3_app_header_write(buf, 3, &h), DNP3_E_NOSPACE);
	assert_int_equal(buf[0], 0xEE);
}

static void
iin_bits_match_the_standard(void **state)
{
	(void)state;
	assert_int_equal(DNP3_IIN1_BROADCAST, 1 << 0);
	assert_int_equal(DNP3_IIN1_CLASS3_EVENTS, 1 << 3);
	assert_int_equal(DNP3_IIN1_DEVICE_TROUBLE, 1 << 6);
	assert_int_equal(DNP3_IIN1_DEVICE_RESTART, 1 << 7);
	assert_int_equal(DNP3_IIN2_NO_FUNC_CODE_SUPPORT, 1 << 8);
	assert_int_equal(DNP3_IIN2_PARAMETER_ERROR, 1 << 10);
	assert_int_equal(DNP3_IIN2_EVENT_BUFFER_OVERFLOW, 1 << 11);
	assert_int_equal(DNP3_IIN2_ALREADY_EXECUTING, 1 << 12);
	assert_int_equal(DNP3_IIN2_CONFIG_CORRUPT, 1 << 13);
}

static void
every_error_has_its_own_message(void **state)
{
	int e, f;

	(void)state;
	for (e = DNP3_E_PARAM; e <= DNP3_E_HDR_SHORT; e++) {
		assert_string_not_equal(dnp3_app_strerror(e), "unknown error");
		for (f = e + 1; f <= DNP3_E_HDR_SHORT; f++)
			assert_string_not_equal(dnp3_app_strerror(e),
			    dnp3_app_strerror(f));
	}
	assert_string_equal(dnp3_app_strerror(-99), "unknown error");
	assert_string_equal(dnp3_app_strerror(DNP3_E_OVERRUN),
	    "objects extend past the end of the fragment");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_header_parses),
		cmocka_unit_test(response_header_parses_iin),
		cmocka_unit_test(short_headers_are_rejected),
		cmocka_unit_test(unknown_function_parses_but_is_not_known),
		cmocka_unit_test(function_codes_have_wire_values_and_names),
		cmocka_unit_test(object_data_depends_on_function),
		cmocka_unit_test(headers_write_in_wire_order),
		cmocka_unit_test(iin_bits_match_the_standard),
		cmocka_unit_test(every_error_has_its_own_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
