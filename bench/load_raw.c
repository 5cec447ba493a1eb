/*
 * bench-load, raw mode: the baseline. Each step of the shape sends REQ
 * bytes in one write and waits for RSP bytes; a step with RSP 0 (a final
 * confirm) goes straight on to the next. Nothing is parsed: this is what
 * the loopback and the kernel cost for the same round trips.
 */
#include "bench/load.h"

/* Sends steps until one expects an answer or the operation is over. */
static int
advance(struct load *l, struct load_conn *c)
{
	for (size_t i = 0; i < BENCH_SHAPE_MAX; i++) {
		const struct bench_step *s;

		if (c->step >= l->shape.n) {
			load_op_done(l, c, true);
			return 0;
		}
		s = &l->shape.step[c->step];
		if (load_send(l, c, l->zero, s->req) == -1)
			return -1;
		c->got = 0;
		if (s->rsp > 0)
			return 0;
		c->step++;
	}
	return -1;
}

int
load_raw_start(struct load *l, struct load_conn *c)
{
	c->step = 0;
	return advance(l, c);
}

int
load_raw_input(struct load *l, struct load_conn *c, size_t len)
{
	const struct bench_step *s;

	if (!c->busy || c->step >= l->shape.n)
		return -1;	/* bytes nobody asked for */
	s = &l->shape.step[c->step];
	c->got += (uint32_t)len;
	if (c->got > s->rsp)
		return -1;
	if (c->got < s->rsp)
		return 0;
	c->step++;
	return advance(l, c);
}
