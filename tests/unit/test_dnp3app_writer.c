/*
 * Response writer: exact bytes of known responses, "does not fit"
 * handling that leaves a whole fragment, never a byte past the tx size,
 * and what the parser reads back from what the writer wrote.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/app/app.h"

#define GUARD	0xA5

static union dnp3_obj
point(double v, uint8_t flags, uint64_t t)
{
	union dnp3_obj o = { .point = { v, flags, t } };

	return o;
}

static void
response_with_g30v1(void **state)
{
	const uint8_t want[] = { 0xC0, 0x81, 0x00, 0x00, 0x1E, 0x01, 0x00,
	    0x03, 0x04, 0x01, 0x39, 0x30, 0x00, 0x00, 0x21, 0xC8, 0xFF,
	    0xFF, 0xFF };
	uint8_t buf[300];
	struct dnp3_writer w;
	union dnp3_obj o;

	(void)state;
	assert_int_equal(dnp3_writer_init(&w, buf, 249), 0);
	assert_int_equal(dnp3_writer_start(&w, DNP3_FC_RESPONSE,
	    dnp3_app_control(true, true, false, false, 0)), 0);
	assert_int_equal(dnp3_writer_begin(&w, 30, 1, DNP3_Q_START_STOP_8,
	    3), 0);
	o = point(12345, DNP3_FLAG_ONLINE, 0);
	assert_int_equal(dnp3_writer_add(&w, 3, &o), 0);
	o = point(-56, DNP3_FLAG_ONLINE | DNP3_FLAG_OVER_RANGE, 0);
	assert_int_equal(dnp3_writer_add(&w, 4, &o), 0);
	assert_int_equal(dnp3_writer_len(&w), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(dnp3_writer_room(&w), 249 - sizeof(want));

	dnp3_writer_set_iin(&w, DNP3_IIN1_DEVICE_RESTART |
	    DNP3_IIN2_PARAMETER_ERROR);
	dnp3_writer_set_control(&w, 0xE5);
	assert_int_equal(buf[0], 0xE5);
	assert_int_equal(buf[2], 0x80);
	assert_int_equal(buf[3], 0x04);
}

static void
start_stop_needs_the_next_index(void **state)
{
	uint8_t buf[64];
	struct dnp3_writer w;
	union dnp3_obj o = point(1, DNP3_FLAG_ONLINE, 0);

	(void)state;
	dnp3_writer_init(&w, buf, sizeof(buf));
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0);
	assert_int_equal(dnp3_writer_begin(&w, 1, 2, DNP3_Q_START_STOP_8,
	    254), 0);
	assert_int_equal(dnp3_writer_add(&w, 253, &o), DNP3_E_INDEX);
	assert_int_equal(dnp3_writer_add(&w, 254, &o), 0);
	assert_int_equal(dnp3_writer_add(&w, 256, &o), DNP3_E_INDEX);
	assert_int_equal(dnp3_writer_add(&w, 255, &o), 0);
	/* an 8-bit stop cannot pass 255 */
	assert_int_equal(dnp3_writer_add(&w, 256, &o), DNP3_E_INDEX);
	assert_int_equal(dnp3_writer_begin(&w, 1, 2, DNP3_Q_START_STOP_8,
	    256), DNP3_E_INDEX);
	assert_int_equal(dnp3_writer_begin(&w, 1, 2, DNP3_Q_START_STOP_16,
	    256), 0);
	assert_int_equal(dnp3_writer_add(&w, 256, &o), 0);
	const uint8_t want[] = { 0x01, 0x02, 0x00, 0xFE, 0xFF, 0x81, 0x81,
	    0x01, 0x02, 0x01, 0x00, 0x01, 0x00, 0x01, 0x81 };
	assert_int_equal(dnp3_writer_len(&w), 4 + sizeof(want));
	assert_memory_equal(buf + 4, want, sizeof(want));
	assert_int_equal(dnp3_qual_for_range(255), DNP3_Q_START_STOP_8);
	assert_int_equal(dnp3_qual_for_range(256), DNP3_Q_START_STOP_16);
	assert_int_equal(dnp3_qual_for_index(300), DNP3_Q_INDEX_16);
}

/*
 * Fill a small fragment until it is full: the fragment must end exactly
 * at the last whole object, never touch the guard after the tx size, and
 * parse back to the points written.
 */
