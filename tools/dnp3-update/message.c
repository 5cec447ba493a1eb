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

/* Binary inputs and outputs: the words of dnp3-update(1), else as typed. */
static json_t *
binary_word(const char *v)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0)
		return json_true();
	if (strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
	    strcmp(v, "0") == 0)
		return json_false();
	return NULL;
}

/*
 * Double-bit inputs take their state names as text (the worker knows them:
 * intermediate, off, on, indeterminate) and 0..3 as numbers. "on" and
 * "off" must stay text here: as JSON booleans they are binary values.
 */
static json_t *
double_bit_word(const char *v)
{
	static const char *const names[] = {
		"intermediate", "off", "on", "indeterminate"
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i]) == 0)
			return json_string(v);
	return NULL;
}

static json_t *
number_word(const char *v)
{
	json_int_t n;
	double d;
	char *end;

	if (parse_int(v, &n) == 0)
		return json_integer(n);
	errno = 0;
	d = strtod(v, &end);
	if (errno == 0 && *v != '\0' && *end == '\0' && isfinite(d))
		return json_real(d);
	return NULL;
}

/*
 * The words of one point type; anything else goes to the worker as text
 * or a number, so that its error names what the type accepts.
 */
static json_t *
word_value(const char *type, const char *v)
{
	json_t *j = NULL;

	if (strcmp(type, "octet_string") == 0)
		return json_string(v);
	if (strcmp(type, "binary_input") == 0 ||
	    strcmp(type, "binary_output") == 0)
		j = binary_word(v);
	else if (strcmp(type, "double_bit_input") == 0)
		j = double_bit_word(v);
	if (j == NULL)
		j = number_word(v);
	return j != NULL ? j : json_string(v);
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
