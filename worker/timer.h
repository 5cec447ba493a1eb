#ifndef DNP3D_WORKER_TIMER_H
#define DNP3D_WORKER_TIMER_H

/*
 * A small fixed timer list on the monotonic clock, in milliseconds. The
 * owner keeps an array of timers; the poll loop sleeps until the earliest.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct timer {
	bool	 armed;
	uint64_t deadline;	/* monotonic ms */
};

uint64_t timer_now(void);
void	 timer_arm(struct timer *t, uint64_t now, uint64_t after_ms);
void	 timer_arm_at(struct timer *t, uint64_t deadline);
void	 timer_disarm(struct timer *t);
bool	 timer_expired(struct timer *t, uint64_t now);	/* disarms it */

/* poll(2) timeout for the earliest armed timer of n: -1 when none. */
int	 timer_poll_timeout(const struct timer *t, size_t n, uint64_t now);

#endif
