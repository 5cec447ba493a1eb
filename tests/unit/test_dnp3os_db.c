/* The point database: sizing, RESTART until updated, change detection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dnp3/outstation/params.h"
#include "dnp3/outstation/database.h"

static struct point_params cfg[PT_COUNT];
static struct db db;
static void *mem;

static int
setup(void **state)
{
	(void)state;
	memset(cfg, 0, sizeof(cfg));
	for (int t = 0; t < PT_COUNT; t++) {
		cfg[t].count = 10;
		cfg[t].class = 1;
	}
	cfg[PT_ANALOG_INPUT].deadband = 0.5;
	cfg[PT_COUNTER].deadband = 5;
	size_t n = db_size(cfg);
	assert_true(n > 0);
	assert_int_equal(n % 16, 0);
	mem = aligned_alloc(16, n);
	assert_non_null(mem);
	assert_int_equal(db_init(&db, mem, n, cfg), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static void
test_points_start_with_restart(void **state)
{
	(void)state;
	for (int t = 0; t < PT_COUNT; t++) {
		assert_int_equal(db.count[t], 10);
		for (uint32_t i = 0; i < 10; i++) {
			struct db_point *p = db_point(&db, t, i);
			assert_non_null(p);
			assert_int_equal(p->flags, DB_FLAG_RESTART);
			assert_int_equal(p->class, 1);
		}
		assert_null(db_point(&db, t, 10));
	}
	/* Defaults: variations with a flag octet, so RESTART is visible. */
	assert_int_equal(db_point(&db, PT_BINARY_INPUT, 0)->static_var, 2);
	assert_int_equal(db_point(&db, PT_ANALOG_INPUT, 0)->static_var, 1);
	assert_int_equal(db_point(&db, PT_BINARY_INPUT, 0)->event_var, 2);
	assert_int_equal(db_point(&db, PT_DOUBLE_BIT_INPUT, 0)->v.bits,
	    DBIT_INDETERMINATE);
	assert_int_equal(db_point(&db, PT_OCTET_STRING, 0)->octet_len, 1);
}

static void
test_update_clears_restart_and_reports_change(void **state)
{
	struct point_value v = { .binary = true };
	(void)state;
	assert_int_equal(db_set(&db, PT_BINARY_INPUT, 3, &v, DB_FLAG_ONLINE,
	    1000), 1);
	struct db_point *p = db_point(&db, PT_BINARY_INPUT, 3);
	assert_int_equal(p->flags, DB_FLAG_ONLINE);
	assert_int_equal(p->v.bits, 1);
	assert_int_equal(p->time_ms, 1000);
	/* Same value and flags: no event. */
	assert_int_equal(db_set(&db, PT_BINARY_INPUT, 3, &v, DB_FLAG_ONLINE,
	    2000), 0);
	/* Flags alone change: event. */
	assert_int_equal(db_set(&db, PT_BINARY_INPUT, 3, &v,
	    DB_FLAG_ONLINE | DB_FLAG_LOCAL_FORCED, 3000), 1);
	/* The state bit is never stored among the flags. */
	assert_int_equal(db_set(&db, PT_BINARY_INPUT, 3, &v,
	    DB_FLAG_ONLINE | DB_FLAG_STATE, 3000), 1);
	assert_int_equal(p->flags, DB_FLAG_ONLINE);
}

static void
test_analog_deadband(void **state)
{
	struct point_value v = { .analog = 10.0 };
	(void)state;
	assert_int_equal(db_set(&db, PT_ANALOG_INPUT, 0, &v, DB_FLAG_ONLINE,
	    1), 1);
	v.analog = 10.4;	/* below the 0.5 deadband */
	assert_int_equal(db_set(&db, PT_ANALOG_INPUT, 0, &v, DB_FLAG_ONLINE,
	    2), 0);
	assert_true(db_point(&db, PT_ANALOG_INPUT, 0)->v.analog == 10.4);
	v.analog = 10.5;	/* 0.5 from the reported 10.0: not more */
	assert_int_equal(db_set(&db, PT_ANALOG_INPUT, 0, &v, DB_FLAG_ONLINE,
	    3), 0);
	v.analog = 10.6;	/* 0.6 from the reported 10.0 */
	assert_int_equal(db_set(&db, PT_ANALOG_INPUT, 0, &v, DB_FLAG_ONLINE,
	    4), 1);
	v.analog = 10.2;	/* 0.4 from the new reported 10.6 */
	assert_int_equal(db_set(&db, PT_ANALOG_INPUT, 0, &v, DB_FLAG_ONLINE,
	    5), 0);
	/* Without deadband (analog output) every change counts. */
	v.analog = 0.001;
	assert_int_equal(db_set(&db, PT_ANALOG_OUTPUT, 0, &v, DB_FLAG_RESTART,
	    6), 1);
}

