/*
 * The rate limit of rejections and accept failures (listener/ratelimit.h):
 * a burst one by one per window, then one summary with the right count.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "listener/ratelimit.h"

static void
burst_then_summary(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(3, 1000);
	uint64_t t = 50000;
	int passed = 0;

	(void)state;
	assert_int_equal(ratelimit_timeout(&rl, t), -1);
	for (int i = 0; i < 100; i++)
		passed += ratelimit_pass(&rl, t + (uint64_t)i);
	assert_int_equal(passed, 3);
	assert_int_equal(ratelimit_due(&rl, t + 999), 0);
	assert_int_equal(ratelimit_timeout(&rl, t + 999), 1);
	assert_int_equal(ratelimit_due(&rl, t + 1000), 97);
	assert_int_equal(ratelimit_due(&rl, t + 1001), 0);
	assert_int_equal(ratelimit_timeout(&rl, t + 1001), -1);
	/* A new window: a burst again. */
	assert_true(ratelimit_pass(&rl, t + 1500));
}

/* Quiet: nothing to summarise, every event reported. */
static void
below_burst_no_summary(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(2, 100);

	(void)state;
	for (uint64_t t = 1000; t < 2000; t += 60)
		assert_true(ratelimit_pass(&rl, t));
	assert_int_equal(ratelimit_due(&rl, 5000), 0);
}

/* A caller late with ratelimit_due() loses no count. */
static void
late_summary_keeps_count(void **state)
{
	struct ratelimit rl = RATELIMIT_INIT(1, 100);
	uint32_t total = 0, shown = 0;

	(void)state;
	for (uint64_t t = 1000; t < 1500; t++)
		shown += ratelimit_pass(&rl, t);
	total = ratelimit_due(&rl, 1500);
	assert_int_equal(shown + total, 500);
	assert_int_equal(shown, 1);
	/* Sustained, with a due() before each event: the sum is exact, and
	 * no more than burst + 1 reports per window. */
	shown = total = 0;
	for (uint64_t t = 2000; t < 7000; t++) {
		total += ratelimit_due(&rl, t);
		shown += ratelimit_pass(&rl, t);
	}
	total += ratelimit_due(&rl, 8000);
	assert_int_equal(shown + total, 5000);
	assert_true(shown <= 5000 / 100 + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_then_summary),
		cmocka_unit_test(below_burst_no_summary),
		cmocka_unit_test(late_summary_keeps_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
