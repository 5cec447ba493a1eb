/*
 * dnp3_writer_add_points: the same bytes, length, error and count as
 * dnp3_writer_add_run with the records' values as objects, for every
 * static layout it encodes, values at the edges of each conversion,
 * fragments that fill up and ranges that end; DNP3_E_OBJECT (nothing
 * added) for the layouts it leaves to dnp3_writer_add_run. Octet strings
 * too, from fixed slots as the database keeps them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dnp3/app/app.h"

#define GUARD	0xA5
#define NREC	300

/* A record as a database might keep it: value first, flags after. */
struct rec {
	union {
		uint8_t u8;
		uint32_t u32;
		double f64;
	} v;
	uint64_t other;
	uint8_t flags;
};

static struct rec recs[NREC];
static union dnp3_obj objs[NREC];
/* Octet strings as the database keeps them: fixed slots, a length each. */
static uint8_t strs[NREC][20];
static uint16_t str_len = 4;

static const double analogs[] = {
	0, 1.5, -1.5, 2.5, -2.5, 0.49999, 32767.4, 32767.5, -32768.5,
	-32768.4, 2147483647.4, 2147483647.5, -2147483648.5, 1e300, -1e300,
	3.5e38, -3.5e38, 1e-320, NAN, INFINITY, -INFINITY, 12345.678,
};

/* Records of value type vt, and the objects dnp3_writer_add_run gets. */
static void
make(enum dnp3_run_value vt)
{
	for (int i = 0; i < NREC; i++) {
		memset(&recs[i], 0, sizeof(recs[i]));
		recs[i].flags = (uint8_t)(i * 37);	/* every bit, state too */
		recs[i].other = 0x1122334455667788ULL;
		memset(&objs[i], 0, sizeof(objs[i]));
		switch (vt) {
		case DNP3_RUN_U8:
			recs[i].v.u8 = (uint8_t)(i % 7);
			objs[i].point.value = recs[i].v.u8;
			break;
		case DNP3_RUN_U32:
			recs[i].v.u32 = (uint32_t)i * 2654435761u;
			objs[i].point.value = recs[i].v.u32;
			break;
		case DNP3_RUN_F64:
			recs[i].v.f64 = analogs[i % (sizeof(analogs) /
			    sizeof(analogs[0]))] * (i % 3 == 2 ? -1 : 1);
			objs[i].point.value = recs[i].v.f64;
			break;
		case DNP3_RUN_OCTETS:
			for (size_t k = 0; k < sizeof(strs[i]); k++)
				strs[i][k] = (uint8_t)(i * 7 + k);
			objs[i].octets.data = strs[i];
			objs[i].octets.len = str_len;
			continue;
		}
		objs[i].point.flags = recs[i].flags;
	}
}

static const struct dnp3_point_run *
src_of(enum dnp3_run_value vt, size_t skip)
{
	static struct dnp3_point_run s;

	if (vt == DNP3_RUN_OCTETS)
		s = (struct dnp3_point_run){ strs[skip], sizeof(strs[0]), 0,
		    0, vt };
	else
		s = (struct dnp3_point_run){ (const uint8_t *)&recs[skip],
		    sizeof(recs[0]), offsetof(struct rec, flags),
		    offsetof(struct rec, v), vt };
	return &s;
}

static uint8_t ref_buf[70000], pts_buf[70000];

static int
open_writer(struct dnp3_writer *w, uint8_t *buf, size_t tx, uint8_t g,
    uint8_t v, uint8_t q, uint32_t start)
{
	memset(buf, GUARD, sizeof(ref_buf));
	assert_int_equal(dnp3_writer_init(w, buf, tx), 0);
	assert_int_equal(dnp3_writer_start(w, DNP3_FC_RESPONSE, 0xC0), 0);
	return dnp3_writer_begin(w, g, v, q, start);
}

