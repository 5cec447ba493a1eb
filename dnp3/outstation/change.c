/*
 * The block's generation (struct os_change in priv.h). The fences keep
 * the compiler from moving the block's stores across the counter's: a
 * process that is killed stops between two instructions, so what matters
 * is only the order of the stores in the program, not between CPUs. A
 * batch of updates (outstation.h) is one change around them all.
 */
#include <stdatomic.h>

#include "dnp3/outstation/priv.h"

void
os_change_begin(struct outstation *os)
{
	if (os->chg.depth++ > 0)
		return;
	os->chg.gen |= 1;
	atomic_signal_fence(memory_order_seq_cst);
}

void
os_change_end(struct outstation *os)
{
	if (os->chg.depth == 0 || --os->chg.depth > 0)
		return;
	atomic_signal_fence(memory_order_seq_cst);
	os->chg.gen = (os->chg.gen | 1) + 1;
}

void
os_change_attach(struct outstation *os)
{
	/* Killed between counting a change and making gen odd. */
	os->chg.depth = 0;
}

void
outstation_batch_begin(struct outstation *os)
{
	os_change_begin(os);
}

void
outstation_batch_end(struct outstation *os)
{
	os_change_end(os);
}

bool
os_change_whole(const struct outstation *os)
{
	return (os->chg.gen & 1) == 0;
}
