/*
 * Pulse outputs of controls = "echo": a CROB with pulse_on (pulse_off)
 * and no trip/close code drives the binary output's status on (off) at
 * once, then alternates it, on for on_ms and off for off_ms, until it has
 * been on and off count times; it rests off (on). Each change is an
 * update of the status point, so it makes its g11 event, stamped with
 * the time the change was due rather than the time the tick ran.
 *
 * As a device with one driver per output does: a CROB that would change
 * an output while its train runs gets ALREADY_ACTIVE and the train goes
 * on untouched. Count 0 asks for no operation (IEEE 1815-2012, g12v1:
 * the count is the number of times to execute it): the CROB is answered
 * SUCCESS and nothing changes. Times and counts from the wire are
 * bounded: over OS_PULSE_MS_MAX or OS_PULSE_COUNT_MAX the CROB gets
 * OUT_OF_RANGE and nothing runs. A cold restart stops every train; a
 * new master connection does not (the outputs are the device's).
 *
 * Memory: one slot per binary output, in the outstation's block; the
 * earliest change is kept, so outstation_deadline() costs nothing per
 * frame, and a tick scans the slots only when a change is due.
 */
#include <string.h>

#include "dnp3/outstation/priv.h"

void
os_pulse_init(struct outstation *os, const struct outstation_params *cfg,
    void *mem)
{
	os->pulse.slot = mem;
	os->pulse.count = cfg->db[PT_BINARY_OUTPUT].count;
	memset(mem, 0, os_pulse_size(cfg));
}

bool
os_pulse_is(const struct dnp3_crob *c)
{
	uint8_t op = c->code & DNP3_CROB_OP_MASK;

	return (c->code & DNP3_CROB_TCC_MASK) == DNP3_CROB_TCC_NUL &&
	    (op == DNP3_CROB_OP_PULSE_ON || op == DNP3_CROB_OP_PULSE_OFF);
}

uint8_t
os_pulse_check(const struct outstation *os, uint32_t index,
    const struct dnp3_crob *c)
{
	if (index < os->pulse.count && os->pulse.slot[index].left > 0)
		return DNP3_CS_ALREADY_ACTIVE;
	if (os_pulse_is(c) && (c->count > OS_PULSE_COUNT_MAX ||
	    c->on_ms > OS_PULSE_MS_MAX || c->off_ms > OS_PULSE_MS_MAX))
		return DNP3_CS_OUT_OF_RANGE;
	return DNP3_CS_SUCCESS;
}

static void
os_pulse_set(struct outstation *os, uint32_t index, bool value,
    uint64_t time_ms)
{
	struct point_value v;

	memset(&v, 0, sizeof(v));
	v.binary = value;
	(void)os_update_output(os, PT_BINARY_OUTPUT, index, &v, time_ms);
}

/* The earliest change of the running trains. */
static void
os_pulse_rearm(struct os_pulse *p)
{
	p->next = 0;
	if (p->running == 0)
		return;
	for (uint32_t i = 0; i < p->count; i++)
		if (p->slot[i].left > 0 &&
		    (p->next == 0 || p->slot[i].at < p->next))
			p->next = p->slot[i].at;
	if (p->next == 0)
		p->next = 1;	/* 0 means none */
}

int
os_pulse_attach(struct outstation *os, const struct outstation_params *cfg,
    void *mem)
{
	struct os_pulse *p = &os->pulse;

	p->slot = mem;
	p->count = cfg->db[PT_BINARY_OUTPUT].count;
	p->running = 0;
	for (uint32_t i = 0; i < p->count; i++) {
		const struct os_pulse_slot *s = &p->slot[i];

		if (s->left > 2 * OS_PULSE_COUNT_MAX ||
		    s->on_ms > OS_PULSE_MS_MAX || s->off_ms > OS_PULSE_MS_MAX)
			return -1;
		if (s->left > 0)
			p->running++;
	}
	os_pulse_rearm(p);
	return 0;
}

/* The output takes value now_ms (its next change is due at). */
static void
os_pulse_step(struct outstation *os, struct os_pulse_slot *s, uint32_t index,
    bool value, uint64_t now_ms)
{
	s->value = value;
	s->at = now_ms + (value ? s->on_ms : s->off_ms);
	os_pulse_set(os, index, value, outstation_time(os, now_ms));
	if (--s->left == 0)
		os->pulse.running--;
}

void
os_pulse_start(struct outstation *os, uint32_t index,
    const struct dnp3_crob *c)
{
	struct os_pulse_slot *s;

	if (index >= os->pulse.count || c->count == 0 ||
	    os_pulse_check(os, index, c) != DNP3_CS_SUCCESS)
		return;
	s = &os->pulse.slot[index];
	s->on_ms = c->on_ms;
	s->off_ms = c->off_ms;
	s->left = 2 * (uint32_t)c->count;
	os->pulse.running++;
	os_pulse_step(os, s, index,
	    (c->code & DNP3_CROB_OP_MASK) == DNP3_CROB_OP_PULSE_ON,
	    os->rq.now);
	os_pulse_rearm(&os->pulse);
}

void
os_pulse_tick(struct outstation *os, uint64_t now_ms)
{
	struct os_pulse_slot *s;

	if (os->pulse.next == 0 || now_ms < os->pulse.next)
		return;
	for (uint32_t i = 0; i < os->pulse.count; i++) {
		s = &os->pulse.slot[i];
		/* A late tick makes every change that is due, each in turn;
		   left bounds the loop. */
		while (s->left > 0 && s->at <= now_ms)
			os_pulse_step(os, s, i, !s->value, s->at);
	}
	os_pulse_rearm(&os->pulse);
}

uint64_t
os_pulse_next(const struct outstation *os)
{
	return os->pulse.next;
}

void
os_pulse_stop_all(struct outstation *os)
{
	for (uint32_t i = 0; i < os->pulse.count; i++)
		os->pulse.slot[i].left = 0;
	os->pulse.running = 0;
	os->pulse.next = 0;
}
