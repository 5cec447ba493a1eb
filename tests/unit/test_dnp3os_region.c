/* libs: dnp3app */
/*
 * The state region (region.h): an outstation left in memory by one
 * process is resumed by the next, at another address, with its values,
 * its pending events and its IIN; a region that fails a check (header,
 * parameters, a change under way, a stored index out of range) is
 * discarded with its reason and a new outstation made in its place.
 */
#include "test_dnp3os_helpers.h"

#include <stdlib.h>

#include "dnp3/outstation/priv.h"
#include "dnp3/outstation/region.h"

#define NPOINTS	10
#define NEVENTS	5

static struct outstation_params cfg;
static struct rsp r;
static uint8_t *mem;
static size_t len;

static uint8_t *
region_alloc(void)
{
	uint8_t *m = aligned_alloc(16, len);

	assert_non_null(m);
	memset(m, 0, len);
	return m;
}

/*
 * A region with an outstation that a master has used: time set,
 * DEVICE_RESTART cleared, analog 1 at 42, NEVENTS counter events of
 * which the first were sent in a response that was never confirmed.
 */
static int
setup(void **state)
{
	struct outstation *os;
	enum os_region_start how;
	const char *why;
	(void)state;

	cfg_default(&cfg, NPOINTS);
	len = outstation_region_size(&cfg);
	assert_int_not_equal(len, 0);
	mem = region_alloc();
	os = outstation_region_open(mem, len, &cfg, true, &how, &why);
	assert_non_null(os);
	assert_int_equal(how, OS_REGION_NEW);
	assert_null(why);
	time_synced(os);
	REQ(os, &r, 10, 0xc0, 0x02, 0x50, 0x01, 0x00, 0x07, 0x07, 0x00);
	assert_int_equal(outstation_iin(os) & DNP3_IIN1_DEVICE_RESTART, 0);
	update_point(os, PT_ANALOG_INPUT, 1, (struct point_value){
	    .analog = 42 }, T0);
	for (uint32_t i = 0; i < NEVENTS; i++)
		update_point(os, PT_COUNTER, i, (struct point_value){
		    .counter = 1000 + i }, T0 + i);
	/* Read class 1: the events go out, the confirm never comes. */
	REQ(os, &r, 20, 0xc1, 0x01, 0x3c, 0x02, 0x06);
	assert_true(r.len > 4);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), NEVENTS);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(mem);
	mem = NULL;
	return 0;
}

/* What the previous process left, taken over at another address. */
static struct outstation *
reopen(const struct outstation_params *p, bool keep, enum os_region_start
    *how, const char **why)
{
	uint8_t *m = region_alloc();
	struct outstation *os;

	memcpy(m, mem, len);
	free(mem);
	mem = m;
	os = outstation_region_open(mem, len, p, keep, how, why);
	assert_non_null(os);
	assert_ptr_equal(os, mem + OS_REGION_HEADER);
	return os;
}

static struct outstation *
block(void)
{
	return (struct outstation *)(void *)(mem + OS_REGION_HEADER);
}

/* An event as a read carries it: its group and value. */
struct ev {
	uint8_t group;
	double value;
};

/* A class 1 read carries exactly the events want[0..n), in order. */
static void
read_class1(struct outstation *os, uint8_t seq, const struct ev *want,
    uint32_t n)
{
	struct hdr h[8];
	uint32_t got = 0, index;
	int nh;

	REQ(os, &r, 100, (uint8_t)(0xc0 | seq), 0x01, 0x3c, 0x02, 0x06);
	nh = rsp_headers(&r, h, 8);
	for (int i = 0; i < nh; i++) {
		for (uint32_t k = 0; k < h[i].count; k++) {
			union dnp3_obj o = hdr_obj(&h[i], k, &index);

			assert_true(got < n);
			assert_int_equal(h[i].group, want[got].group);
			assert_true(o.point.value == want[got].value);
			got++;
		}
	}
	assert_int_equal(got, n);
}

static void
test_kept(void **state)
{
	struct ev want[1 + NEVENTS] = { { 32, 42 } };
	enum os_region_start how;
	const char *why;
	struct outstation *os;
	(void)state;

	os = reopen(&cfg, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
	assert_null(why);
	/* The outstation as the master sees it did not restart. */
	assert_int_equal(outstation_iin(os) & (DNP3_IIN1_DEVICE_RESTART |
	    DNP3_IIN1_NEED_TIME), 0);
	assert_true(outstation_db(os)->points[PT_ANALOG_INPUT][1].v.analog ==
	    42);
	assert_int_equal(outstation_db(os)->points[PT_COUNTER][3].v.counter,
	    1003);
	/* The unconfirmed events are waiting again, in their order. */
	for (uint32_t i = 0; i < NEVENTS; i++)
		want[1 + i] = (struct ev){ 22, 1000 + i };
	read_class1(os, 2, want, 1 + NEVENTS);
	confirm(os, &r, 2, 110);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), 0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	/* And the resumed outstation goes on making events. */
	update_point(os, PT_COUNTER, 0, (struct point_value){ .counter = 7 },
	    T0 + 100);
	want[0] = (struct ev){ 22, 7 };
	read_class1(os, 3, want, 1);
}

