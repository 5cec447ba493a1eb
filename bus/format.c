/*
 * The readable one-line rendering of a bus message (dnp3-events).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/event.h"
#include "bus/format.h"

struct line {
	char *buf;
	size_t cap;
	size_t len;
	bool full;
};

static void
add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->cap - l->len) {
		l->full = true;
		l->len = l->cap - 1;
		if (l->cap > 4)
			memcpy(l->buf + l->cap - 4, "...", 4);
		return;
	}
	l->len += (size_t)n;
}

static bool
needs_quotes(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s != '\0'; s++)
		if (isspace((unsigned char)*s) || *s == '"' || *s == '=' ||
		    iscntrl((unsigned char)*s))
			return true;
	return false;
}

static void
add_json(struct line *l, json_t *v)
{
	char *s;

	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_PRESERVE_ORDER);
	add(l, "%s", s != NULL ? s : "?");
	free(s);
}

/* A name from the message, quoted if it holds anything a terminal or a
   reader could mistake (spaces, quotes, control characters). */
static void
add_name(struct line *l, const char *s)
{
	json_t *v;

	if (!needs_quotes(s)) {
		add(l, "%s", s);
		return;
	}
	v = json_string(s);
	add_json(l, v);
	json_decref(v);
}

static bool
all_strings(json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (!json_is_string(v) || needs_quotes(json_string_value(v)))
			return false;
	return json_array_size(a) > 0;
}

static void
add_value(struct line *l, json_t *v)
{
	size_t i;
	json_t *e;

	if (json_is_string(v) && !needs_quotes(json_string_value(v)))
		add(l, "%s", json_string_value(v));
	else if (json_is_integer(v))
		add(l, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		add(l, "%.15g", json_real_value(v));
	else if (json_is_array(v) && all_strings(v)) {
		json_array_foreach(v, i, e)
			add(l, "%s%s", i ? "," : "", json_string_value(e));
	} else
		add_json(l, v);
}

static const char *
get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* "time" is the first column when it is text. "op" is shown as a field
   only in an event (an error names the op of
   the message it answers); in an op message it is the name column. */
static bool
skipped(json_t *o, const char *key)
{
	static const char *const keys[] = {
		"event", "outstation", "source", "seq", "peer",
		"endpoint", NULL
	};
	int i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], key) == 0)
			return true;
	if (strcmp(key, "time") == 0)	/* an update's ms stay a field */
		return json_is_string(json_object_get(o, "time"));
	return strcmp(key, "op") == 0 &&
	    !json_is_string(json_object_get(o, "event"));
}

static void
add_fields(struct line *l, json_t *o, const char *who)
{
	static const char *const first[] = { "peer", "endpoint" };
	const char *key, *source;
	json_t *v;
	size_t i;

	for (i = 0; i < 2; i++)
		if ((v = json_object_get(o, first[i])) != NULL) {
			add(l, " %s=", first[i]);
			add_value(l, v);
		}
	source = get_str(o, "source");
	if (source != NULL && strcmp(source, who) != 0) {
		add(l, " source=");
		add_name(l, source);
	}
	json_object_foreach(o, key, v) {
		if (skipped(o, key))
			continue;
		add(l, " ");
		add_name(l, key);
		add(l, "=");
		add_value(l, v);
	}
}

int
bus_format_line(const char *msg, size_t len, int64_t now_ms, char *buf,
    size_t cap)
{
	struct line l = { buf, cap, 0, false };
	char when[32];
	const char *time, *who, *name;
	json_t *o;

	if (cap < 8)
		return -1;
	buf[0] = '\0';
	o = json_loadb(msg, len, JSON_DECODE_ANY, NULL);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	if ((time = get_str(o, "time")) == NULL) {
		if (bus_format_time(now_ms, when, sizeof(when)) == -1)
			snprintf(when, sizeof(when), "-");
		time = when;
	}
	if ((who = get_str(o, "outstation")) == NULL &&
	    (who = get_str(o, "source")) == NULL)
		who = "-";
	if ((name = get_str(o, "event")) == NULL &&
	    (name = get_str(o, "op")) == NULL)
		name = "?";
	add_name(&l, time);
	add(&l, " ");
	add_name(&l, who);
	add(&l, " ");
	add_name(&l, name);
	add_fields(&l, o, who);
	json_decref(o);
	return (int)l.len;
}
