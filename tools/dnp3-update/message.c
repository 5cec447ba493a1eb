/*
 * Building an update message from shell words. The tool turns words into
 * JSON values and leaves judging them to the outstation's worker, so that
 * the rules live in one place (bus_update_decode) and its error comes back.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus/event.h"
#include "message.h"

static int
parse_int(const char *s, json_int_t *n)
{
	char *end;

	errno = 0;
	*n = strtoll(s, &end, 10);
	return errno == 0 && *s != '\0' && *end == '\0' ? 0 : -1;
}

static json_t *
word_value(const char *type, const char *v)
{
	json_int_t n;
	double d;
	char *end;

	if (strcmp(type, "octet_string") == 0)
		return json_string(v);
	if (strcmp(v, "true") == 0 || strcmp(v, "on") == 0)
		return json_true();
	if (strcmp(v, "false") == 0 || strcmp(v, "off") == 0)
		return strncmp(type, "double_bit", 10) == 0 ?
		    json_string(v) : json_false();
	if (strncmp(type, "binary_", 7) == 0 &&
	    (strcmp(v, "1") == 0 || strcmp(v, "0") == 0))
		return v[0] == '1' ? json_true() : json_false();
	if (parse_int(v, &n) == 0)
		return json_integer(n);
	errno = 0;
	d = strtod(v, &end);
	if (errno == 0 && *v != '\0' && *end == '\0' && isfinite(d))
		return json_real(d);
	return json_string(v);
}

static json_t *
word_flags(const char *flags)
{
	json_t *list = json_array();
	const char *p = flags, *comma;

	while (list != NULL && *p != '\0') {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		if (comma > p)
			json_array_append_new(list,
			    json_stringn(p, (size_t)(comma - p)));
		p = *comma == ',' ? comma + 1 : comma;
	}
	return list;
}

json_t *
message_point(const char *outstation, const char *type, const char *index,
    const char *value, const char *flags, const char *time, int64_t id)
{
	json_int_t n, t;
	json_t *o;

	if (parse_int(index, &n) == -1) {
		fprintf(stderr, "dnp3-update: INDEX must be a number: %s\n",
		    index);
		return NULL;
	}
	t = -1;
	if (time != NULL && strcmp(time, "now") == 0)
		t = bus_now_ms();
	else if (time != NULL && parse_int(time, &t) == -1) {
		fprintf(stderr, "dnp3-update: --time must be milliseconds "
		    "since 1970 or \"now\": %s\n", time);
		return NULL;
	}
	o = json_pack("{s:s, s:s, s:I, s:s, s:I, s:o}", "op", "update",
	    "outstation", outstation, "id", (json_int_t)id, "type", type,
	    "index", n, "value", word_value(type, value));
	if (o == NULL) {
		fprintf(stderr, "dnp3-update: words must be UTF-8 text\n");
		return NULL;
	}
	if (flags != NULL)
		json_object_set_new(o, "flags", word_flags(flags));
	if (t >= 0)
		json_object_set_new(o, "time", json_integer(t));
	return o;
}
