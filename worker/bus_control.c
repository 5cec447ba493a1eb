/*
 * Controls and the bus (see worker/hub_link.h): every control object a master
 * sent is published as a `control` event with the status it got; with
 * controls = "bus" the outstation first asks (`control_request`), and an
 * application's `control_answer` completes the response, which goes to
 * the master from here. Unanswered requests get TIMEOUT from the
 * outstation's own timer (control_answer_ms).
 *
 * A `control` event (the outstation answered it itself) is held back
 * until the response has been written: the master has its answer before
 * the bus and the log hear of the control. They are published at the
 * end of the loop round (worker_loop), after a bus answer, and before any
 * other event, so the bus keeps the order in which things happened.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "dnp3/app/app.h"
#include "dnp3/app/objects.h"
#include "dnp3/outstation/outstation.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

/* A request carries at most this many held back; more publishes the
   ones before at once. */
#define HELD_MAX	32

static struct held {
	struct bus_event ev;
	char peer[HANDOFF_ADDRSTR_MAX];
} held[HELD_MAX];
static size_t nheld;

static const char *
func_name(uint8_t fc)
{
	switch (fc) {
	case DNP3_FC_SELECT:
		return "select";
	case DNP3_FC_OPERATE:
		return "operate";
	case DNP3_FC_DIRECT_OPERATE:
		return "direct_operate";
	case DNP3_FC_DIRECT_OPERATE_NR:
		return "direct_operate_no_ack";
	default:
		return NULL;	/* left out of the event */
	}
}

/* The CROB's operation as the bus names it (trip/close win over op). */
static const char *
crob_op_name(uint8_t code)
{
	switch (code & DNP3_CROB_TCC_MASK) {
	case DNP3_CROB_TCC_CLOSE:
		return "close";
	case DNP3_CROB_TCC_TRIP:
		return "trip";
	}
	switch (code & DNP3_CROB_OP_MASK) {
	case DNP3_CROB_OP_NUL:
		return "nul";
	case DNP3_CROB_OP_PULSE_ON:
		return "pulse_on";
	case DNP3_CROB_OP_PULSE_OFF:
		return "pulse_off";
	case DNP3_CROB_OP_LATCH_ON:
		return "latch_on";
	case DNP3_CROB_OP_LATCH_OFF:
		return "latch_off";
	default:
		return NULL;
	}
}

void
worker_bus_control_init(struct worker *w)
{
	outstation_set_control_hook(w->session.os, worker_bus_control_hook, w);
	worker_bus_set_answer(worker_bus_control_answer);
	worker_bus_set_held(worker_bus_control_flush);
}

static void
log_control(const struct bus_event *ev)
{
	const struct bus_control *bc = &ev->u.control;

	log_info("control from %s: %s %s[%u]: %s", ev->peer ? ev->peer :
	    "(broadcast)", bc->function ? bc->function : "?",
	    point_type_names[bc->type], (unsigned)bc->index,
	    bus_command_status_name(bc->status));
}

void
worker_bus_control_flush(void)
{
	size_t i, n = nheld;

	nheld = 0;	/* worker_bus_emit() calls back here */
	for (i = 0; i < n; i++) {
		log_control(&held[i].ev);
		worker_bus_emit(&held[i].ev);
	}
}

static void
hold(const struct bus_event *ev)
{
	struct held *h;

	if (nheld == HELD_MAX)
		worker_bus_control_flush();
	h = &held[nheld++];
	h->ev = *ev;
	if (ev->peer != NULL) {
		snprintf(h->peer, sizeof(h->peer), "%s", ev->peer);
		h->ev.peer = h->peer;
	}
}

void
worker_bus_control_hook(void *arg, const struct os_control *c)
{
	struct worker *w = arg;
	struct bus_event ev;
	struct bus_control *bc = &ev.u.control;

	memset(&ev, 0, sizeof(ev));
	ev.type = c->request ? BUS_EV_CONTROL_REQUEST : BUS_EV_CONTROL;
	ev.outstation = w->cfg.name;
	ev.endpoint = w->cfg.endpoint;
	ev.peer = w->conn.fd >= 0 ? w->conn.peer : NULL;
	/* Request ids count from 1 per worker: 2^32 controls are far off. */
	bc->id = (uint32_t)c->id;
	bc->function = func_name(c->func);
	bc->type = c->type;
	bc->index = c->index;
	if (c->type == PT_BINARY_OUTPUT) {
		bc->op = crob_op_name(c->crob.code);
		bc->count = c->crob.count;
		bc->on_ms = c->crob.on_ms;
		bc->off_ms = c->crob.off_ms;
	} else
		bc->value = c->value;
	bc->status = c->status;
	if (!c->request) {
		w->stats.controls++;
		hold(&ev);
		return;
	}
	log_debug("control request %llu: %s %s[%u]",
	    (unsigned long long)c->id, bc->function ? bc->function : "?",
	    point_type_names[c->type], (unsigned)c->index);
	worker_bus_emit(&ev);
}

void
worker_bus_control_answer(struct worker *w, int64_t id, uint8_t status,
    uint64_t now)
{
	struct os_output o;

	if (id < 0 || outstation_control_answer(w->session.os, (uint64_t)id,
	    status, now, &o) == -1) {
		log_debug("bus: control_answer %lld: no control waits for it",
		    (long long)id);
		return;
	}
	/* The same path as every other output of the outstation. */
	worker_app_send(w, &o);
	worker_bus_control_flush();
}
