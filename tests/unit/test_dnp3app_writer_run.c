/*
 * dnp3_writer_add_run: exact bytes of a run, and the same bytes, length,
 * error and count as dnp3_writer_add called once per object, over
 * objects, qualifiers, fragment sizes and runs that do not fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/app/app.h"

#define GUARD	0xA5
#define NOBJ	300

static union dnp3_obj objs[NOBJ];

static void
make_objs(void)
{
	for (int i = 0; i < NOBJ; i++)
		objs[i] = (union dnp3_obj){ .point = { (i * 7) % 5 - 1.5 * i,
		    (uint8_t)(DNP3_FLAG_ONLINE | (i % 3 ? 0 : 0x10)),
		    1700000000000ULL + (uint64_t)i * 13 } };
}

/* One writer with a fragment of tx bytes, one header open at start. */
static int
open_writer(struct dnp3_writer *w, uint8_t *buf, size_t tx, uint8_t g,
    uint8_t v, uint8_t q, uint32_t start)
{
	memset(buf, GUARD, 70000);
	assert_int_equal(dnp3_writer_init(w, buf, tx), 0);
	assert_int_equal(dnp3_writer_start(w, DNP3_FC_RESPONSE, 0xC0), 0);
	return dnp3_writer_begin(w, g, v, q, start);
}

static uint8_t ref_buf[70000], run_buf[70000];

/* Per object until the first error: what the run must equal. */
static int
ref_add(struct dnp3_writer *w, uint32_t first, size_t n, size_t *added)
{
	int r;

	for (*added = 0; *added < n; (*added)++)
		if ((r = dnp3_writer_add(w, first + (uint32_t)*added,
		    &objs[*added])) != 0)
			return r;
	return 0;
}

static void
compare(size_t tx, uint8_t g, uint8_t v, uint8_t q, uint32_t start,
    uint32_t first, size_t n1, size_t n2)
{
	struct dnp3_writer rw, ww;
	size_t ra, wa, ra2 = 0, wa2 = 0;
	int rr, wr, rr2 = 0, wr2 = 0;

	assert_int_equal(open_writer(&rw, ref_buf, tx, g, v, q, start), 0);
	assert_int_equal(open_writer(&ww, run_buf, tx, g, v, q, start), 0);
	rr = ref_add(&rw, first, n1, &ra);
	wr = dnp3_writer_add_run(&ww, first, objs, n1, &wa);
	assert_int_equal(wr, rr);
	assert_int_equal(wa, ra);
	/* a second run continues the same header */
	if (rr == 0 && n2 > 0) {
		rr2 = 0;
		for (ra2 = 0; ra2 < n2; ra2++)
			if ((rr2 = dnp3_writer_add(&rw,
			    first + (uint32_t)(n1 + ra2), &objs[ra2])) != 0)
				break;
		wr2 = dnp3_writer_add_run(&ww, first + (uint32_t)n1, objs, n2,
		    &wa2);
		assert_int_equal(wr2, rr2);
		assert_int_equal(wa2, ra2);
	}
	assert_int_equal(dnp3_writer_len(&ww), dnp3_writer_len(&rw));
	assert_memory_equal(run_buf, ref_buf, dnp3_writer_len(&rw));
	for (size_t i = tx; i < tx + 64; i++)
		assert_int_equal(run_buf[i], GUARD);
}