/*
 * The same connection, given to the next process: the confirm of the
 * response the dead one sent removes its events; they never go again.
 */
static void
test_confirm_after_resume(void **state)
{
	enum os_region_start how;
	const char *why;
	struct outstation *os;
	(void)state;

	os = reopen(&cfg, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
	confirm(os, &r, 1, 30);
	assert_int_equal(r.len, 0);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), 0);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 0);
	read_class1(os, 2, NULL, 0);
}

/* The counter values a response carries after the first `from`, which
   must follow on; the next expected. */
static uint32_t
values_from(uint32_t from)
{
	struct hdr h[8];
	uint32_t index;
	int nh = rsp_headers(&r, h, 8);

	for (int i = 0; i < nh; i++)
		for (uint32_t k = 0; k < h[i].count; k++) {
			union dnp3_obj o = hdr_obj(&h[i], k, &index);

			assert_int_equal(h[i].group, 22);
			assert_true(o.point.value == from);
			from++;
		}
	return from;
}

/* A read of several fragments, the process killed before the first is
   confirmed: the confirm on the same connection brings the next one. */
static void
test_fragments_after_resume(void **state)
{
	enum os_region_start how;
	const char *why;
	struct outstation_params p;
	struct outstation *os;
	uint32_t next;
	(void)state;

	cfg_default(&p, 1);
	p.frag_tx = 249;
	free(mem);
	len = outstation_region_size(&p);
	mem = region_alloc();
	os = outstation_region_open(mem, len, &p, true, &how, &why);
	assert_non_null(os);
	for (uint32_t i = 1; i <= 60; i++)
		update_point(os, PT_COUNTER, 0, (struct point_value){
		    .counter = i }, T0 + i);
	REQ(os, &r, 20, 0xc1, 0x01, 0x3c, 0x02, 0x06);
	assert_int_equal(r.b[0], 0xa1);		/* FIR, CON, seq 1 */
	next = values_from(1);
	assert_true(next > 1 && next <= 60);
	os = reopen(&p, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
	confirm(os, &r, 1, 30);
	assert_int_equal(r.b[0], 0x62);		/* FIN, CON, seq 2 */
	assert_int_equal(values_from(next), 61);
	confirm(os, &r, 2, 40);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), 0);
}

/* A new master instead: the unconfirmed events go out again, and a
   confirm of the old response counts no more. */
static void
test_new_master_after_resume(void **state)
{
	struct ev want[1 + NEVENTS] = { { 32, 42 } };
	enum os_region_start how;
	const char *why;
	struct outstation *os;
	(void)state;

	os = reopen(&cfg, true, &how, &why);
	outstation_connection_reset(os);
	confirm(os, &r, 1, 30);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), NEVENTS);
	for (uint32_t i = 0; i < NEVENTS; i++)
		want[1 + i] = (struct ev){ 22, 1000 + i };
	read_class1(os, 1, want, 1 + NEVENTS);
}

/* A discarded region gives a new outstation: restart, no data. */
static void
assert_clean(struct outstation *os)
{
	assert_true(outstation_iin(os) & DNP3_IIN1_DEVICE_RESTART);
	assert_int_equal(outstation_events_pending(os, PT_COUNTER), 0);
	assert_true(outstation_db(os)->points[PT_ANALOG_INPUT][1].v.analog ==
	    0);
}

