/*
 * Timer list for the worker's poll loop.
 */
#include <time.h>

#include "common/log.h"
#include "worker/timer.h"

uint64_t
timer_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("%s: clock_gettime", __func__);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
timer_arm(struct timer *t, uint64_t now, uint64_t after_ms)
{
	t->armed = true;
	t->deadline = now + after_ms;
}

void
timer_arm_at(struct timer *t, uint64_t deadline)
{
	t->armed = true;
	t->deadline = deadline;
}

void
timer_disarm(struct timer *t)
{
	t->armed = false;
}

bool
timer_expired(struct timer *t, uint64_t now)
{
	if (!t->armed || now < t->deadline)
		return false;
	t->armed = false;
	return true;
}

int
timer_poll_timeout(const struct timer *t, size_t n, uint64_t now)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		if (t[i].armed && t[i].deadline < best)
			best = t[i].deadline;
	if (best == UINT64_MAX)
		return -1;
	if (best <= now)
		return 0;
	/* Sleep at most a minute at a time; the loop re-checks anyway. */
	return best - now > 60000 ? 60000 : (int)(best - now);
}