static void
run_bytes_g1v1_packed(void **state)
{
	const uint8_t want[] = { 0xC0, 0x81, 0x00, 0x00, 0x01, 0x01, 0x00,
	    0x05, 0x0E, 0x15, 0x01 };
	uint8_t buf[70000];
	struct dnp3_writer w;
	union dnp3_obj o[10];
	size_t added;

	(void)state;
	for (int i = 0; i < 10; i++)	/* 1 0 1 0 1 0 0 0 1 0 */
		o[i] = (union dnp3_obj){ .point = { i == 0 || i == 2 ||
		    i == 4 || i == 8, DNP3_FLAG_ONLINE, 0 } };
	assert_int_equal(open_writer(&w, buf, 249, 1, 1,
	    DNP3_Q_START_STOP_8, 5), 0);
	assert_int_equal(dnp3_writer_add_run(&w, 5, o, 10, &added), 0);
	assert_int_equal(added, 10);
	assert_int_equal(dnp3_writer_len(&w), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
run_bytes_g30v1(void **state)
{
	const uint8_t want[] = { 0xC0, 0x81, 0x00, 0x00, 0x1E, 0x01, 0x00,
	    0x03, 0x04, 0x01, 0x39, 0x30, 0x00, 0x00, 0x21, 0xC8, 0xFF,
	    0xFF, 0xFF };
	uint8_t buf[70000];
	struct dnp3_writer w;
	union dnp3_obj o[2] = {
		{ .point = { 12345, DNP3_FLAG_ONLINE, 0 } },
		{ .point = { -56, DNP3_FLAG_ONLINE | DNP3_FLAG_OVER_RANGE, 0 } },
	};
	size_t added = 99;

	(void)state;
	assert_int_equal(open_writer(&w, buf, 249, 30, 1,
	    DNP3_Q_START_STOP_8, 3), 0);
	/* an empty run adds nothing, not even the header */
	assert_int_equal(dnp3_writer_add_run(&w, 3, o, 0, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(dnp3_writer_len(&w), 4);
	assert_int_equal(dnp3_writer_add_run(&w, 3, o, 2, &added), 0);
	assert_int_equal(added, 2);
	assert_int_equal(dnp3_writer_len(&w), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
run_errors(void **state)
{
	uint8_t buf[70000];
	struct dnp3_writer w;
	size_t added = 99;

	(void)state;
	make_objs();
	/* not the next index of a start-stop header: nothing added */
	assert_int_equal(open_writer(&w, buf, 2048, 30, 1,
	    DNP3_Q_START_STOP_8, 10), 0);
	assert_int_equal(dnp3_writer_add_run(&w, 11, objs, 3, &added),
	    DNP3_E_INDEX);
	assert_int_equal(added, 0);
	assert_int_equal(dnp3_writer_len(&w), 4);
	/* an 8-bit range stops at index 255 */
	assert_int_equal(dnp3_writer_add_run(&w, 10, objs, 250, &added),
	    DNP3_E_INDEX);
	assert_int_equal(added, 246);
	assert_int_equal(buf[7], 10);
	assert_int_equal(buf[8], 255);
	/* relative times need a CTO first */
	assert_int_equal(open_writer(&w, buf, 2048, 2, 3, DNP3_Q_COUNT_8, 0),
	    0);
	assert_int_equal(dnp3_writer_add_run(&w, 0, objs, 2, &added),
	    DNP3_E_PARAM);
	assert_int_equal(added, 0);
	/* no open header */
	dnp3_writer_end(&w);
	assert_int_equal(dnp3_writer_add_run(&w, 0, objs, 2, &added),
	    DNP3_E_PARAM);
	/* a NULL object array with objects to add */
	assert_int_equal(open_writer(&w, buf, 2048, 30, 1,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_run(&w, 0, NULL, 1, &added),
	    DNP3_E_PARAM);
}

/* An object that cannot be encoded stops the run after the ones before. */
static void
run_stops_at_a_value_error(void **state)
{
	uint8_t buf[70000];
	struct dnp3_writer w;
	union dnp3_obj o[3];
	size_t added;

	(void)state;
	o[0].octets = (struct dnp3_octets){ (const uint8_t *)"abc", 3 };
	o[1].octets = (struct dnp3_octets){ (const uint8_t *)"de", 2 };
	o[2] = o[0];
	assert_int_equal(open_writer(&w, buf, 249, 110, 3,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_run(&w, 0, o, 3, &added),
	    DNP3_E_VALUE);
	assert_int_equal(added, 1);
	assert_int_equal(dnp3_writer_len(&w), 4 + 5 + 3);
	assert_memory_equal(buf + 9, "abc", 3);
	assert_int_equal(buf[8], 0);	/* stop index: one object */
}

/* Same as one call per object, for every shape the writer takes. */
static void
run_equals_single_adds(void **state)
{
	static const struct { uint8_t g, v; } ov[] = {
		{ 1, 1 }, { 1, 2 }, { 3, 1 }, { 3, 2 }, { 10, 2 },
		{ 20, 1 }, { 20, 2 }, { 20, 5 }, { 20, 6 }, { 21, 1 },
		{ 30, 1 }, { 30, 2 }, { 30, 3 }, { 30, 4 }, { 30, 5 },
		{ 30, 6 }, { 40, 1 }, { 40, 3 }, { 2, 2 }, { 32, 3 },
	};
	static const uint8_t quals[] = { DNP3_Q_START_STOP_8,
	    DNP3_Q_START_STOP_16, DNP3_Q_COUNT_8, DNP3_Q_COUNT_16,
	    DNP3_Q_INDEX_8, DNP3_Q_INDEX_16 };
	static const size_t txs[] = { 12, 30, 249, 2048 };
	static const size_t runs[] = { 1, 7, 32, 300 };

	(void)state;
	make_objs();
	for (size_t a = 0; a < sizeof(ov) / sizeof(ov[0]); a++)
	for (size_t b = 0; b < sizeof(quals); b++)
	for (size_t c = 0; c < sizeof(txs) / sizeof(txs[0]); c++)
	for (size_t d = 0; d < sizeof(runs) / sizeof(runs[0]); d++) {
		struct dnp3_writer w;
		uint32_t start = d % 2 ? 200 : 0;

		/* packed objects only go with ranges: skip what begin refuses */
		if (open_writer(&w, run_buf, txs[c], ov[a].g, ov[a].v,
		    quals[b], start) != 0)
			continue;
		compare(txs[c], ov[a].g, ov[a].v, quals[b], start, start,
		    runs[d], runs[d] / 2 + 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_bytes_g1v1_packed),
		cmocka_unit_test(run_bytes_g30v1),
		cmocka_unit_test(run_errors),
		cmocka_unit_test(run_stops_at_a_value_error),
		cmocka_unit_test(run_equals_single_adds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
