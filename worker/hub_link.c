/*
 * The worker's side of the bus (see worker/hub_link.h): one SOCK_SEQPACKET
 * socket to the hub, passed by the listener (CHAN_BUS) and replaced
 * whenever the listener passes a new one (the hub restarted).
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "dnp3/outstation/outstation.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

static int busfd = -1;
static const char *me;		/* the outstation's name: the source */
static uint64_t seq;
static uint64_t unsent;		/* events the hub could not take */
static unsigned attached;	/* sockets the listener passed */

/* Decoded updates of one message: static, not per message on the stack
   (a batch of BUS_BATCH_MAX is about 280 KiB). */
static struct bus_update updates[BUS_BATCH_MAX];

/* Who takes an application's control answer (bus_control.c, set from
   above so that this file does not call back into the control code). */
static worker_bus_answer_fn answer_fn;

void
worker_bus_set_answer(worker_bus_answer_fn fn)
{
	answer_fn = fn;
}

/* The same for status requests (status.c). */
static worker_bus_status_fn status_fn;

void
worker_bus_set_status(worker_bus_status_fn fn)
{
	status_fn = fn;
}

int
worker_bus_open(struct worker *w)
{
	me = w->cfg.name;
	bus_preload();
	return 0;
}

void
worker_bus_attach(int fd)
{
	if (busfd >= 0)
		close(busfd);
	busfd = fd;
	log_debug("bus: %s the hub", attached++ ? "rejoined" : "joined");
}

void
worker_bus_close(void)
{
	if (busfd >= 0)
		close(busfd);
	busfd = -1;
}

int
worker_bus_fd(void)
{
	return busfd;
}

/* The hub is never waited for: what it cannot take now is lost, and the
   gap in seq says so. */
static int
publish(const char *msg, size_t len)
{
	if (busfd < 0 || send(busfd, msg, len, MSG_DONTWAIT |
	    MSG_NOSIGNAL) == -1) {
		if (unsent++ == 0 || busfd >= 0)
			log_debug("bus: event not sent: %s", busfd < 0 ?
			    "no hub" : strerror(errno));
		return -1;
	}
	return 0;
}

/* Events held back (bus_control.c) go out before any other. */
static void (*held_fn)(void);

void
worker_bus_set_held(void (*fn)(void))
{
	held_fn = fn;
}

int
worker_bus_emit(struct bus_event *ev)
{
	char buf[BUS_EVENT_MAX];
	int n;

	if (held_fn != NULL)
		held_fn();
	if ((n = bus_event_stamp(ev, me, &seq, buf, sizeof(buf))) < 0)
		return -1;
	return publish(buf, (size_t)n);
}

/* A decoded update as the outstation takes it. */
static int
apply_one(struct outstation *os, const struct bus_update *u,
    uint64_t time_ms)
{
	struct point_value v;

	memset(&v, 0, sizeof(v));
	switch (u->type) {
	case PT_BINARY_INPUT:
	case PT_BINARY_OUTPUT:
		v.binary = u->value.binary;
		break;
	case PT_DOUBLE_BIT_INPUT:
		v.dbit = u->value.dbit;
		break;
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		v.counter = u->value.counter;
		break;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		v.analog = u->value.analog;
		break;
	case PT_OCTET_STRING:
		v.octets = u->value.octets.data;
		v.octet_len = u->value.octets.len;
		break;
	default:
		return -1;
	}
	/* BUS_FLAG_* are the wire's flag bits, as DB_FLAG_* are. */
	return outstation_update(os, u->type, u->index, &v, u->flags,
	    u->has_time ? (uint64_t)u->time_ms : time_ms);
}

int
worker_bus_apply(struct outstation *os, const struct outstation_config *cfg,
    const char *msg, size_t len, uint64_t time_ms, struct bus_inbound *in,
    char *err, size_t errlen)
{
	int rc;

	memset(in, 0, sizeof(*in));
	in->id = -1;
	rc = bus_update_decode(msg, len, cfg, in, updates, BUS_BATCH_MAX,
	    err, errlen);
	if (rc != BUS_DECODE_OK || in->kind != BUS_IN_UPDATE)
		return rc;
	/* The decoder checked every item against cfg: all of them apply,
	   as one change of the state region (all or nothing if killed). */
	outstation_batch_begin(os);
	for (size_t i = 0; i < in->count && i < BUS_BATCH_MAX; i++)
		if (apply_one(os, &updates[i], time_ms) == -1)
			log_warnx("bus: update %zu (%s %u) refused by the "
			    "outstation", i, point_type_names[updates[i].type],
			    (unsigned)updates[i].index);
	outstation_batch_end(os);
	return BUS_DECODE_OK;
}

/* One received message: applied, answered with an error, or ignored. */
static void
handle(struct worker *w, const char *msg, size_t len, uint64_t now)
{
	struct bus_inbound in;
	struct bus_event ev;
	char err[256];
	int rc;

	/* Updates without a time take the outstation's clock, which follows
	 * the master's time synchronisation, not the host's. */
	rc = worker_bus_apply(w->session.os, &w->cfg, msg, len,
	    outstation_time(w->session.os, now), &in, err, sizeof(err));
	if (rc == BUS_DECODE_IGNORE)
		return;
	if (rc < 0) {
		log_debug("bus: %s: %s", bus_msg_strerror(-rc), err);
		bus_event_error(&ev, me, rc, err,
		    in.kind == BUS_IN_CONTROL_ANSWER ? "control_answer" :
		    "update", in.id);
		worker_bus_emit(&ev);
		return;
	}
	if (in.kind == BUS_IN_STATUS) {
		if (status_fn != NULL)
			status_fn(w, in.id);
	}
	else if (in.kind == BUS_IN_CONTROL_ANSWER) {
		if (answer_fn != NULL)
			answer_fn(w, in.id, in.status, now);
	} else
		log_debug("bus: %zu update%s applied", in.count,
		    in.count == 1 ? "" : "s");
}

void
worker_bus_ready(struct worker *w, int fd, short revents, uint64_t now)
{
	static char msg[BUS_MSG_MAX + 1];
	ssize_t n;

	if (fd != busfd || !(revents & (POLLIN | POLLERR | POLLHUP)))
		return;
	for (int i = 0; i < WORKER_BUS_BURST; i++) {
		n = recv(busfd, msg, sizeof(msg), MSG_DONTWAIT | MSG_TRUNC);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			/* The hub is gone; the listener passes a new socket
			   when the next one starts. */
			log_debug("bus: the hub went away");
			worker_bus_close();
			return;
		}
		if ((size_t)n > BUS_MSG_MAX) {
			log_debug("bus: a message over %d bytes dropped",
			    BUS_MSG_MAX);
			continue;
		}
		handle(w, msg, (size_t)n, now);
	}
}