static void
full_fragment_stops_cleanly(void **state)
{
	uint8_t buf[300];
	struct dnp3_writer w;
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	union dnp3_obj o, back;
	uint32_t i, added = 0, index;
	const size_t tx = 249;
	int r = 0;

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	dnp3_writer_init(&w, buf, tx);
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0);
	assert_int_equal(dnp3_writer_begin(&w, 32, 3, DNP3_Q_INDEX_16, 0), 0);
	for (i = 0; i < 100; i++) {
		o = point(i * 10.0, DNP3_FLAG_ONLINE, 1000 + i);
		if ((r = dnp3_writer_add(&w, 500 + i, &o)) != 0)
			break;
		added++;
	}
	assert_int_equal(r, DNP3_E_NOSPACE);
	/* 4 + 5 header + n * (2 + 11) <= 249 -> n = 18 */
	assert_int_equal(added, 18);
	assert_int_equal(dnp3_writer_len(&w), 4 + 5 + 18 * 13);
	for (i = tx; i < sizeof(buf); i++)
		assert_int_equal(buf[i], GUARD);
	/* still usable after the refusal: a smaller object fits */
	assert_int_equal(dnp3_writer_begin(&w, 1, 2, DNP3_Q_START_STOP_8,
	    0), 0);
	o = point(1, DNP3_FLAG_ONLINE, 0);
	assert_int_equal(dnp3_writer_add(&w, 0, &o), 0);
	assert_int_equal(dnp3_writer_len(&w), 4 + 5 + 18 * 13 + 6);
	assert_int_equal(dnp3_writer_add(&w, 1, &o), DNP3_E_NOSPACE);

	dnp3_objiter_init(&it, buf + 4, dnp3_writer_len(&w) - 4, true);
	assert_int_equal(dnp3_objiter_next(&it, &h), 1);
	assert_int_equal(h.count, 18);
	assert_int_equal(dnp3_objhdr_get(&h, 17, &index, &back), 0);
	assert_int_equal(index, 517);
	assert_true(back.point.value == 170);
	assert_true(back.point.time_ms == 1017);
	assert_int_equal(dnp3_objiter_next(&it, &h), 1);
	assert_int_equal(h.group, 1);
	assert_int_equal(dnp3_objiter_next(&it, &h), 0);
}

static void
header_without_room_for_an_object_is_not_sent(void **state)
{
	uint8_t buf[32];
	struct dnp3_writer w;
	union dnp3_obj o = point(7, DNP3_FLAG_ONLINE, 0);

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	dnp3_writer_init(&w, buf, 12);
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0);
	/* header 5 bytes fits (4 + 5 = 9), the 5-byte object does not */
	assert_int_equal(dnp3_writer_begin(&w, 30, 1, DNP3_Q_START_STOP_8,
	    0), 0);
	assert_int_equal(dnp3_writer_add(&w, 0, &o), DNP3_E_NOSPACE);
	assert_int_equal(dnp3_writer_len(&w), 4);
	dnp3_writer_end(&w);
	assert_int_equal(dnp3_writer_len(&w), 4);
	/* a header that does not fit at all */
	assert_int_equal(dnp3_writer_begin(&w, 30, 1, DNP3_Q_START_STOP_16,
	    0), 0);
	assert_int_equal(dnp3_writer_begin(&w, 32, 1, DNP3_Q_INDEX_16, 0), 0);
	dnp3_writer_init(&w, buf, 6);
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0);
	assert_int_equal(dnp3_writer_begin(&w, 30, 1, DNP3_Q_START_STOP_8,
	    0), DNP3_E_NOSPACE);
	assert_int_equal(dnp3_writer_add(&w, 0, &o), DNP3_E_PARAM);
	for (size_t i = 12; i < sizeof(buf); i++)
		assert_int_equal(buf[i], GUARD);
}

