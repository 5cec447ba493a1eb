/*
 * Shared by the test_dnp3os_*.c programs: a configuration like the
 * embedded default's outstation, and requests sent as raw bytes with the
 * response copied out and decoded with the application codec.
 */
#ifndef TEST_DNP3OS_HELPERS_H
#define TEST_DNP3OS_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dnp3/app/app.h"
#include "dnp3/outstation/outstation.h"

#define T0	1700000000000ULL	/* a DNP3 time for updates */

/* n points of every type, in class 1, 100 events per type. */
static inline void
cfg_default(struct outstation_params *cfg, uint32_t n)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int t = 0; t < PT_COUNT; t++) {
		cfg->db[t].count = n;
		cfg->db[t].class = 1;
		cfg->db[t].event_buffer = 100;
	}
	cfg->confirm_ms = 5000;
	cfg->select_ms = 5000;
	cfg->controls = CONTROL_ECHO;
	cfg->frag_rx = 2048;
	cfg->frag_tx = 2048;
}

struct rsp;
static inline void req(struct outstation *, struct rsp *, const uint8_t *,
    size_t, uint64_t);

/*
 * A master's time sync (WRITE g50v1 of time 0 at now 0, which keeps the
 * clock where it was): clears IIN1.4 NEED_TIME, so that tests about
 * other things see the IIN of a synchronised outstation.
 */
static inline void
time_synced(struct outstation *os)
{
	static const uint8_t w[] = { 0xcf, 0x02, 0x32, 0x01, 0x07, 0x01,
	    0, 0, 0, 0, 0, 0 };
	struct os_output out;

	assert_int_equal(outstation_request(os, w, sizeof(w), 0, &out), 0);
	assert_int_equal(out.len, 4);
	assert_int_equal(out.data[2] & DNP3_IIN1_NEED_TIME, 0);
}

struct rsp {
	uint8_t b[65536];
	size_t len;
	uint64_t deadline;
	int ret;
};

/* Send one request fragment; the response (if any) is copied into r. */
static inline void
req(struct outstation *os, struct rsp *r, const uint8_t *frag, size_t len,
    uint64_t now)
{
	struct os_output out;

	r->ret = outstation_request(os, frag, len, now, &out);
	r->len = out.len;
	r->deadline = out.deadline_ms;
	assert_true(out.len <= sizeof(r->b));
	if (out.len)
		memcpy(r->b, out.data, out.len);
}

#define REQ(os, r, now, ...) do {					\
	const uint8_t req_bytes_[] = { __VA_ARGS__ };			\
	req((os), (r), req_bytes_, sizeof(req_bytes_), (now));		\
} while (0)

/* The response in *r is exactly these bytes. */
#define RSP_EQUAL(r, ...) do {						\
	const uint8_t want_[] = { __VA_ARGS__ };			\
	assert_int_equal((r)->len, sizeof(want_));			\
	assert_memory_equal((r)->b, want_, sizeof(want_));		\
} while (0)

/* Point index of type t takes value v, online, at time_ms. */
static inline void
update_point(struct outstation *os, enum point_type t, uint32_t index,
    struct point_value v, uint64_t time_ms)
{
	assert_int_equal(outstation_update(os, t, index, &v, DB_FLAG_ONLINE,
	    time_ms), 0);
}

/* An application confirm of sequence seq. */
static inline void
confirm(struct outstation *os, struct rsp *r, uint8_t seq, uint64_t now)
{
	uint8_t c[2] = { (uint8_t)(0xc0 | (seq & 0x0f)), 0x00 };

	req(os, r, c, sizeof(c), now);
}

static inline uint16_t
rsp_iin(const struct rsp *r)
{
	assert_true(r->len >= 4);
	return (uint16_t)(r->b[2] | r->b[3] << 8);
}

/* One decoded object header of a response. */
struct hdr {
	uint8_t group, variation, qualifier;
	uint32_t count;
	uint32_t first, last;	/* point indexes of the first and last object */
	struct dnp3_objhdr h;
};

/* Decode every object header of a response; returns how many. */
static inline int
rsp_headers(const struct rsp *r, struct hdr *out, int max)
{
	struct dnp3_objiter it;
	struct dnp3_objhdr h;
	int n = 0, ret;

	assert_true(r->len >= 4);
	assert_int_equal(r->b[1], DNP3_FC_RESPONSE);
	dnp3_objiter_init(&it, r->b + 4, r->len - 4, true);
	while ((ret = dnp3_objiter_next(&it, &h)) > 0) {
		assert_true(n < max);
		out[n].group = h.group;
		out[n].variation = h.variation;
		out[n].qualifier = h.qualifier;
		out[n].count = h.count;
		out[n].h = h;
		assert_int_equal(dnp3_objhdr_index(&h, 0, &out[n].first), 0);
		assert_int_equal(dnp3_objhdr_index(&h, h.count - 1,
		    &out[n].last), 0);
		n++;
	}
	assert_int_equal(ret, 0);
	return n;
}

/* Object i of a decoded header. */
static inline union dnp3_obj
hdr_obj(const struct hdr *h, uint32_t i, uint32_t *index)
{
	union dnp3_obj o;

	assert_int_equal(dnp3_objhdr_get(&h->h, i, index, &o), 0);
	return o;
}

#endif