/* Two runs into one header (n1 then n2 objects) both ways: equal. */
static void
compare(enum dnp3_run_value vt, size_t tx, uint8_t g, uint8_t v, uint8_t q,
    uint32_t first, size_t n1, size_t n2)
{
	struct dnp3_writer rw, pw;
	size_t ra, pa;
	int rr, pr;

	assert_int_equal(open_writer(&rw, ref_buf, tx, g, v, q, first), 0);
	assert_int_equal(open_writer(&pw, pts_buf, tx, g, v, q, first), 0);
	rr = dnp3_writer_add_run(&rw, first, objs, n1, &ra);
	pr = dnp3_writer_add_points(&pw, first, src_of(vt, 0), n1, &pa);
	assert_int_equal(pr, rr);
	assert_int_equal(pa, ra);
	if (rr == 0 && n2 > 0) {
		rr = dnp3_writer_add_run(&rw, first + (uint32_t)n1, objs + n1,
		    n2, &ra);
		pr = dnp3_writer_add_points(&pw, first + (uint32_t)n1,
		    src_of(vt, n1), n2, &pa);
		assert_int_equal(pr, rr);
		assert_int_equal(pa, ra);
	}
	assert_int_equal(dnp3_writer_len(&pw), dnp3_writer_len(&rw));
	assert_memory_equal(pts_buf, ref_buf, dnp3_writer_len(&rw));
	for (size_t i = tx; i < tx + 64; i++)
		assert_int_equal(pts_buf[i], GUARD);
}

static const struct {
	uint8_t g, v;
	enum dnp3_run_value vt;
} layouts[] = {
	{ 1, 2, DNP3_RUN_U8 }, { 10, 2, DNP3_RUN_U8 }, { 3, 2, DNP3_RUN_U8 },
	{ 20, 1, DNP3_RUN_U32 }, { 20, 2, DNP3_RUN_U32 },
	{ 20, 5, DNP3_RUN_U32 }, { 20, 6, DNP3_RUN_U32 },
	{ 21, 1, DNP3_RUN_U32 }, { 21, 2, DNP3_RUN_U32 },
	{ 21, 9, DNP3_RUN_U32 }, { 21, 10, DNP3_RUN_U32 },
	{ 30, 1, DNP3_RUN_F64 }, { 30, 2, DNP3_RUN_F64 },
	{ 30, 3, DNP3_RUN_F64 }, { 30, 4, DNP3_RUN_F64 },
	{ 30, 5, DNP3_RUN_F64 }, { 30, 6, DNP3_RUN_F64 },
	{ 40, 1, DNP3_RUN_F64 }, { 40, 2, DNP3_RUN_F64 },
	{ 40, 3, DNP3_RUN_F64 }, { 40, 4, DNP3_RUN_F64 },
};

/* Every layout, whole runs, a run split in two, full fragments, 8-bit
   ranges that end at 255, count qualifiers. */
static void
points_equal_run(void **state)
{
	static const size_t txs[] = { 249, 2048, 65535 };
	(void)state;
	for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
		make(layouts[l].vt);
		for (size_t t = 0; t < 3; t++) {
			compare(layouts[l].vt, txs[t], layouts[l].g,
			    layouts[l].v, DNP3_Q_START_STOP_16, 7, NREC, 0);
			compare(layouts[l].vt, txs[t], layouts[l].g,
			    layouts[l].v, DNP3_Q_START_STOP_16, 0, 100, 200);
			compare(layouts[l].vt, txs[t], layouts[l].g,
			    layouts[l].v, DNP3_Q_START_STOP_8, 200, 30, 40);
			compare(layouts[l].vt, txs[t], layouts[l].g,
			    layouts[l].v, DNP3_Q_COUNT_16, 0, 50, 60);
		}
	}
}