static void
packed_bits_fill_bytes_lsb_first(void **state)
{
	uint8_t buf[64];
	struct dnp3_writer w;
	union dnp3_obj o;
	const int bits[10] = { 1, 0, 1, 0, 0, 0, 0, 0, 0, 1 };
	const int dbits[5] = { 3, 2, 1, 0, 3 };

	(void)state;
	memset(buf, GUARD, sizeof(buf));
	dnp3_writer_init(&w, buf, sizeof(buf));
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0);
	assert_int_equal(dnp3_writer_begin(&w, 1, 1, DNP3_Q_START_STOP_8, 0),
	    0);
	for (uint32_t i = 0; i < 10; i++) {
		o = point(bits[i], DNP3_FLAG_ONLINE, 0);
		assert_int_equal(dnp3_writer_add(&w, i, &o), 0);
	}
	assert_int_equal(dnp3_writer_begin(&w, 3, 1, DNP3_Q_START_STOP_8, 0),
	    0);
	for (uint32_t i = 0; i < 5; i++) {
		o = point(dbits[i], DNP3_FLAG_ONLINE, 0);
		assert_int_equal(dnp3_writer_add(&w, i, &o), 0);
	}
	const uint8_t want[] = { 0x01, 0x01, 0x00, 0x00, 0x09, 0x05, 0x02,
	    0x03, 0x01, 0x00, 0x00, 0x04, 0x1B, 0x03 };
	assert_int_equal(dnp3_writer_len(&w), 4 + sizeof(want));
	assert_memory_equal(buf + 4, want, sizeof(want));
	/* packed objects cannot take index prefixes */
	assert_int_equal(dnp3_writer_begin(&w, 10, 1, DNP3_Q_INDEX_8, 0),
	    DNP3_E_QUAL_OBJECT);

	/* exactly one new byte per 8 bits: 8 bits fit in one byte */
	dnp3_writer_init(&w, buf, 4 + 5 + 1);
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC0);
	assert_int_equal(dnp3_writer_begin(&w, 80, 1, DNP3_Q_START_STOP_8, 0),
	    0);
	o = point(1, 0, 0);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(dnp3_writer_add(&w, i, &o), 0);
	assert_int_equal(dnp3_writer_add(&w, 8, &o), DNP3_E_NOSPACE);
	assert_int_equal(buf[9], 0xFF);
	assert_int_equal(buf[8], 7);	/* stop */
}

