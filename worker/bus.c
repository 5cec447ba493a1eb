/*
 * The worker's bus member (see worker/bus.h): one nanomsg socket, opened
 * before the lockdown and kept for the process's life.
 */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "bus/client.h"
#include "common/log.h"
#include "dnp3/outstation/outstation.h"
#include "worker/bus.h"
#include "worker/worker.h"

static struct bus_client *client;
static const char *me;		/* the outstation's name, for errors */

/* Decoded updates of one message: static, not per message on the stack
   (a batch of BUS_BATCH_MAX is about 280 KiB). */
static struct bus_update updates[BUS_BATCH_MAX];

int
worker_bus_open(struct worker *w)
{
	const struct outstation_config *cfg = &w->cfg;
	char err[256];

	outstation_set_control_hook(w->session.os, worker_bus_control_hook, w);

	/* Files the bus code would open on first use, now, since after the
	   lockdown open() is fatal (seccomp): jansson seeds its hash tables
	   from /dev/urandom, and glibc's first gmtime_r() (event times)
	   reads /etc/localtime. */
	json_object_seed(0);
	tzset();
	if ((client = bus_client_open(cfg->bus, cfg->name, err,
	    sizeof(err))) == NULL) {
		log_warnx("bus: %s; serving without the bus", err);
		return -1;
	}
	if (bus_client_wait_connected(client, WORKER_BUS_WAIT_MS) == -1) {
		/* After the chroot nanomsg cannot find the path any more. */
		log_warnx("bus: hub %s not reached in %d ms; serving without "
		    "the bus", cfg->bus, WORKER_BUS_WAIT_MS);
		bus_client_close(client);
		client = NULL;
		return -1;
	}
	me = cfg->name;
	log_debug("bus: joined %s", cfg->bus);
	return 0;
}

void
worker_bus_close(void)
{
	bus_client_close(client);
	client = NULL;
}

int
worker_bus_fd(void)
{
	return client != NULL ? bus_client_fd(client) : -1;
}

int
worker_bus_emit(struct bus_event *ev)
{
	if (client == NULL)
		return -1;
	return bus_client_emit(client, ev);
}

void
worker_bus_flush(void)
{
	struct timespec ts = { 0, WORKER_BUS_FLUSH_MS * 1000000L };

	if (client != NULL)
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
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
	/* The decoder checked every item against cfg: all of them apply. */
	for (size_t i = 0; i < in->count && i < BUS_BATCH_MAX; i++)
		if (apply_one(os, &updates[i], time_ms) == -1)
			log_warnx("bus: update %zu (%s %u) refused by the "
			    "outstation", i, point_type_names[updates[i].type],
			    (unsigned)updates[i].index);
	return BUS_DECODE_OK;
}

/*
 * Whether a message may be an op (update, control answer) at all, without
 * parsing it: an op has the key "op", written plainly or with \u escapes.
 * Events of other members have neither and are dropped here; anything
 * else is fully decoded.
 */
static int
maybe_op(const char *msg, size_t len)
{
	return memmem(msg, len, "\"op\"", 4) != NULL ||
	    memmem(msg, len, "\\u", 2) != NULL;
}

/* One received message: applied, answered with an error, or ignored. */
static void
handle(struct worker *w, const char *msg, size_t len, uint64_t now)
{
	struct bus_inbound in;
	char err[256];
	int rc;

	if (!maybe_op(msg, len))
		return;
	/* Updates without a time take the outstation's clock, which follows
	 * the master's time synchronisation, not the host's. */
	rc = worker_bus_apply(w->session.os, &w->cfg, msg, len,
	    outstation_time(w->session.os, now), &in, err, sizeof(err));
	if (rc == BUS_DECODE_IGNORE)
		return;
	if (rc < 0) {
		log_debug("bus: %s: %s", bus_msg_strerror(-rc), err);
		bus_client_emit_error(client, me, rc, err,
		    in.kind == BUS_IN_CONTROL_ANSWER ? "control_answer" :
		    "update", in.id);
		return;
	}
	if (in.kind == BUS_IN_CONTROL_ANSWER)
		worker_bus_control_answer(w, in.id, in.status, now);
	else
		log_debug("bus: %zu update%s applied", in.count,
		    in.count == 1 ? "" : "s");
}

void
worker_bus_ready(struct worker *w, int fd, short revents, uint64_t now)
{
	static char msg[BUS_MSG_MAX + 1];	/* + the NUL */
	ssize_t n;

	(void)fd;
	if (client == NULL || !(revents & (POLLIN | POLLERR | POLLHUP)))
		return;
	for (int i = 0; i < WORKER_BUS_BURST; i++) {
		n = bus_client_recv(client, msg, sizeof(msg));
		if (n == 0)
			return;
		if (n < 0 && errno == EMSGSIZE) {
			/* The hub answers (and drops) those: nothing to do. */
			log_debug("bus: a message over %d bytes dropped",
			    BUS_MSG_MAX);
			continue;
		}
		if (n < 0) {
			log_warn("bus: receive");
			return;
		}
		handle(w, msg, (size_t)n, now);
	}
}
