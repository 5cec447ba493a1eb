/*
 * Topics and messages of the MQTT bridge (see route.h).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/event.h"
#include "bus/update.h"
#include "route.h"

int
route_filter_has(const struct route_filter *f, const char *name)
{
	size_t i;

	if (f->n == 0)
		return 1;
	for (i = 0; name != NULL && i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return 1;
	return 0;
}

static const char *
string_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A topic level must not be empty nor hold a separator or a wildcard. */
static int
good_level(const char *s)
{
	return s != NULL && s[0] != '\0' && strpbrk(s, "/+#") == NULL;
}

static int
topic(char *buf, const char *prefix, const char *level, const char *leaf)
{
	int n = snprintf(buf, ROUTE_TOPIC_MAX, "%s/%s/%s", prefix, level,
	    leaf);

	return n > 0 && n < ROUTE_TOPIC_MAX ? 0 : -1;
}

int
route_event(const char *prefix, const struct route_filter *f,
    const char *msg, size_t len, struct route_out *out)
{
	const char *ev, *src, *os, *level;
	int server;
	json_t *o;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if ((o = json_loadb(msg, len, 0, NULL)) == NULL)
		return 0;
	ev = string_of(o, "event");
	src = string_of(o, "source");
	os = string_of(o, "outstation");
	/* pongs are the bus's own join handshake */
	if (ev == NULL || !good_level(src) || strcmp(ev, "pong") == 0)
		goto out;
	if (os != NULL && !route_filter_has(f, os))
		goto out;
	server = strcmp(src, "listener") == 0 || strcmp(src, "hub") == 0;
	if (!server && !route_filter_has(f, src))
		goto out;
	level = server ? ROUTE_SERVER : src;
	if (topic(out->topic, prefix, level, "event") == -1)
		goto out;
	rc = 1;
	if (good_level(os) && (strcmp(ev, "connected") == 0 ||
	    strcmp(ev, "disconnected") == 0)) {
		out->extra_retain = 1;
		rc = topic(out->extra, prefix, os, "state") == 0;
	} else if (strcmp(ev, "error") == 0)
		rc = topic(out->extra, prefix, good_level(os) ? os :
		    ROUTE_SERVER, "error") == 0;
out:
	json_decref(o);
	return rc;
}

int
route_topic(const char *prefix, const char *t, char *name, size_t namecap,
    enum route_kind *kind)
{
	size_t plen = strlen(prefix), nlen;
	const char *p, *slash;

	if (strncmp(t, prefix, plen) != 0 || t[plen] != '/')
		return -1;
	p = t + plen + 1;
	if ((slash = strchr(p, '/')) == NULL)
		return -1;
	nlen = (size_t)(slash - p);
	if (nlen == 0 || nlen >= namecap)
		return -1;
	if (strcmp(slash + 1, "update") == 0)
		*kind = ROUTE_UPDATE;
	else if (strcmp(slash + 1, "control_answer") == 0)
		*kind = ROUTE_CONTROL_ANSWER;
	else
		return -1;
	memcpy(name, p, nlen);
	name[nlen] = '\0';
	return good_level(name) ? 0 : -1;
}

static void
seterr(struct route_error *e, const char *error, const char *detail)
{
	snprintf(e->error, sizeof(e->error), "%s", error);
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
}

static const char *
op_of(enum route_kind kind)
{
	return kind == ROUTE_UPDATE ? "update" : "control_answer";
}

/* "op" and "outstation": those of the topic, set when absent. */
static int
match_topic(json_t *o, const char *name, enum route_kind kind,
    struct route_error *e)
{
	json_t *op = json_object_get(o, "op"), *os;

	if (op != NULL && (!json_is_string(op) ||
	    strcmp(json_string_value(op), op_of(kind)) != 0)) {
		seterr(e, "op does not match topic", "");
		snprintf(e->detail, sizeof(e->detail), "the topic takes op "
		    "\"%s\"", op_of(kind));
		return -1;
	}
	os = json_object_get(o, "outstation");
	if (os != NULL && (!json_is_string(os) ||
	    strcmp(json_string_value(os), name) != 0)) {
		seterr(e, "outstation does not match topic", "");
		snprintf(e->detail, sizeof(e->detail), "the topic is "
		    "outstation %s's", name);
		return -1;
	}
	if (json_object_get(o, "event") != NULL) {
		seterr(e, "not a request", "an event has no place here");
		return -1;
	}
	json_object_set_new(o, "op", json_string(op_of(kind)));
	json_object_set_new(o, "outstation", json_string(name));
	return 0;
}

char *
route_inbound(const char *name, enum route_kind kind, const void *payload,
    size_t len, int64_t *id, struct route_error *e)
{
	json_error_t jerr;
	json_t *o, *v;
	char *text = NULL;

	memset(e, 0, sizeof(*e));
	e->id = *id = -1;
	if (len > BUS_MSG_MAX) {
		seterr(e, "message too big", "more than 65536 bytes");
		return NULL;
	}
	o = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL) {
		seterr(e, "not JSON", jerr.text);
		return NULL;
	}
	v = json_object_get(o, "id");
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		e->id = *id = json_integer_value(v);
	if (!json_is_object(o))
		seterr(e, "not an object", "a message is one JSON object");
	else if (match_topic(o, name, kind, e) == 0)
		text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

char *
route_error_json(const char *name, const char *op,
    const struct route_error *e, int64_t now_ms)
{
	char when[32];
	json_t *o;
	char *text;

	if (bus_format_time(now_ms, when, sizeof(when)) < 0)
		when[0] = '\0';
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "event", "error",
	    "time", when, "source", "dnp3-mqtt", "outstation", name,
	    "error", e->error, "detail", e->detail);
	if (o == NULL)
		return NULL;
	if (op != NULL)
		json_object_set_new(o, "op", json_string(op));
	if (e->id >= 0)
		json_object_set_new(o, "id", json_integer(e->id));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}