/* Octet strings (g110) of 1, 4 and 20 bytes, the same ways. */
static void
points_octets_equal_run(void **state)
{
	static const size_t txs[] = { 249, 2048, 65535 };
	static const uint16_t lens[] = { 1, 4, 20 };
	(void)state;
	for (size_t l = 0; l < 3; l++) {
		uint8_t v = (uint8_t)lens[l];

		str_len = lens[l];
		make(DNP3_RUN_OCTETS);
		for (size_t t = 0; t < 3; t++) {
			compare(DNP3_RUN_OCTETS, txs[t], 110, v,
			    DNP3_Q_START_STOP_16, 7, NREC, 0);
			compare(DNP3_RUN_OCTETS, txs[t], 110, v,
			    DNP3_Q_START_STOP_16, 0, 100, 200);
			compare(DNP3_RUN_OCTETS, txs[t], 110, v,
			    DNP3_Q_START_STOP_8, 200, 30, 40);
			compare(DNP3_RUN_OCTETS, txs[t], 110, v,
			    DNP3_Q_COUNT_16, 0, 50, 60);
		}
	}
}

/* An empty run and a run the fragment has no room for: nothing added. */
static void
points_empty_and_full(void **state)
{
	struct dnp3_writer w;
	size_t added = 99;

	(void)state;
	make(DNP3_RUN_F64);
	assert_int_equal(open_writer(&w, pts_buf, 249, 30, 1,
	    DNP3_Q_START_STOP_16, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_F64, 0),
	    0, &added), 0);
	assert_int_equal(added, 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_F64, 0),
	    NREC, &added), DNP3_E_NOSPACE);
	assert_int_equal(added, (249 - 4 - 7) / 5);
	assert_int_equal(dnp3_writer_add_points(&w, (uint32_t)added,
	    src_of(DNP3_RUN_F64, added), 1, &added), DNP3_E_NOSPACE);
	assert_int_equal(added, 0);
}

/* Layouts left to dnp3_writer_add_run, and caller errors. */
static void
points_not_taken(void **state)
{
	struct dnp3_writer w;
	size_t added = 99;

	(void)state;
	make(DNP3_RUN_U8);
	/* packed bits */
	assert_int_equal(open_writer(&w, pts_buf, 2048, 1, 1,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_U8, 0),
	    4, &added), DNP3_E_OBJECT);
	assert_int_equal(added, 0);
	/* with a time */
	assert_int_equal(open_writer(&w, pts_buf, 2048, 21, 5,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_U32, 0),
	    4, &added), DNP3_E_OBJECT);
	/* a value type that does not go with the group */
	assert_int_equal(open_writer(&w, pts_buf, 2048, 30, 1,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_U8, 0),
	    4, &added), DNP3_E_OBJECT);
	/* indexes travel with the objects */
	assert_int_equal(open_writer(&w, pts_buf, 2048, 30, 1,
	    DNP3_Q_INDEX_16, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_F64, 0),
	    4, &added), DNP3_E_OBJECT);
	/* octet strings from other records, and numbers as strings */
	assert_int_equal(open_writer(&w, pts_buf, 2048, 110, 4,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_U8, 0),
	    4, &added), DNP3_E_OBJECT);
	assert_int_equal(open_writer(&w, pts_buf, 2048, 30, 1,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_add_points(&w, 0,
	    src_of(DNP3_RUN_OCTETS, 0), 4, &added), DNP3_E_OBJECT);
	assert_int_equal(open_writer(&w, pts_buf, 2048, 110, 4,
	    DNP3_Q_START_STOP_8, 0), 0);
	assert_int_equal(dnp3_writer_len(&w), 4);	/* the header waits for objects */
	/* no records, no open header */
	assert_int_equal(dnp3_writer_add_points(&w, 0, NULL, 4, &added),
	    DNP3_E_PARAM);
	dnp3_writer_end(&w);
	assert_int_equal(dnp3_writer_add_points(&w, 0, src_of(DNP3_RUN_U8, 0),
	    4, &added), DNP3_E_PARAM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(points_equal_run),
		cmocka_unit_test(points_octets_equal_run),
		cmocka_unit_test(points_empty_and_full),
		cmocka_unit_test(points_not_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
