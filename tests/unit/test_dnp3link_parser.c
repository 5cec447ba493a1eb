/*
 * Incremental link parser: frames whole, split and batched; every kind of
 * malformed input in both link error modes. Inputs are exact-size heap
 * copies so the sanitizer build catches any read past the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dnp3/link/crc.h"
#include "dnp3/link/link.h"

/* request link status, master 1024 -> outstation 1 (see frame tests) */
static const uint8_t rls[] = {
	0x05, 0x64, 0x05, 0xC9, 0x01, 0x00, 0x00, 0x04, 0xA6, 0x57 };

static size_t
make_data_frame(uint8_t *out, size_t len, uint8_t seed)
{
	uint8_t data[LINK_MAX_USER_DATA];
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA, .dest = 1, .src = 1024 };

	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(seed + i * 7) == 0x05 ? 0x06 :
		    (uint8_t)(seed + i * 7);
	int n = link_frame_encode(out, LINK_MAX_FRAME, &h, data, len);
	assert_true(n > 0);
	return (size_t)n;
}

/* Feeds buf in one call per result; returns the result of that call. */
static enum link_parse
feed(struct link_parser *p, const uint8_t *buf, size_t len, size_t *used,
    struct link_frame *f, enum link_err *err)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, buf, len);
	enum link_parse r = link_parser_feed(p, copy, len, used, f, err);
	/* f->data points into the parser, never into the input */
	free(copy);
	return r;
}

static void
test_one_frame(void **state)
{
	struct link_parser p;
	struct link_frame f;
	enum link_err err;
	size_t used;
	(void)state;
	link_parser_init(&p, LINK_ERROR_CLOSE);
	assert_int_equal(feed(&p, rls, sizeof(rls), &used, &f, &err),
	    LINK_PARSE_FRAME);
	assert_int_equal(used, sizeof(rls));
	assert_true(f.hdr.dir && f.hdr.prm);
	assert_int_equal(f.hdr.func, LINK_PRI_REQUEST_LINK_STATUS);
	assert_int_equal(f.hdr.dest, 1);
	assert_int_equal(f.hdr.src, 1024);
	assert_int_equal(f.len, 0);
	assert_null(f.data);
	assert_int_equal(p.stats.frames, 1);
	assert_int_equal(feed(&p, rls, 0, &used, &f, &err), LINK_PARSE_MORE);
}

/* A 250-byte frame cut at every position arrives whole and exact. */
static void
test_split_everywhere(void **state)
{
	uint8_t fr[LINK_MAX_FRAME];
	size_t n = make_data_frame(fr, 250, 3);
	(void)state;
	assert_int_equal(n, LINK_MAX_FRAME);
	for (size_t cut = 0; cut <= n; cut++) {
		struct link_parser p;
		struct link_frame f;
		enum link_err err;
		size_t used;
		link_parser_init(&p, LINK_ERROR_CLOSE);
		enum link_parse r = feed(&p, fr, cut, &used, &f, &err);
		if (cut < n) {
			assert_int_equal(r, LINK_PARSE_MORE);
			assert_int_equal(used, cut);
			r = feed(&p, fr + cut, n - cut, &used, &f, &err);
			assert_int_equal(used, n - cut);
		}
		assert_int_equal(r, LINK_PARSE_FRAME);
		assert_int_equal(f.len, 250);
		assert_memory_equal(f.data, fr + 10, 16);	/* first block */
		assert_int_equal(f.data[249], fr[LINK_MAX_FRAME - 3]);
	}
}

static void
test_byte_by_byte(void **state)
{
	uint8_t fr[LINK_MAX_FRAME];
	size_t n = make_data_frame(fr, 33, 9);
	struct link_parser p;
	struct link_frame f;
	enum link_err err;
	size_t used, frames = 0;
	(void)state;
	link_parser_init(&p, LINK_ERROR_CLOSE);
	for (size_t i = 0; i < n; i++) {
		enum link_parse r = feed(&p, fr + i, 1, &used, &f, &err);
		assert_int_equal(used, 1);
		if (r == LINK_PARSE_FRAME)
			frames++;
		else
			assert_int_equal(r, LINK_PARSE_MORE);
	}
	assert_int_equal(frames, 1);
	assert_int_equal(f.len, 33);
}

/* Three frames in one buffer come out one per call. */
static void
test_batched(void **state)
{
	uint8_t buf[3 * LINK_MAX_FRAME];
	size_t n = 0, sizes[3] = { 0, 16, 100 };
	struct link_parser p;
	struct link_frame f;
	enum link_err err;
	size_t used, off = 0;
	(void)state;
	for (int i = 0; i < 3; i++)
		n += make_data_frame(buf + n, sizes[i], (uint8_t)i);
	link_parser_init(&p, LINK_ERROR_CLOSE);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(feed(&p, buf + off, n - off, &used, &f, &err),
		    LINK_PARSE_FRAME);
		assert_int_equal(f.len, sizes[i]);
		off += used;
	}
	assert_int_equal(off, n);
	assert_int_equal(p.stats.frames, 3);
}

