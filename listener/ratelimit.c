/*
 * Windowed rate limit with a summary count (see ratelimit.h).
 */
#include "listener/ratelimit.h"

static bool
window_over(const struct ratelimit *rl, uint64_t now)
{
	return now - rl->window_start >= rl->window_ms;
}

bool
ratelimit_pass(struct ratelimit *rl, uint64_t now)
{
	if (window_over(rl, now) && rl->suppressed == 0) {
		rl->window_start = now;
		rl->in_window = 0;
	}
	if (rl->in_window < rl->burst) {
		rl->in_window++;
		return true;
	}
	rl->suppressed++;
	return false;
}

uint32_t
ratelimit_due(struct ratelimit *rl, uint64_t now)
{
	uint32_t n = rl->suppressed;

	if (n == 0 || !window_over(rl, now))
		return 0;
	rl->suppressed = 0;
	/* The next event opens a new window. */
	return n;
}

int
ratelimit_timeout(const struct ratelimit *rl, uint64_t now)
{
	uint64_t end = rl->window_start + rl->window_ms;

	if (rl->suppressed == 0)
		return -1;
	return end <= now ? 0 : (int)(end - now);
}