static void
test_counter_deadband(void **state)
{
	struct point_value v = { .counter = 100 };
	(void)state;
	assert_int_equal(db_set(&db, PT_COUNTER, 1, &v, DB_FLAG_ONLINE, 1), 1);
	v.counter = 105;
	assert_int_equal(db_set(&db, PT_COUNTER, 1, &v, DB_FLAG_ONLINE, 2), 0);
	v.counter = 106;
	assert_int_equal(db_set(&db, PT_COUNTER, 1, &v, DB_FLAG_ONLINE, 3), 1);
	v.counter = 107;	/* frozen counters have no deadband */
	assert_int_equal(db_set(&db, PT_FROZEN_COUNTER, 1, &v, DB_FLAG_RESTART,
	    3), 1);
}

static void
test_octet_string(void **state)
{
	struct point_value v = { .octets = (const uint8_t *)"hello",
	    .octet_len = 5 };
	(void)state;
	assert_int_equal(db_set(&db, PT_OCTET_STRING, 9, &v, 0, 1), 1);
	assert_int_equal(db_point(&db, PT_OCTET_STRING, 9)->octet_len, 5);
	assert_memory_equal(db_octets(&db, 9), "hello", 5);
	assert_int_equal(db_set(&db, PT_OCTET_STRING, 9, &v, 0, 2), 0);
	v.octets = (const uint8_t *)"hellO";
	assert_int_equal(db_set(&db, PT_OCTET_STRING, 9, &v, 0, 3), 1);
	assert_memory_equal(db_octets(&db, 9), "hellO", 5);
	v.octet_len = 0;	/* empty: refused, value kept */
	assert_int_equal(db_set(&db, PT_OCTET_STRING, 9, &v, 0, 4), -1);
	assert_memory_equal(db_octets(&db, 9), "hellO", 5);
	assert_null(db_octets(&db, 10));
}

static void
test_bad_updates_refused(void **state)
{
	struct point_value v = { .dbit = 4 };
	(void)state;
	assert_int_equal(db_set(&db, PT_DOUBLE_BIT_INPUT, 0, &v, 0, 1), -1);
	v.dbit = DBIT_ON;
	assert_int_equal(db_set(&db, PT_DOUBLE_BIT_INPUT, 10, &v, 0, 1), -1);
	assert_int_equal(db_set(&db, PT_COUNT, 0, &v, 0, 1), -1);
	assert_int_equal(db_set(&db, (enum point_type)-1, 0, &v, 0, 1), -1);
	v.analog = __builtin_nan("");
	assert_int_equal(db_set(&db, PT_ANALOG_INPUT, 0, &v, 0, 1), -1);
	assert_int_equal(db_point(&db, PT_ANALOG_INPUT, 0)->flags,
	    DB_FLAG_RESTART);
}

static void
test_demo_values(void **state)
{
	(void)state;
	db_load_demo_values(&db, 42);
	for (uint32_t i = 0; i < 10; i++) {
		assert_int_equal(db_point(&db, PT_BINARY_INPUT, i)->v.bits,
		    i % 2);
		assert_int_equal(db_point(&db, PT_BINARY_OUTPUT, i)->v.bits,
		    i % 2);
		assert_int_equal(db_point(&db, PT_DOUBLE_BIT_INPUT, i)->v.bits,
		    i % 2 ? DBIT_ON : DBIT_OFF);
		assert_int_equal(db_point(&db, PT_COUNTER, i)->v.counter,
		    i * 10);
		assert_int_equal(db_point(&db, PT_FROZEN_COUNTER, i)->v.counter,
		    i * 10);
		assert_true(db_point(&db, PT_ANALOG_INPUT, i)->v.analog ==
		    i * 1.5);
		assert_true(db_point(&db, PT_ANALOG_OUTPUT, i)->v.analog ==
		    i * 2.5);
		for (int t = 0; t < PT_OCTET_STRING; t++) {
			assert_int_equal(db_point(&db, t, i)->flags,
			    DB_FLAG_ONLINE);
			assert_int_equal(db_point(&db, t, i)->time_ms, 42);
		}
	}
	assert_int_equal(db_point(&db, PT_OCTET_STRING, 7)->octet_len, 3);
	assert_memory_equal(db_octets(&db, 7), "os7", 3);
}