/* A truncated frame is held, never returned. */
static void
test_truncated(void **state)
{
	uint8_t fr[LINK_MAX_FRAME];
	size_t n = make_data_frame(fr, 40, 1);
	struct link_parser p;
	struct link_frame f;
	enum link_err err;
	size_t used;
	(void)state;
	link_parser_init(&p, LINK_ERROR_CLOSE);
	assert_int_equal(feed(&p, fr, n - 1, &used, &f, &err), LINK_PARSE_MORE);
	assert_int_equal(used, n - 1);
	assert_int_equal(p.stats.frames, 0);
}

/* CLOSE mode: each malformation gives its own error, and it sticks. */
static void
expect_close_error(const uint8_t *buf, size_t len, enum link_err want)
{
	struct link_parser p;
	struct link_frame f;
	enum link_err err = LINK_OK;
	size_t used;

	link_parser_init(&p, LINK_ERROR_CLOSE);
	assert_int_equal(feed(&p, buf, len, &used, &f, &err), LINK_PARSE_ERROR);
	assert_int_equal(err, want);
	assert_int_equal(p.stats.errors[want], 1);
	err = LINK_OK;
	assert_int_equal(feed(&p, rls, sizeof(rls), &used, &f, &err),
	    LINK_PARSE_ERROR);
	assert_int_equal(err, want);
	assert_int_equal(used, 0);
	assert_int_equal(p.stats.frames, 0);
}

static void
test_close_errors(void **state)
{
	uint8_t b[LINK_MAX_FRAME + 8];
	size_t n;
	(void)state;

	b[0] = 0xAA;			/* garbage before a frame */
	memcpy(b + 1, rls, sizeof(rls));
	expect_close_error(b, 1 + sizeof(rls), LINK_ERR_START);
	memcpy(b, rls, sizeof(rls));	/* 05 then not 64 */
	b[1] = 0x65;
	expect_close_error(b, sizeof(rls), LINK_ERR_START);
	memcpy(b, rls, sizeof(rls));	/* header CRC */
	b[9] ^= 0x01;
	expect_close_error(b, sizeof(rls), LINK_ERR_HEADER_CRC);
	memcpy(b, rls, sizeof(rls));	/* LEN 4, with a correct CRC */
	b[2] = 4;
	crc_dnp_append(b, 8);
	expect_close_error(b, sizeof(rls), LINK_ERR_LENGTH);
	n = make_data_frame(b, 40, 2);	/* second block's data */
	b[10 + 18 + 3] ^= 0x80;
	expect_close_error(b, n, LINK_ERR_BODY_CRC);
	n = make_data_frame(b, 40, 2);	/* last block's CRC */
	b[n - 1] ^= 0x01;
	expect_close_error(b, n, LINK_ERR_BODY_CRC);
	assert_string_equal(link_err_str(LINK_ERR_BODY_CRC), "bad body CRC");
	assert_string_equal(link_err_str(LINK_ERR_START), "bad start");
}

/* Feeds a whole buffer in DISCARD mode, collecting frames and errors. */
struct drain {
	size_t frames, errors, last_len;
	enum link_err err[8];
};

static void
drain(struct link_parser *p, const uint8_t *buf, size_t len, struct drain *d)
{
	size_t off = 0, used;
	struct link_frame f;
	enum link_err err;

	for (int guard = 0; guard < 100; guard++) {
		enum link_parse r = feed(p, buf + off, len - off, &used, &f, &err);
		off += used;
		if (r == LINK_PARSE_FRAME) {
			d->frames++;
			d->last_len = f.len;
		} else if (r == LINK_PARSE_ERROR) {
			assert_true(d->errors < 8);
			d->err[d->errors++] = err;
		} else {
			assert_int_equal(off, len);
			return;
		}
	}
	fail_msg("parser did not finish");
}

static void
test_discard_garbage(void **state)
{
	uint8_t b[64];
	struct link_parser p;
	struct drain d = { 0 };
	(void)state;
	memcpy(b, "\xAA\xBB\x05\xCC", 4);
	memcpy(b + 4, rls, sizeof(rls));
	link_parser_init(&p, LINK_ERROR_DISCARD);
	drain(&p, b, 4 + sizeof(rls), &d);
	assert_int_equal(d.frames, 1);
	assert_int_equal(d.errors, 1);	/* one run, reported once */
	assert_int_equal(d.err[0], LINK_ERR_START);
	assert_int_equal(p.stats.discarded, 4);
	assert_int_equal(p.stats.errors[LINK_ERR_START], 1);

	/* a run of garbage spread over calls is still one error */
	struct drain d2 = { 0 };
	link_parser_init(&p, LINK_ERROR_DISCARD);
	drain(&p, (const uint8_t *)"\x01\x02", 2, &d2);
	drain(&p, (const uint8_t *)"\x03\x05", 2, &d2);
	drain(&p, (const uint8_t *)"\x04", 1, &d2);
	drain(&p, rls, sizeof(rls), &d2);
	assert_int_equal(d2.errors, 1);
	assert_int_equal(d2.frames, 1);
	assert_int_equal(p.stats.discarded, 5);
}