static void
assert_discarded(const struct outstation_params *p, const char *reason)
{
	enum os_region_start how;
	const char *why;
	struct outstation *os;

	os = reopen(p, true, &how, &why);
	assert_int_equal(how, OS_REGION_DISCARDED);
	assert_non_null(why);
	assert_string_equal(why, reason);
	assert_clean(os);
	/* The new block is whole: the next process keeps it. */
	os = reopen(p, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
	assert_clean(os);
}

static void
test_change_interrupted(void **state)
{
	(void)state;
	/* Killed inside a call of outstation.h. */
	os_change_begin(block());
	assert_discarded(&cfg, "a change was interrupted");
}

/* Killed in the middle of a batch: the updates before the kill made the
   block whole again no more than the kill did. */
static void
test_batch_interrupted(void **state)
{
	struct outstation *os = block();
	(void)state;

	outstation_batch_begin(os);
	update_point(os, PT_ANALOG_INPUT, 1, (struct point_value){
	    .analog = 43 }, T0 + 50);
	update_point(os, PT_ANALOG_INPUT, 2, (struct point_value){
	    .analog = 44 }, T0 + 50);
	assert_false(os_change_whole(os));
	assert_discarded(&cfg, "a change was interrupted");
}

/* A batch that ended is kept whole, with an event for each update (after
   the setup's one). */
static void
test_batch_whole(void **state)
{
	enum os_region_start how;
	const char *why;
	struct outstation *os = block();
	(void)state;

	outstation_batch_begin(os);
	update_point(os, PT_ANALOG_INPUT, 1, (struct point_value){
	    .analog = 43 }, T0 + 50);
	update_point(os, PT_ANALOG_INPUT, 2, (struct point_value){
	    .analog = 44 }, T0 + 50);
	outstation_batch_end(os);
	os = reopen(&cfg, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
	assert_true(outstation_db(os)->points[PT_ANALOG_INPUT][1].v.analog ==
	    43);
	assert_true(outstation_db(os)->points[PT_ANALOG_INPUT][2].v.analog ==
	    44);
	assert_int_equal(outstation_events_pending(os, PT_ANALOG_INPUT), 3);
}

/* A count of changes left by a process killed between counting one and
   marking it does not outlive the take-over: the next change ends. */
static void
test_depth_reset(void **state)
{
	enum os_region_start how;
	const char *why;
	struct outstation *os;
	(void)state;

	block()->chg.depth = 3;
	os = reopen(&cfg, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
	update_point(os, PT_ANALOG_INPUT, 1, (struct point_value){
	    .analog = 45 }, T0 + 60);
	assert_true(os_change_whole(os));
	os = reopen(&cfg, true, &how, &why);
	assert_int_equal(how, OS_REGION_KEPT);
}

static void
test_header_byte(void **state)
{
	(void)state;
	mem[20] ^= 0x01;	/* params_hash, under the header's check */
	assert_discarded(&cfg, "header damaged");
}

static void
test_magic_byte(void **state)
{
	(void)state;
	mem[0] ^= 0x20;
	assert_discarded(&cfg, "not a state region");
}

static void
test_parameters_changed(void **state)
{
	struct outstation_params p = cfg;
	(void)state;

	p.confirm_ms = cfg.confirm_ms + 1;
	assert_int_equal(outstation_region_size(&p), len);
	assert_discarded(&p, "configuration changed");
}

static void
test_not_kept(void **state)
{
	enum os_region_start how;
	const char *why;
	(void)state;

	assert_clean(reopen(&cfg, false, &how, &why));
	assert_int_equal(how, OS_REGION_DISCARDED);
	assert_string_equal(why, "not kept");
}

static void
test_ring_head(void **state)
{
	struct event_ring *ring = &block()->ev.ring[PT_COUNTER];
	(void)state;

	ring->head = ring->cap;
	assert_discarded(&cfg, "contents damaged");
}

static void
test_ring_count(void **state)
{
	struct event_ring *ring = &block()->ev.ring[PT_COUNTER];
	(void)state;

	ring->count = ring->cap + 1;
	assert_discarded(&cfg, "contents damaged");
}

static void
test_event_index(void **state)
{
	struct event_ring *ring = &block()->ev.ring[PT_COUNTER];
	(void)state;

	ring->ev[(ring->head + NEVENTS - 1) % ring->cap].index = NPOINTS;
	assert_discarded(&cfg, "contents damaged");
}

static void
test_point_class(void **state)
{
	(void)state;
	block()->db.points[PT_ANALOG_INPUT][2].class = 4;
	assert_discarded(&cfg, "contents damaged");
}

/* A valid variation, but not the type's: a run would encode it wrong. */
static void
test_point_variation(void **state)
{
	(void)state;
	block()->db.points[PT_ANALOG_INPUT][3].static_var = 2;
	assert_discarded(&cfg, "contents damaged");
}

static void
test_session_state(void **state)
{
	(void)state;
	block()->ses.state = OS_WAIT_CONTROL + 1;
	assert_discarded(&cfg, "contents damaged");
}

static void
test_plan_selection(void **state)
{
	(void)state;
	block()->plan.sel[0].filter.class_mask = 0x10;
	assert_discarded(&cfg, "contents damaged");
}

static void
test_bad_length(void **state)
{
	enum os_region_start how;
	const char *why;
	(void)state;

	assert_null(outstation_region_open(mem, len - 16, &cfg, true, &how,
	    &why));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_kept),
		T(test_confirm_after_resume),
		T(test_new_master_after_resume),
		T(test_fragments_after_resume),
		T(test_session_state),
		T(test_plan_selection),
		T(test_change_interrupted),
		T(test_batch_interrupted),
		T(test_batch_whole),
		T(test_depth_reset),
		T(test_header_byte),
		T(test_magic_byte),
		T(test_parameters_changed),
		T(test_not_kept),
		T(test_ring_head),
		T(test_ring_count),
		T(test_event_index),
		T(test_point_class),
		T(test_point_variation),
		T(test_bad_length),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
