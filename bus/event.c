/*
 * Encoding of outbound events into JSON (docs/EVENTS.md). Pure: time and
 * sequence number come from the caller.
 */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "bus/event.h"
#include "bus/update.h"
#include "common/log.h"

int
bus_format_time(int64_t ms, char *buf, size_t cap)
{
	struct tm tm;
	time_t secs;
	int64_t frac;
	int n;

	/* floor division, so times before 1970 still format sanely */
	frac = ms % 1000;
	if (frac < 0)
		frac += 1000;
	secs = (time_t)((ms - frac) / 1000);
	if (gmtime_r(&secs, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 0)
		return -1;
	n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)frac);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return n;
}

/*
 * Add a string field, skipping NULL. Text that is not valid UTF-8 (it may
 * echo bytes from a bad message) is sent with every non-ASCII byte
 * replaced by '?', rather than not at all.
 */
static int
put_str(json_t *o, const char *key, const char *s)
{
	char safe[512];
	json_t *v;
	size_t i;

	if (s == NULL)
		return 0;
	if ((v = json_string(s)) == NULL) {
		for (i = 0; s[i] != '\0' && i < sizeof(safe) - 1; i++)
			safe[i] = ((unsigned char)s[i] < 0x80) ? s[i] : '?';
		safe[i] = '\0';
		if ((v = json_string(safe)) == NULL)
			return -1;
	}
	return json_object_set_new(o, key, v);
}

static int
put_int(json_t *o, const char *key, json_int_t n)
{
	return json_object_set_new(o, key, json_integer(n));
}

static int
put_exit(json_t *o, int status)
{
	char name[32];
	const char *abbrev;
	int sig;

	if (WIFEXITED(status))
		return put_int(o, "exit_code", WEXITSTATUS(status));
	if (!WIFSIGNALED(status))
		return put_str(o, "reason", "unknown wait status");
	sig = WTERMSIG(status);
	abbrev = sigabbrev_np(sig);
	if (abbrev != NULL)
		snprintf(name, sizeof(name), "SIG%s", abbrev);
	else
		snprintf(name, sizeof(name), "signal %d", sig);
	if (put_str(o, "signal", name) == -1 ||
	    put_int(o, "signal_number", sig) == -1)
		return -1;
	/* SIGSYS dumps core by default: a seccomp kill may have one too. */
	if (sig == SIGSYS && put_str(o, "reason", "seccomp violation") == -1)
		return -1;
	if (WCOREDUMP(status))
		return json_object_set_new(o, "core_dumped", json_true());
	return 0;
}

static int
put_control(json_t *o, const struct bus_control *c, int with_status)
{
	const char *type;
	int rc = 0;

	if ((unsigned)c->type >= PT_COUNT)
		return -1;
	type = point_type_names[c->type];
	rc |= put_str(o, "function", c->function);
	rc |= put_str(o, "type", type);
	rc |= put_int(o, "index", c->index);
	if (c->type == PT_ANALOG_OUTPUT)
		rc |= json_object_set_new(o, "value", json_real(c->value));
	else {
		rc |= put_str(o, "op", c->op);
		rc |= put_int(o, "count", c->count);
		rc |= put_int(o, "on_ms", c->on_ms);
		rc |= put_int(o, "off_ms", c->off_ms);
	}
	if (with_status) {
		rc |= put_str(o, "status", bus_command_status_name(c->status));
		rc |= put_int(o, "status_code", c->status);
	}
	return rc ? -1 : 0;
}