static void
events_with_cto_and_relative_time(void **state)
{
	uint8_t buf[64];
	struct dnp3_writer w;
	union dnp3_obj o;

	(void)state;
	dnp3_writer_init(&w, buf, sizeof(buf));
	dnp3_writer_start(&w, DNP3_FC_UNSOLICITED_RESPONSE,
	    dnp3_app_control(true, true, true, true, 3));
	/* g2v3 without a CTO first: refused */
	assert_int_equal(dnp3_writer_begin(&w, 2, 3, DNP3_Q_INDEX_8, 0), 0);
	o = point(1, DNP3_FLAG_ONLINE, 5000);
	assert_int_equal(dnp3_writer_add(&w, 1, &o), DNP3_E_PARAM);
	o.time_ms = 0x010203040506ULL;
	assert_int_equal(dnp3_writer_add_single(&w, 51, 1, &o), 0);
	assert_int_equal(dnp3_writer_begin(&w, 2, 3, DNP3_Q_INDEX_8, 0), 0);
	o = point(1, DNP3_FLAG_ONLINE, 0x010203040506ULL + 0x0102);
	assert_int_equal(dnp3_writer_add(&w, 9, &o), 0);
	o = point(0, DNP3_FLAG_ONLINE, 0x010203040506ULL - 1);
	assert_int_equal(dnp3_writer_add(&w, 9, &o), DNP3_E_VALUE);
	const uint8_t want[] = { 0xF3, 0x82, 0x00, 0x00,
	    0x33, 0x01, 0x07, 0x01, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
	    0x02, 0x03, 0x17, 0x01, 0x09, 0x81, 0x02, 0x01 };
	assert_int_equal(dnp3_writer_len(&w), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
control_echo_and_time_objects(void **state)
{
	uint8_t buf[64];
	struct dnp3_writer w;
	union dnp3_obj o;

	(void)state;
	dnp3_writer_init(&w, buf, sizeof(buf));
	dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0xC1);
	assert_int_equal(dnp3_writer_begin(&w, 12, 1, DNP3_Q_INDEX_16, 0), 0);
	o.crob = (struct dnp3_crob){ DNP3_CROB_OP_LATCH_ON, 1, 1000, 0,
	    DNP3_CS_NOT_SUPPORTED };
	assert_int_equal(dnp3_writer_add(&w, 5, &o), 0);
	o.delay = 25;
	assert_int_equal(dnp3_writer_add_single(&w, 52, 2, &o), 0);
	const uint8_t want[] = { 0xC1, 0x81, 0x00, 0x00,
	    0x0C, 0x01, 0x28, 0x01, 0x00, 0x05, 0x00, 0x03, 0x01, 0xE8,
	    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
	    0x34, 0x02, 0x07, 0x01, 0x19, 0x00 };
	assert_int_equal(dnp3_writer_len(&w), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* an object whose value cannot be encoded adds nothing */
	o.octets = (struct dnp3_octets){ (const uint8_t *)"ab", 2 };
	assert_int_equal(dnp3_writer_begin(&w, 110, 3, DNP3_Q_START_STOP_8,
	    0), 0);
	assert_int_equal(dnp3_writer_add(&w, 0, &o), DNP3_E_VALUE);
	assert_int_equal(dnp3_writer_len(&w), sizeof(want));
	/* unknown objects and qualifiers */
	assert_int_equal(dnp3_writer_begin(&w, 30, 0, DNP3_Q_START_STOP_8,
	    0), DNP3_E_OBJECT);
	assert_int_equal(dnp3_writer_begin(&w, 30, 1, DNP3_Q_FREE_FORMAT, 0),
	    DNP3_E_QUALIFIER);
	assert_int_equal(dnp3_writer_begin(&w, 60, 1, DNP3_Q_START_STOP_8,
	    0), DNP3_E_QUAL_OBJECT);
}

static void
request_headers_for_the_master(void **state)
{
	uint8_t buf[64];
	struct dnp3_writer w;

	(void)state;
	dnp3_writer_init(&w, buf, sizeof(buf));
	dnp3_writer_start(&w, DNP3_FC_READ,
	    dnp3_app_control(true, true, false, false, 0));
	assert_int_equal(dnp3_writer_header(&w, 60, 2, DNP3_Q_ALL, 0, 0), 0);
	assert_int_equal(dnp3_writer_header(&w, 60, 3, DNP3_Q_ALL, 0, 0), 0);
	assert_int_equal(dnp3_writer_header(&w, 60, 4, DNP3_Q_ALL, 0, 0), 0);
	assert_int_equal(dnp3_writer_header(&w, 60, 1, DNP3_Q_ALL, 0, 0), 0);
	const uint8_t poll[] = { 0xC0, 0x01, 0x3C, 0x02, 0x06, 0x3C, 0x03,
	    0x06, 0x3C, 0x04, 0x06, 0x3C, 0x01, 0x06 };
	assert_int_equal(dnp3_writer_len(&w), sizeof(poll));
	assert_memory_equal(buf, poll, sizeof(poll));

	dnp3_writer_start(&w, DNP3_FC_READ, 0xC1);
	assert_int_equal(dnp3_writer_header(&w, 30, 0, DNP3_Q_START_STOP_16,
	    256, 300), 0);
	assert_int_equal(dnp3_writer_header(&w, 2, 0, DNP3_Q_COUNT_8, 0, 3),
	    0);
	assert_int_equal(dnp3_writer_header(&w, 1, 2, DNP3_Q_START_STOP_8,
	    5, 4), DNP3_E_INDEX);
	assert_int_equal(dnp3_writer_header(&w, 1, 2, DNP3_Q_INDEX_8, 0, 1),
	    DNP3_E_PARAM);
	const uint8_t read[] = { 0xC1, 0x01, 0x1E, 0x00, 0x01, 0x00, 0x01,
	    0x2C, 0x01, 0x02, 0x00, 0x07, 0x03 };
	assert_int_equal(dnp3_writer_len(&w), sizeof(read));
	assert_memory_equal(buf, read, sizeof(read));
	/* a READ has no IIN: set_iin must not touch the objects */
	dnp3_writer_set_iin(&w, 0xFFFF);
	assert_memory_equal(buf, read, sizeof(read));
}

static void
init_checks_its_arguments(void **state)
{
	uint8_t buf[8];
	struct dnp3_writer w;
	union dnp3_obj o = point(0, 0, 0);

	(void)state;
	assert_int_equal(dnp3_writer_init(&w, NULL, 249), DNP3_E_PARAM);
	assert_int_equal(dnp3_writer_init(&w, buf, 1), DNP3_E_PARAM);
	assert_int_equal(dnp3_writer_init(&w, buf, 65536), DNP3_E_PARAM);
	assert_int_equal(dnp3_writer_init(&w, buf, 3), 0);
	/* a response header needs 4 bytes */
	assert_int_equal(dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0),
	    DNP3_E_NOSPACE);
	assert_int_equal(dnp3_writer_begin(&w, 1, 2, DNP3_Q_START_STOP_8, 0),
	    DNP3_E_PARAM);
	assert_int_equal(dnp3_writer_add(&w, 0, &o), DNP3_E_PARAM);
	assert_int_equal(dnp3_writer_len(&w), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(response_with_g30v1),
		cmocka_unit_test(start_stop_needs_the_next_index),
		cmocka_unit_test(full_fragment_stops_cleanly),
		cmocka_unit_test(header_without_room_for_an_object_is_not_sent),
		cmocka_unit_test(packed_bits_fill_bytes_lsb_first),
		cmocka_unit_test(events_with_cto_and_relative_time),
		cmocka_unit_test(control_echo_and_time_objects),
		cmocka_unit_test(request_headers_for_the_master),
		cmocka_unit_test(init_checks_its_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
