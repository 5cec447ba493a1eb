/*
 * Object header iterator: known request/response fragments, every
 * qualifier, packed sizes, and each malformed case with its own error.
 * Inputs are copied to exact-size heap blocks so the sanitizer build
 * catches any read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/app/app.h"

static uint8_t *
dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	assert_non_null(q);
	memcpy(q, p, n);
	return q;
}

/* Run the iterator over objs; returns the final result (0 or error). */
static int
walk(const uint8_t *objs, size_t len, bool with_data,
    struct dnp3_objhdr *hs, int max, int *n)
{
	uint8_t *copy = dup_exact(objs, len);
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	int r;

	*n = 0;
	dnp3_objiter_init(&it, copy, len, with_data);
	while ((r = dnp3_objiter_next(&it, &h)) > 0) {
		assert_true(*n < max);
		/* pointers into the copy are not kept past free */
		h.data = h.data_len ? objs + (h.data - copy) : NULL;
		hs[(*n)++] = h;
	}
	/* errors are sticky */
	if (r < 0)
		assert_int_equal(dnp3_objiter_next(&it, &h), r);
	free(copy);
	return r;
}

static void
integrity_poll(void **state)
{
	const uint8_t frag[] = { 0xC0, 0x01, 0x3C, 0x02, 0x06, 0x3C, 0x03,
	    0x06, 0x3C, 0x04, 0x06, 0x3C, 0x01, 0x06 };
	struct dnp3_app_header ah;
	struct dnp3_objhdr hs[8];
	int n, hl;

	(void)state;
	hl = dnp3_app_header_parse(frag, sizeof(frag), &ah);
	assert_int_equal(hl, 2);
	assert_int_equal(walk(frag + hl, sizeof(frag) - hl,
	    dnp3_func_has_object_data(ah.func), hs, 8, &n), 0);
	assert_int_equal(n, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(hs[i].group, 60);
		assert_int_equal(hs[i].qualifier, DNP3_Q_ALL);
		assert_int_equal(hs[i].count, 0);
		assert_int_equal(hs[i].data_len, 0);
		assert_non_null(hs[i].desc);
		assert_int_equal(hs[i].desc->kind, DNP3_K_CLASS);
	}
	assert_int_equal(hs[0].variation, 2);
	assert_int_equal(hs[1].variation, 3);
	assert_int_equal(hs[2].variation, 4);
	assert_int_equal(hs[3].variation, 1);
}