static void
test_discard_bad_header(void **state)
{
	uint8_t b[2 * LINK_MAX_FRAME];
	struct link_parser p;
	struct drain d = { 0 };
	(void)state;
	size_t n = make_data_frame(b, 20, 0x10);
	b[8] ^= 0xFF;			/* header CRC of a 20-byte frame */
	memcpy(b + n, rls, sizeof(rls));
	link_parser_init(&p, LINK_ERROR_DISCARD);
	drain(&p, b, n + sizeof(rls), &d);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.err[0], LINK_ERR_HEADER_CRC);
	assert_int_equal(d.frames, 1);
	assert_int_equal(d.last_len, 0);
	assert_int_equal(p.stats.discarded, n);
	assert_int_equal(p.stats.frames, 1);
}

/* A 05 64 inside a bad header is where the search resumes. */
static void
test_discard_restart_inside_header(void **state)
{
	uint8_t b[32] = { 0x05, 0x64, 0x05 };
	struct link_parser p;
	struct drain d = { 0 };
	(void)state;
	memcpy(b + 3, rls, sizeof(rls));	/* 05 64 05 | 05 64 05 C9 ... */
	link_parser_init(&p, LINK_ERROR_DISCARD);
	drain(&p, b, 3 + sizeof(rls), &d);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.err[0], LINK_ERR_HEADER_CRC);
	assert_int_equal(d.frames, 1);
	assert_int_equal(p.stats.discarded, 3);
}

static void
test_discard_bad_body_and_length(void **state)
{
	uint8_t b[3 * LINK_MAX_FRAME];
	struct link_parser p;
	struct drain d = { 0 };
	(void)state;
	size_t n = make_data_frame(b, 50, 0x20);
	b[30] ^= 0x04;
	size_t m = n + make_data_frame(b + n, 7, 0x30);
	memcpy(b + m, rls, sizeof(rls));
	b[m + 2] = 2;			/* LEN 2 with a good CRC */
	crc_dnp_append(b + m, 8);
	memcpy(b + m + sizeof(rls), rls, sizeof(rls));
	link_parser_init(&p, LINK_ERROR_DISCARD);
	drain(&p, b, m + 2 * sizeof(rls), &d);
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.err[0], LINK_ERR_BODY_CRC);
	assert_int_equal(d.err[1], LINK_ERR_LENGTH);
	assert_int_equal(d.frames, 2);
	assert_int_equal(p.stats.discarded, n + sizeof(rls));
	assert_int_equal(p.stats.errors[LINK_ERR_BODY_CRC], 1);
	assert_int_equal(p.stats.errors[LINK_ERR_LENGTH], 1);
}

/*
 * A frame with a good header but a bad body CRC is dropped whole: a frame
 * image inside its user data is data, not a frame to deliver.
 */
static void
test_discard_bad_body_drops_whole_frame(void **state)
{
	uint8_t data[20], b[2 * LINK_MAX_FRAME];
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA, .dest = 1, .src = 1024 };
	struct link_parser p;
	struct drain d = { 0 };
	(void)state;
	memset(data, 0x11, sizeof(data));
	memcpy(data + 2, rls, sizeof(rls));
	int n = link_frame_encode(b, sizeof(b), &h, data, sizeof(data));
	assert_int_equal(n, 10 + 20 + 4);
	b[n - 1] ^= 0x01;			/* CRC of the second block */
	memcpy(b + n, rls, sizeof(rls));
	link_parser_init(&p, LINK_ERROR_DISCARD);
	drain(&p, b, (size_t)n + sizeof(rls), &d);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.err[0], LINK_ERR_BODY_CRC);
	assert_int_equal(d.frames, 1);		/* only the real one after it */
	assert_int_equal(p.stats.discarded, (size_t)n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_frame),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_batched),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_close_errors),
		cmocka_unit_test(test_discard_garbage),
		cmocka_unit_test(test_discard_bad_header),
		cmocka_unit_test(test_discard_restart_inside_header),
		cmocka_unit_test(test_discard_bad_body_and_length),
		cmocka_unit_test(test_discard_bad_body_drops_whole_frame),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
