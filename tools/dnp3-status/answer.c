/*
 * One answer to a status request, checked before anything of it is kept
 * (see status.h): an event of the three kinds with the request's id, from
 * the source that may send it, with every field of the right type and
 * range. A bad field spoils the whole answer, which is then not used.
 */
#define _DEFAULT_SOURCE		/* timegm */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "status.h"

#define COUNT_MAX	((json_int_t)1 << 53)

const char *const worker_state_names[] = {
	[WS_UNKNOWN] = "unknown", [WS_STOPPED] = "stopped",
	[WS_STARTING] = "starting", [WS_RUNNING] = "running",
	[WS_RESTARTING] = "restarting",
};

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer 0..2^53 at key into *n; absent leaves *n. -1 when bad. */
static int
count(json_t *o, const char *key, uint64_t *n)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > COUNT_MAX)
		return -1;
	*n = (uint64_t)json_integer_value(v);
	return 0;
}

/* "2026-12-03T14:00:00.123Z" at key into *ms; absent leaves 0. */
static int
stamp(json_t *o, const char *key, uint64_t *ms)
{
	const char *s = str(o, key);
	struct tm tm;
	int msec, used = 0;
	time_t t;

	*ms = 0;
	if (json_object_get(o, key) == NULL)
		return 0;
	if (s == NULL || strlen(s) != 24)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &msec, &used) != 7 || used != 24 || tm.tm_year < 1970 ||
	    tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60 || msec < 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) < 0)
		return -1;
	*ms = (uint64_t)t * 1000 + (uint64_t)msec;
	return 0;
}

static bool
good_name(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > CFG_NAME_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* An address as dnp3d writes one ("127.0.0.1:20000", "[::1]:20000"). */
static int
address(json_t *o, const char *key, char *out)
{
	const char *s = str(o, key);

	out[0] = '\0';
	if (json_object_get(o, key) == NULL)
		return 0;
	if (s == NULL || strlen(s) >= STATUS_ADDR_MAX ||
	    strspn(s, "0123456789abcdefABCDEF.:[]") != strlen(s))
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

/* Free text, kept as printable ASCII within STATUS_TEXT_MAX. */
static int
text(json_t *o, const char *key, char *out)
{
	const char *s = str(o, key);
	size_t i;

	out[0] = '\0';
	if (json_object_get(o, key) == NULL)
		return 0;
	if (s == NULL)
		return -1;
	for (i = 0; s[i] != '\0' && i < STATUS_TEXT_MAX - 1; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
	return 0;
}

static struct outstation_status *
lookup(struct status_report *r, const char *name)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->os[i].name, name) == 0)
			return &r->os[i];
	return NULL;
}

/* A new outstation of that name (NULL: no room). */
static struct outstation_status *
add(struct status_report *r, const char *name)
{
	size_t i = r->count;

	if (r->count == STATUS_OUTSTATIONS_MAX)
		return NULL;
	memset(&r->os[i], 0, sizeof(r->os[i]));
	snprintf(r->os[i].name, sizeof(r->os[i].name), "%s", name);
	r->count++;
	return &r->os[i];
}

static int
server_status(struct status_report *r, json_t *o)
{
	uint64_t n[SC_COUNT] = { 0 }, started;
	int bad = stamp(o, "started", &started);

	for (int i = 0; i < SC_COUNT; i++)
		bad |= count(o, server_counts[i].key, &n[i]);
	if (bad || n[SC_OUTSTATIONS] > STATUS_OUTSTATIONS_MAX)
		return -1;
	if (r->server)
		return 0;	/* the first one counts */
	memcpy(r->n, n, sizeof(n));
	r->started_ms = started;
	r->server = true;
	return 0;
}

/* Whether the state was kept at the last restart of the process: known,
   kept, else why not (worker_status's state_kept, state_reason, state_time). */
static int
state_restart(json_t *o, struct outstation_status *s)
{
	json_t *kept = json_object_get(o, "state_kept");

	s->restart_known = kept != NULL;
	if (kept == NULL)
		return json_object_get(o, "state_reason") != NULL ? -1 : 0;
	if (!json_is_boolean(kept))
		return -1;
	s->state_kept = json_is_true(kept);
	return text(o, "state_reason", s->state_reason) |
	    stamp(o, "state_time", &s->state_ms);
}