/* `reloaded`: the three lists of names and their exact counts. */
static int
put_reloaded(json_t *o, const struct bus_event *ev)
{
	static const char *const keys[3] = { "started", "restarted",
	    "stopped" };
	char count[24];
	json_t *a;
	uint32_t n;

	for (int k = 0; k < 3; k++) {
		if ((a = json_array()) == NULL ||
		    json_object_set_new(o, keys[k], a) == -1)
			return -1;
		n = ev->u.reloaded.count[k];
		for (uint32_t i = 0; i < n && i < BUS_RELOAD_NAMES_MAX; i++)
			if (json_array_append_new(a,
			    json_string(ev->u.reloaded.list[k][i])) == -1)
				return -1;
		snprintf(count, sizeof(count), "%s_count", keys[k]);
		if (n > BUS_RELOAD_NAMES_MAX && put_int(o, count, n) == -1)
			return -1;
	}
	return 0;
}

/* kind, and for a process restart whether the points survived it (and
   if not, why). */
static int
put_restart(json_t *o, enum bus_restart_kind kind, int state_kept,
    const char *reason)
{
	const char *name = bus_restart_kind_name(kind);

	if (name == NULL || put_str(o, "kind", name) == -1)
		return -1;
	if (kind != BUS_RESTART_PROCESS)
		return 0;
	if (json_object_set_new(o, "state_kept", json_boolean(state_kept)) ==
	    -1)
		return -1;
	return state_kept || reason == NULL ? 0 : put_str(o, "reason", reason);
}

static int
put_figures(json_t *o, const struct bus_event *ev)
{
	const struct bus_figure *f = ev->u.status.fig;
	char when[32];
	int rc = 0;

	if (ev->u.status.id >= 0)
		rc |= put_int(o, "id", ev->u.status.id);
	for (size_t i = 0; i < ev->u.status.count && rc == 0; i++) {
		switch (f[i].kind) {
		case BUS_FIG_COUNT:
			/* JSON readers keep integers exact up to 2^53. */
			rc |= put_int(o, f[i].name, (json_int_t)(f[i].n &
			    (((uint64_t)1 << 53) - 1)));
			break;
		case BUS_FIG_TEXT:
			rc |= put_str(o, f[i].name, f[i].text);
			break;
		case BUS_FIG_BOOL:
			rc |= json_object_set_new(o, f[i].name,
			    json_boolean(f[i].n != 0));
			break;
		case BUS_FIG_TIME:
			if (f[i].n == 0)
				break;
			if (bus_format_time((int64_t)f[i].n, when,
			    sizeof(when)) == -1)
				return -1;
			rc |= put_str(o, f[i].name, when);
			break;
		}
	}
	return rc;
}