static void
test_sizes_checked(void **state)
{
	struct point_params c[PT_COUNT];
	(void)state;
	memset(c, 0, sizeof(c));
	assert_true(db_size(c) > 0);	/* an empty database is fine */
	c[PT_COUNTER].count = DB_POINTS_MAX + 1;
	assert_int_equal(db_size(c), 0);
	c[PT_COUNTER].count = 1;
	c[PT_ANALOG_INPUT].static_variation = 7;	/* no g30v7 */
	assert_int_equal(db_size(c), 0);
	c[PT_ANALOG_INPUT].static_variation = 5;
	c[PT_ANALOG_INPUT].event_variation = 9;		/* no g32v9 */
	assert_int_equal(db_size(c), 0);
	c[PT_ANALOG_INPUT].event_variation = 7;
	c[PT_ANALOG_INPUT].class = 4;
	assert_int_equal(db_size(c), 0);
	c[PT_ANALOG_INPUT].class = 3;
	assert_true(db_size(c) > 0);
	/* A buffer too small is refused, not overrun. */
	struct db d;
	static uint8_t small[16] __attribute__((aligned(16)));
	assert_int_equal(db_init(&d, small, sizeof(small), cfg), -1);
}

static void
test_groups_and_variations(void **state)
{
	(void)state;
	assert_int_equal(db_type_of_static_group(30), PT_ANALOG_INPUT);
	assert_int_equal(db_type_of_event_group(32), PT_ANALOG_INPUT);
	assert_int_equal(db_type_of_static_group(32), PT_COUNT);
	assert_int_equal(db_type_of_static_group(110), PT_OCTET_STRING);
	assert_int_equal(db_type_of_event_group(23), PT_FROZEN_COUNTER);
	assert_true(db_static_var_ok(PT_FROZEN_COUNTER, 10));
	assert_false(db_static_var_ok(PT_COUNTER, 9));
	assert_false(db_static_var_ok(PT_BINARY_INPUT, 3));
	assert_true(db_event_var_ok(PT_DOUBLE_BIT_INPUT, 3));
	assert_false(db_event_var_ok(PT_BINARY_OUTPUT, 3));
	assert_true(db_event_var_ok(PT_ANALOG_OUTPUT, 8));
	assert_false(db_static_var_ok(PT_ANALOG_OUTPUT, 5));
}

/* What a configuration may choose: 0, or a variation dnp3d encodes. */
static void
test_point_variation_valid(void **state)
{
	(void)state;
	assert_true(point_variation_valid(PT_BINARY_INPUT, POINT_STATIC, 0));
	assert_true(point_variation_valid(PT_BINARY_INPUT, POINT_EVENT, 3));
	assert_false(point_variation_valid(PT_BINARY_INPUT, POINT_STATIC, 3));
	assert_true(point_variation_valid(PT_FROZEN_COUNTER, POINT_STATIC, 10));
	assert_false(point_variation_valid(PT_FROZEN_COUNTER, POINT_EVENT, 9));
	assert_true(point_variation_valid(PT_ANALOG_OUTPUT, POINT_EVENT, 8));
	assert_false(point_variation_valid(PT_ANALOG_OUTPUT, POINT_STATIC, 5));
	assert_false(point_variation_valid(PT_ANALOG_INPUT, POINT_EVENT, 200));
	/* Octet strings: the length is the variation, nothing to choose. */
	assert_true(point_variation_valid(PT_OCTET_STRING, POINT_STATIC, 0));
	assert_false(point_variation_valid(PT_OCTET_STRING, POINT_EVENT, 5));
	assert_false(point_variation_valid(PT_COUNT, POINT_STATIC, 0));
	/* Every variation a configuration may choose is one a read answers. */
	for (int t = 0; t < PT_COUNT; t++)
		for (unsigned v = 1; v < 64; v++) {
			if (point_variation_valid(t, POINT_STATIC, v))
				assert_true(db_static_var_ok(t, (uint8_t)v));
			if (point_variation_valid(t, POINT_EVENT, v))
				assert_true(db_event_var_ok(t, (uint8_t)v));
		}
	assert_string_equal(point_type_names[PT_FROZEN_COUNTER],
	    "frozen_counter");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_points_start_with_restart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_update_clears_restart_and_reports_change,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_analog_deadband,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_counter_deadband,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_octet_string,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_updates_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo_values,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_sizes_checked,
		    setup, teardown),
		cmocka_unit_test(test_point_variation_valid),
		cmocka_unit_test_setup_teardown(test_groups_and_variations,
		    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
