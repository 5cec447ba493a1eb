#ifndef DNP3D_LISTENER_RATELIMIT_H
#define DNP3D_LISTENER_RATELIMIT_H

/*
 * Rate limit for reports anyone on the network can cause (rejected
 * connections, accept failures): in each window the first `burst` are
 * reported one by one; the rest are counted, and the count is reported
 * once when the window has ended. Pure: the caller passes the time.
 *
 * Use: ratelimit_due() first (a summary from the last window goes before
 * anything of the new one), then ratelimit_pass() for the event itself,
 * and ratelimit_due() again when ratelimit_timeout() has run out.
 */
#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint32_t	 burst;		/* reported one by one per window */
	uint32_t	 window_ms;
	uint64_t	 window_start;	/* monotonic ms */
	uint32_t	 in_window;	/* events in this window */
	uint32_t	 suppressed;	/* not reported one by one, yet */
};

#define RATELIMIT_INIT(b, ms)	{ .burst = (b), .window_ms = (ms) }

/* true: report this event one by one; false: it was counted. */
bool	 ratelimit_pass(struct ratelimit *rl, uint64_t now);

/* The count to summarise when the window with suppressed events has
 * ended (and forgets it), else 0. */
uint32_t ratelimit_due(struct ratelimit *rl, uint64_t now);

/* ms until ratelimit_due() has a count, -1 when there is none. */
int	 ratelimit_timeout(const struct ratelimit *rl, uint64_t now);

#endif