static int
put_specific(json_t *o, const struct bus_event *ev)
{
	const char *reason;

	switch (ev->type) {
	case BUS_EV_CONNECTED:
		return put_str(o, "subject", ev->u.connected.subject);
	case BUS_EV_TLS_FAILED:
		return ev->u.tls_failed.reason == NULL ? -1 :
		    put_str(o, "reason", ev->u.tls_failed.reason);
	case BUS_EV_DISCONNECTED:
		reason = bus_disconnect_reason_name(ev->u.disconnected.reason);
		return reason == NULL ? -1 : put_str(o, "reason", reason);
	case BUS_EV_RESTARTED:
		return put_restart(o, ev->u.restarted.kind,
		    ev->u.restarted.state_kept, ev->u.restarted.reason);
	case BUS_EV_REJECTED:
		reason = ev->u.rejected.reason;
		if (put_str(o, "reason",
		    reason != NULL ? reason : "no filter matched") == -1)
			return -1;
		return ev->u.rejected.count == 0 ? 0 :
		    put_int(o, "count", ev->u.rejected.count);
	case BUS_EV_WORKER_STARTED:
	case BUS_EV_HUB_STARTED:
		return put_int(o, "pid", ev->u.worker_started.pid);
	case BUS_EV_DROPPED:
	case BUS_EV_REFUSED:
		if (put_int(o, "count", (json_int_t)ev->u.dropped.count) == -1)
			return -1;
		return put_str(o, "reason", ev->u.dropped.reason);
	case BUS_EV_WORKER_EXITED:
	case BUS_EV_HUB_EXITED:
		if (put_int(o, "pid", ev->u.worker_exited.pid) == -1 ||
		    put_exit(o, ev->u.worker_exited.status) == -1 ||
		    put_str(o, "reason", ev->u.worker_exited.reason) == -1)
			return -1;
		if (ev->u.worker_exited.restart_ms == 0)
			return 0;
		return put_int(o, "restart_in_ms",
		    ev->u.worker_exited.restart_ms);
	case BUS_EV_LINK_ERROR:
		if (put_str(o, "what", ev->u.link_error.what) == -1 ||
		    put_str(o, "action", ev->u.link_error.closed ?
		    "closed" : "discarded") == -1)
			return -1;
		if (ev->u.link_error.closed)
			return 0;
		return put_int(o, "discarded", ev->u.link_error.discarded);
	case BUS_EV_CONTROL:
		return put_control(o, &ev->u.control, 1);
	case BUS_EV_CONTROL_REQUEST:
		if (put_int(o, "id", ev->u.control.id) == -1)
			return -1;
		return put_control(o, &ev->u.control, 0);
	case BUS_EV_RELOADED:
		return put_reloaded(o, ev);
	case BUS_EV_RELOAD_FAILED:
		return ev->u.reload_failed.reason == NULL ? -1 :
		    put_str(o, "reason", ev->u.reload_failed.reason);
	case BUS_EV_STATUS:
	case BUS_EV_SERVER_STATUS:
	case BUS_EV_WORKER_STATUS:
		return put_figures(o, ev);
	case BUS_EV_PONG:
		return ev->u.pong.id < 0 ? 0 : put_int(o, "id", ev->u.pong.id);
	case BUS_EV_ERROR:
		if (put_str(o, "error", bus_msg_strerror(ev->u.error.code)) ||
		    put_str(o, "detail", ev->u.error.detail) ||
		    put_str(o, "op", ev->u.error.op))
			return -1;
		if (ev->u.error.id < 0)
			return 0;
		return put_int(o, "id", ev->u.error.id);
	default:
		return -1;
	}
}

static json_t *
build(const struct bus_event *ev)
{
	char when[32];
	const char *name;
	json_t *o;
	int rc = 0;

	if ((name = bus_event_name(ev->type)) == NULL || ev->source == NULL ||
	    bus_format_time(ev->time_ms, when, sizeof(when)) == -1)
		return NULL;
	if ((o = json_object()) == NULL)
		return NULL;
	rc |= put_str(o, "event", name);
	rc |= put_str(o, "time", when);
	rc |= put_str(o, "source", ev->source);
	rc |= put_int(o, "seq", (json_int_t)ev->seq);
	rc |= put_str(o, "outstation", ev->outstation);
	rc |= put_str(o, "endpoint", ev->endpoint);
	rc |= put_str(o, "peer", ev->peer);
	rc |= put_specific(o, ev);
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
bus_event_encode(const struct bus_event *ev, char *buf, size_t cap)
{
	json_t *o;
	size_t n;

	if (cap == 0 || (o = build(ev)) == NULL)
		return -1;
	n = json_dumpb(o, buf, cap - 1, JSON_COMPACT);
	json_decref(o);
	if (n == 0 || n >= cap || n > INT32_MAX)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

int
bus_event_stamp(struct bus_event *ev, const char *source, uint64_t *seq,
    char *buf, size_t cap)
{
	int n;

	ev->source = source;
	ev->seq = ++*seq;
	ev->time_ms = bus_now_ms();
	if ((n = bus_event_encode(ev, buf, cap)) < 0)
		log_warnx("bus: cannot encode a %s event",
		    bus_event_name(ev->type));
	return n;
}

void
bus_event_error(struct bus_event *ev, const char *outstation, int code,
    const char *detail, const char *op, int64_t id)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = BUS_EV_ERROR;
	ev->outstation = outstation;
	ev->u.error.code = code < 0 ? -code : code;
	ev->u.error.detail = detail;
	ev->u.error.op = op;
	ev->u.error.id = id;
}