static int
worker_status(struct status_report *r, json_t *o, const char *name)
{
	struct outstation_status *s, rs;
	const char *st = str(o, "state");
	uint64_t pid = 0, restarts = 0, started;
	int k, bad = stamp(o, "started", &started);

	bad |= count(o, "pid", &pid) | count(o, "restarts", &restarts);
	memset(&rs, 0, sizeof(rs));
	bad |= state_restart(o, &rs);
	for (k = WS_STOPPED; k <= WS_RESTARTING; k++)
		if (st != NULL && strcmp(st, worker_state_names[k]) == 0)
			break;
	if (bad || k > WS_RESTARTING || pid > INT32_MAX)
		return -1;
	if ((s = lookup(r, name)) != NULL && s->state != WS_UNKNOWN)
		return 0;	/* the first one counts */
	if (s == NULL && (s = add(r, name)) == NULL)
		return -1;
	s->state = (enum worker_state)k;
	s->pid = pid;
	s->restarts = restarts;
	s->started_ms = started;
	s->restart_known = rs.restart_known;
	s->state_kept = rs.state_kept;
	memcpy(s->state_reason, rs.state_reason, sizeof(s->state_reason));
	s->state_ms = rs.state_ms;
	return 0;
}

static int
worker_answer(json_t *o, struct outstation_status *s)
{
	struct outstation_status a;
	const char *m = str(o, "master");
	int bad = 0;

	memset(&a, 0, sizeof(a));
	for (int i = 0; i < WC_COUNT; i++)
		bad |= count(o, worker_counts[i].key, &a.n[i]);
	bad |= address(o, "endpoint", a.endpoint) |
	    address(o, "peer", a.peer) | stamp(o, "since", &a.since_ms) |
	    text(o, "last_error", a.last_error) |
	    stamp(o, "last_error_time", &a.last_error_ms);
	if (bad || m == NULL || (strcmp(m, "connected") != 0 &&
	    strcmp(m, "none") != 0))
		return -1;
	a.connected = strcmp(m, "connected") == 0;
	memcpy(a.name, s->name, sizeof(a.name));
	a.state = s->state;
	a.pid = s->pid;
	a.restarts = s->restarts;
	a.started_ms = s->started_ms;
	a.restart_known = s->restart_known;
	a.state_kept = s->state_kept;
	memcpy(a.state_reason, s->state_reason, sizeof(a.state_reason));
	a.state_ms = s->state_ms;
	a.answered = true;
	*s = a;
	return 0;
}

/* The answer's kind, checked against who sent it. A worker's answer
   counts for an outstation the hub named (its worker_status comes
   first), once: a second one is not kept. */
static int
dispatch(struct status_report *r, json_t *o, const char *ev)
{
	const char *src = str(o, "source"), *name = str(o, "outstation");
	struct outstation_status *s;

	if (src == NULL)
		return -1;
	if (strcmp(ev, "server_status") == 0)
		return strcmp(src, "hub") == 0 ? server_status(r, o) : -1;
	if (!good_name(name))
		return -1;
	if (strcmp(ev, "worker_status") == 0)
		return strcmp(src, "hub") == 0 ? worker_status(r, o, name) : -1;
	if (strcmp(src, name) != 0)
		return -1;
	/* Its worker_status may have been lost: asked again by name. */
	if ((s = lookup(r, name)) == NULL && (!r->server ||
	    r->count < r->n[SC_OUTSTATIONS]) && (s = add(r, name)) != NULL)
		s->state = WS_UNKNOWN;
	if (s == NULL)
		return -1;
	return s->answered ? 0 : worker_answer(o, s);
}

void
status_answer(struct status_report *r, int64_t id, const char *msg,
    size_t len)
{
	json_t *o, *v;
	const char *ev;

	if ((o = json_loadb(msg, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return;
	v = json_object_get(o, "id");
	ev = str(o, "event");
	if (ev != NULL && json_is_integer(v) && json_integer_value(v) == id &&
	    (strcmp(ev, "status") == 0 || strcmp(ev, "server_status") == 0 ||
	    strcmp(ev, "worker_status") == 0) && dispatch(r, o, ev) == -1)
		r->ignored++;
	json_decref(o);
}

bool
status_complete(const struct status_report *r)
{
	size_t known = 0;

	if (!r->server)
		return false;
	for (size_t i = 0; i < r->count; i++) {
		known++;
		if (r->os[i].state == WS_UNKNOWN ||
		    (r->os[i].state == WS_RUNNING && !r->os[i].answered))
			return false;
	}
	return known >= r->n[SC_OUTSTATIONS];
}

const char *
status_missing(const struct status_report *r, size_t *from)
{
	for (; *from < r->count; (*from)++) {
		const struct outstation_status *s = &r->os[*from];
		if (s->state == WS_UNKNOWN ||
		    (s->state == WS_RUNNING && !s->answered))
			return r->os[(*from)++].name;
	}
	return NULL;
}