static void
crob_select(void **state)
{
	/* SELECT g12v1 q28 count 1, index 5, LATCH_ON count 1 1000/0 ms */
	const uint8_t objs[] = { 0x0C, 0x01, 0x28, 0x01, 0x00, 0x05, 0x00,
	    0x03, 0x01, 0xE8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00 };
	struct dnp3_objhdr hs[2];
	union dnp3_obj o;
	uint32_t index;
	int n;

	(void)state;
	assert_int_equal(walk(objs, sizeof(objs),
	    dnp3_func_has_object_data(DNP3_FC_SELECT), hs, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(hs[0].group, 12);
	assert_int_equal(hs[0].count, 1);
	assert_int_equal(hs[0].prefix_size, 2);
	assert_int_equal(hs[0].obj_size, 11);
	assert_int_equal(hs[0].data_len, 13);
	assert_int_equal(dnp3_objhdr_get(&hs[0], 0, &index, &o), 0);
	assert_int_equal(index, 5);
	assert_int_equal(o.crob.code, DNP3_CROB_OP_LATCH_ON);
	assert_int_equal(o.crob.count, 1);
	assert_int_equal(o.crob.on_ms, 1000);
	assert_int_equal(o.crob.off_ms, 0);
	assert_int_equal(o.crob.status, DNP3_CS_SUCCESS);
	assert_int_equal(dnp3_objhdr_get(&hs[0], 1, &index, &o),
	    DNP3_E_PARAM);
}

static void
response_with_g30v1(void **state)
{
	const uint8_t frag[] = { 0xC0, 0x81, 0x00, 0x00, 0x1E, 0x01, 0x00,
	    0x03, 0x04, 0x01, 0x39, 0x30, 0x00, 0x00, 0x21, 0xC8, 0xFF,
	    0xFF, 0xFF };
	struct dnp3_app_header ah;
	struct dnp3_objhdr hs[2];
	union dnp3_obj o;
	uint32_t index;
	int n;

	(void)state;
	assert_int_equal(dnp3_app_header_parse(frag, sizeof(frag), &ah), 4);
	assert_int_equal(walk(frag + 4, sizeof(frag) - 4, true, hs, 2, &n),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(hs[0].start, 3);
	assert_int_equal(hs[0].stop, 4);
	assert_int_equal(hs[0].count, 2);
	assert_int_equal(dnp3_objhdr_get(&hs[0], 0, &index, &o), 0);
	assert_int_equal(index, 3);
	assert_true(o.point.value == 12345);
	assert_int_equal(o.point.flags, DNP3_FLAG_ONLINE);
	assert_int_equal(dnp3_objhdr_get(&hs[0], 1, &index, &o), 0);
	assert_int_equal(index, 4);
	assert_true(o.point.value == -56);
	assert_int_equal(o.point.flags,
	    DNP3_FLAG_ONLINE | DNP3_FLAG_OVER_RANGE);
}

static void
read_ranges_counts_and_indexes(void **state)
{
	const uint8_t objs[] = {
		0x01, 0x02, 0x00, 0x02, 0x05,		/* g1v2 2..5 */
		0x1E, 0x00, 0x01, 0x00, 0x01, 0x2C, 0x01, /* g30v0 256..300 */
		0x02, 0x00, 0x07, 0x03,			/* g2v0 count 3 */
		0x20, 0x01, 0x08, 0x10, 0x00,		/* g32v1 count 16 */
		0x28, 0x00, 0x17, 0x02, 0x07, 0x09,	/* g40v0 idx 7, 9 */
		0x0A, 0x02, 0x28, 0x01, 0x00, 0x34, 0x12, /* g10v2 idx 0x1234 */
		0x63, 0x07, 0x06,			/* g99v7: unknown */
	};
	struct dnp3_objhdr hs[8];
	uint32_t index;
	int n;

	(void)state;
	assert_int_equal(walk(objs, sizeof(objs), false, hs, 8, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(hs[0].count, 4);
	assert_int_equal(hs[0].start, 2);
	assert_int_equal(hs[1].start, 256);
	assert_int_equal(hs[1].stop, 300);
	assert_int_equal(hs[1].count, 45);
	assert_null(hs[1].desc);	/* variation 0: any */
	assert_int_equal(dnp3_objhdr_index(&hs[1], 44, &index), 0);
	assert_int_equal(index, 300);
	assert_int_equal(dnp3_objhdr_index(&hs[1], 45, &index),
	    DNP3_E_PARAM);
	assert_int_equal(hs[2].count, 3);
	assert_int_equal(hs[3].count, 16);
	assert_int_equal(hs[3].qualifier, DNP3_Q_COUNT_16);
	assert_int_equal(hs[4].count, 2);
	assert_int_equal(hs[4].data_len, 2);
	assert_int_equal(dnp3_objhdr_index(&hs[4], 1, &index), 0);
	assert_int_equal(index, 9);
	assert_int_equal(dnp3_objhdr_index(&hs[5], 0, &index), 0);
	assert_int_equal(index, 0x1234);
	assert_int_equal(hs[6].group, 99);
	assert_null(hs[6].desc);
}

static void
packed_objects_are_sized_in_bits(void **state)
{
	/* g1v1 0..9: 2 bytes; g3v1 0..4: 2 bytes; g80v1 7..7: 1 byte;
	   g10v1 0..7: 1 byte */
	const uint8_t objs[] = {
		0x01, 0x01, 0x00, 0x00, 0x09, 0x05, 0x02,
		0x03, 0x01, 0x00, 0x00, 0x04, 0x1B, 0x03,
		0x50, 0x01, 0x00, 0x07, 0x07, 0x00,
		0x0A, 0x01, 0x00, 0x00, 0x07, 0x81,
	};
	const int g1[10] = { 1, 0, 1, 0, 0, 0, 0, 0, 0, 1 };
	const int g3[5] = { 3, 2, 1, 0, 3 };
	struct dnp3_objhdr hs[4];
	union dnp3_obj o;
	uint32_t index;
	int n;

	(void)state;
	assert_int_equal(walk(objs, sizeof(objs), true, hs, 4, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(hs[0].data_len, 2);
	assert_int_equal(hs[0].obj_bits, 1);
	for (uint32_t i = 0; i < 10; i++) {
		assert_int_equal(dnp3_objhdr_get(&hs[0], i, &index, &o), 0);
		assert_int_equal(index, i);
		assert_true(o.point.value == g1[i]);
	}
	assert_int_equal(hs[1].data_len, 2);
	assert_int_equal(hs[1].obj_bits, 2);
	for (uint32_t i = 0; i < 5; i++) {
		assert_int_equal(dnp3_objhdr_get(&hs[1], i, NULL, &o), 0);
		assert_true(o.point.value == g3[i]);
	}
	assert_int_equal(hs[2].data_len, 1);
	assert_int_equal(dnp3_objhdr_get(&hs[2], 0, &index, &o), 0);
	assert_int_equal(index, 7);
	assert_true(o.point.value == 0);
	assert_int_equal(dnp3_objhdr_get(&hs[3], 7, &index, &o), 0);
	assert_true(o.point.value == 1);

	/* one bit short: 10 bits need 2 bytes */
	assert_int_equal(walk(objs, 6, true, hs, 4, &n), DNP3_E_OVERRUN);
}

static void
free_format_framing(void **state)
{
	/* g120v7 q5B count 2: sizes 3 and 0 */
	const uint8_t objs[] = { 0x78, 0x07, 0x5B, 0x02, 0x03, 0x00, 0xAA,
	    0xBB, 0xCC, 0x00, 0x00, 0x01, 0x02, 0x06 };
	struct dnp3_objhdr hs[2];
	const uint8_t *p;
	size_t len;
	int n;

	(void)state;
	assert_int_equal(walk(objs, sizeof(objs), true, hs, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(hs[0].count, 2);
	assert_int_equal(hs[0].data_len, 7);
	assert_int_equal(dnp3_objhdr_free(&hs[0], 0, &p, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(p[0], 0xAA);
	assert_int_equal(p[2], 0xCC);
	assert_int_equal(dnp3_objhdr_free(&hs[0], 1, &p, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(dnp3_objhdr_free(&hs[0], 2, &p, &len),
	    DNP3_E_PARAM);
	assert_int_equal(hs[1].group, 1);

	/* a size prefix that claims more than is there */
	const uint8_t bad[] = { 0x78, 0x07, 0x5B, 0x01, 0x05, 0x00, 0xAA };
	assert_int_equal(walk(bad, sizeof(bad), true, hs, 2, &n),
	    DNP3_E_OVERRUN);
	/* a size prefix cut in half */
	const uint8_t cut[] = { 0x78, 0x07, 0x5B, 0x01, 0x05 };
	assert_int_equal(walk(cut, sizeof(cut), true, hs, 2, &n),
	    DNP3_E_OVERRUN);
}

struct bad_case {
	const char *what;
	uint8_t bytes[24];
	size_t len;
	bool with_data;
	int err;
	int good_before;	/* headers returned before the error */
};

static const struct bad_case bad_cases[] = {
	{ "group only", { 0x01 }, 1, false, DNP3_E_OBJHDR_SHORT, 0 },
	{ "no qualifier", { 0x01, 0x02 }, 2, false, DNP3_E_OBJHDR_SHORT, 0 },
	{ "start without stop", { 0x01, 0x02, 0x00, 0x05 }, 4, false,
	  DNP3_E_OBJHDR_SHORT, 0 },
	{ "16-bit range cut", { 0x01, 0x02, 0x01, 0x00, 0x00, 0x05 }, 6,
	  false, DNP3_E_OBJHDR_SHORT, 0 },
	{ "16-bit count cut", { 0x01, 0x02, 0x08, 0x05 }, 4, false,
	  DNP3_E_OBJHDR_SHORT, 0 },
	{ "second header cut", { 0x3C, 0x01, 0x06, 0x3C }, 4, false,
	  DNP3_E_OBJHDR_SHORT, 1 },
	{ "qualifier 0x02", { 0x01, 0x02, 0x02, 0x00 }, 4, false,
	  DNP3_E_QUALIFIER, 0 },
	{ "qualifier 0x39", { 0x01, 0x02, 0x39, 0x01, 0, 0, 0, 0 }, 8,
	  true, DNP3_E_QUALIFIER, 0 },
	{ "qualifier 0xFF", { 0x3C, 0x01, 0x06, 0x3C, 0x02, 0xFF }, 6,
	  false, DNP3_E_QUALIFIER, 1 },
	{ "stop < start", { 0x01, 0x02, 0x00, 0x05, 0x04 }, 5, false,
	  DNP3_E_RANGE, 0 },
	{ "16-bit stop < start", { 0x01, 0x02, 0x01, 0x00, 0x01, 0xFF,
	  0x00 }, 7, false, DNP3_E_RANGE, 0 },
	{ "range past the end", { 0x1E, 0x01, 0x00, 0x00, 0x01, 0x01,
	  0x00, 0x00, 0x00, 0x00 }, 10, true, DNP3_E_OVERRUN, 0 },
	{ "count past the end", { 0x32, 0x01, 0x07, 0x02, 0, 1, 2, 3, 4,
	  5 }, 10, true, DNP3_E_OVERRUN, 0 },
	{ "index list past the end (read)", { 0x01, 0x02, 0x17, 0x03, 0x01,
	  0x02 }, 6, false, DNP3_E_OVERRUN, 0 },
	{ "CROB cut", { 0x0C, 0x01, 0x17, 0x01, 0x00, 0x03, 0x01, 0xE8,
	  0x03 }, 9, true, DNP3_E_OVERRUN, 0 },
	{ "huge 16-bit count", { 0x0C, 0x01, 0x28, 0xFF, 0xFF, 0x00 }, 6,
	  true, DNP3_E_OVERRUN, 0 },
	{ "unknown object with data", { 0x63, 0x01, 0x07, 0x01, 0x00 }, 5,
	  true, DNP3_E_OBJECT, 0 },
	{ "variation 0 with data", { 0x1E, 0x00, 0x00, 0x00, 0x00, 0x00,
	  0x00 }, 7, true, DNP3_E_OBJECT, 0 },
	{ "g110v0 with data", { 0x6E, 0x00, 0x07, 0x01, 0x00 }, 5, true,
	  DNP3_E_OBJECT, 0 },
	{ "packed with index prefix", { 0x01, 0x01, 0x17, 0x01, 0x00, 0x01 },
	  6, true, DNP3_E_QUAL_OBJECT, 0 },
};

static void
malformed_fragments_get_their_error(void **state)
{
	struct dnp3_objhdr hs[4];
	size_t i;
	int n, r;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		r = walk(c->bytes, c->len, c->with_data, hs, 4, &n);
		if (r != c->err || n != c->good_before)
			fail_msg("%s: got %d (%s) after %d headers, want %d",
			    c->what, r, dnp3_app_strerror(r), n, c->err);
	}
}

static void
octet_strings_take_size_from_variation(void **state)
{
	/* g110v3 0..1: 2 x 3 bytes */
	const uint8_t objs[] = { 0x6E, 0x03, 0x00, 0x00, 0x01, 'a', 'b',
	    'c', 'x', 'y', 'z' };
	struct dnp3_objhdr hs[1];
	union dnp3_obj o;
	int n;

	(void)state;
	assert_int_equal(walk(objs, sizeof(objs), true, hs, 1, &n), 0);
	assert_int_equal(hs[0].obj_size, 3);
	assert_int_equal(dnp3_objhdr_get(&hs[0], 1, NULL, &o), 0);
	assert_int_equal(o.octets.len, 3);
	assert_memory_equal(o.octets.data, "xyz", 3);
	assert_int_equal(walk(objs, sizeof(objs) - 1, true, hs, 1, &n),
	    DNP3_E_OVERRUN);
}

static void
class_and_all_headers_have_no_objects(void **state)
{
	const uint8_t objs[] = { 0x3C, 0x02, 0x07, 0x05, 0x50, 0x01, 0x06 };
	struct dnp3_objhdr hs[2];
	union dnp3_obj o;
	int n;

	(void)state;
	assert_int_equal(walk(objs, sizeof(objs), false, hs, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(hs[0].count, 5);	/* read at most 5 events */
	assert_int_equal(hs[0].data_len, 0);
	assert_int_equal(dnp3_objhdr_get(&hs[0], 0, NULL, &o), DNP3_E_PARAM);
	assert_int_equal(hs[1].count, 0);
}

/*
 * Every truncation of good fragments: cut at a header boundary it is a
 * shorter good fragment, cut anywhere else it is an OBJHDR_SHORT or
 * OVERRUN error -- and (under ASan) never a read past the cut.
 */
static void
every_truncation_is_caught(void **state)
{
	static const struct {
		uint8_t bytes[48];
		size_t len;
		bool with_data;
	} good[] = {
		{ { 0x3C, 0x02, 0x06, 0x3C, 0x03, 0x06, 0x3C, 0x04, 0x06,
		    0x3C, 0x01, 0x06 }, 12, false },
		{ { 0x0C, 0x01, 0x28, 0x02, 0x00, 0x05, 0x00, 0x03, 0x01,
		    0xE8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		    0x06, 0x00, 0x04, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 31,
		  true },
		{ { 0x33, 0x01, 0x07, 0x01, 1, 2, 3, 4, 5, 6, 0x02, 0x03,
		    0x17, 0x02, 0x00, 0x81, 0x10, 0x00, 0x05, 0x01, 0x20,
		    0x00, 0x01, 0x01, 0x00, 0x00, 0x09, 0x05, 0x02, 0x78,
		    0x01, 0x5B, 0x01, 0x02, 0x00, 0xAA, 0xBB }, 37, true },
		{ { 0x01, 0x02, 0x01, 0x00, 0x01, 0x10, 0x01, 0x1E, 0x00,
		    0x17, 0x02, 0x07, 0x09, 0x3C, 0x02, 0x08, 0x05, 0x00 },
		  18, false },
	};
	struct dnp3_objhdr hs[8], h;
	struct dnp3_objiter it;
	size_t ends[8];
	int n, full, r;

	(void)state;
	for (size_t k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		/* where each header (with its objects) ends */
		full = 0;
		dnp3_objiter_init(&it, good[k].bytes, good[k].len,
		    good[k].with_data);
		while ((r = dnp3_objiter_next(&it, &h)) > 0)
			ends[full++] = it.offset;
		assert_int_equal(r, 0);
		assert_int_equal(ends[full - 1], good[k].len);
		for (size_t cut = 0; cut < good[k].len; cut++) {
			int before = 0;
			bool boundary = cut == 0;

			for (int i = 0; i < full; i++) {
				if (ends[i] <= cut)
					before++;
				if (ends[i] == cut)
					boundary = true;
			}
			r = walk(good[k].bytes, cut, good[k].with_data, hs, 8,
			    &n);
			if (boundary && r == 0 && n == before)
				continue;
			if (!boundary && n == before &&
			    (r == DNP3_E_OBJHDR_SHORT || r == DNP3_E_OVERRUN))
				continue;
			fail_msg("fragment %zu cut at %zu: %d after %d headers",
			    k, cut, r, n);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integrity_poll),
		cmocka_unit_test(crob_select),
		cmocka_unit_test(response_with_g30v1),
		cmocka_unit_test(read_ranges_counts_and_indexes),
		cmocka_unit_test(packed_objects_are_sized_in_bits),
		cmocka_unit_test(free_format_framing),
		cmocka_unit_test(malformed_fragments_get_their_error),
		cmocka_unit_test(octet_strings_take_size_from_variation),
		cmocka_unit_test(class_and_all_headers_have_no_objects),
		cmocka_unit_test(every_truncation_is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
