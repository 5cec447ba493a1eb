/*
 * The block's generation (struct os_change in priv.h). The fences keep
 * the compiler from moving the block's stores across the counter's: a
 * process that is killed stops between two instructions, so what matters
 * is only the order of the stores in the program, not between CPUs.
 */
#include <stdatomic.h>

#include "dnp3/outstation/priv.h"

void
os_change_begin(struct outstation *os)
{
	os->chg.gen |= 1;
	atomic_signal_fence(memory_order_seq_cst);
}

void
os_change_end(struct outstation *os)
{
	atomic_signal_fence(memory_order_seq_cst);
	os->chg.gen = (os->chg.gen | 1) + 1;
}

bool
os_change_whole(const struct outstation *os)
{
	return (os->chg.gen & 1) == 0;
}
