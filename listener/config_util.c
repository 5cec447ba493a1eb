/*
 * Error messages and typed getters over libconfig settings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "listener/config_parse.h"

#define PATH_DEPTH	16

/* "servers.[0].outstations.[1].address" for s, plus ".key" if given. */
static void
setting_path(const config_setting_t *s, const char *key, char *buf,
    size_t len)
{
	const config_setting_t *chain[PATH_DEPTH];
	const config_setting_t *parent;
	size_t n = 0, off = 0;
	int r;

	for (; s != NULL && config_setting_parent(s) != NULL && n < PATH_DEPTH;
	    s = config_setting_parent(s))
		chain[n++] = s;
	buf[0] = '\0';
	while (n-- > 0 && off < len) {
		const char *name = config_setting_name(chain[n]);

		parent = config_setting_parent(chain[n]);
		if (name != NULL && !config_setting_is_array(parent) &&
		    !config_setting_is_list(parent))
			r = snprintf(buf + off, len - off, "%s%s",
			    off ? "." : "", name);
		else
			r = snprintf(buf + off, len - off, "%s[%d]",
			    off ? "." : "", config_setting_index(chain[n]));
		off += r > 0 ? (size_t)r : 0;
	}
	if (key != NULL && off < len)
		snprintf(buf + off, len - off, "%s%s", off ? "." : "", key);
}

int
cfgp_error(struct cfgp *p, const config_setting_t *s, const char *key,
    const char *fmt, ...)
{
	char path[256], msg[512], where[CFG_PATH_MAX + 16];
	const char *file = NULL;
	unsigned int line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	setting_path(s, key, path, sizeof(path));
	if (s != NULL)
		file = config_setting_source_file(s);
	if (file == NULL)
		file = p->file;
	line = s ? config_setting_source_line(s) : 0;
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%u", file, line);
	else				/* the root has no line */
		snprintf(where, sizeof(where), "%s", file);
	if (path[0] != '\0')
		snprintf(p->err, p->errlen, "%s: %s: %s", where, path, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", where, msg);
	return -1;
}

const char *
cfgp_type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a number with a fraction";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	default:
		return "nothing";
	}
}

/* The member, or NULL; fails when absent and required. */
static int
member(struct cfgp *p, const config_setting_t *group, const char *key,
    int required, config_setting_t **out)
{
	*out = config_setting_get_member(group, key);
	if (*out == NULL && required)
		return cfgp_error(p, group, key, "missing (required)");
	return 0;
}

static int
want_type(struct cfgp *p, const config_setting_t *s, int type)
{
	int t = config_setting_type(s);

	if (t == type || (type == CONFIG_TYPE_INT && t == CONFIG_TYPE_INT64))
		return 0;
	return cfgp_error(p, s, NULL, "expected %s, got %s",
	    cfgp_type_name(type), cfgp_type_name(t));
}

int
cfgp_int(struct cfgp *p, const config_setting_t *group, const char *key,
    long long min, long long max, int required, long long *out)
{
	config_setting_t *s;
	long long v;

	if (member(p, group, key, required, &s) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (want_type(p, s, CONFIG_TYPE_INT) == -1)
		return -1;
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return cfgp_error(p, s, NULL, "%lld is out of range %lld..%lld",
		    v, min, max);
	*out = v;
	return 1;
}

int
cfgp_double(struct cfgp *p, const config_setting_t *group, const char *key,
    double min, double *out)
{
	config_setting_t *s;
	double v;

	if (member(p, group, key, 0, &s) == -1 || s == NULL)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64)
		v = (double)config_setting_get_int64(s);
	else if (want_type(p, s, CONFIG_TYPE_FLOAT) == -1)
		return -1;
	else
		v = config_setting_get_float(s);
	if (!(v >= min) || v > 1e300)
		return cfgp_error(p, s, NULL, "%g is out of range (at least %g)",
		    v, min);
	*out = v;
	return 1;
}

int
cfgp_bool(struct cfgp *p, const config_setting_t *group, const char *key,
    bool *out)
{
	config_setting_t *s;

	if (member(p, group, key, 0, &s) == -1 || s == NULL)
		return 0;
	if (want_type(p, s, CONFIG_TYPE_BOOL) == -1)
		return -1;
	*out = config_setting_get_bool(s) != 0;
	return 1;
}

/* A string setting s (not a member lookup): used for list elements too. */
static int
string_value(struct cfgp *p, const config_setting_t *s, char *buf,
    size_t size)
{
	const char *v;
	size_t i, len;

	if (want_type(p, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	len = strlen(v);
	if (len >= size)
		return cfgp_error(p, s, NULL, "longer than %zu characters",
		    size - 1);
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return cfgp_error(p, s, NULL,
			    "control character in string");
	memcpy(buf, v, len + 1);
	return 1;
}

int
cfgp_string_elem(struct cfgp *p, const config_setting_t *s, char *buf,
    size_t size)
{
	return string_value(p, s, buf, size);
}

int
cfgp_string(struct cfgp *p, const config_setting_t *group, const char *key,
    int required, char *buf, size_t size)
{
	config_setting_t *s;

	if (member(p, group, key, required, &s) == -1)
		return -1;
	if (s == NULL)
		return 0;
	return string_value(p, s, buf, size);
}

int
cfgp_group(struct cfgp *p, const config_setting_t *group, const char *key,
    config_setting_t **out)
{
	if (member(p, group, key, 0, out) == -1)
		return -1;
	if (*out == NULL)
		return 0;
	if (want_type(p, *out, CONFIG_TYPE_GROUP) == -1)
		return -1;
	return 1;
}

int
cfgp_enum(struct cfgp *p, const config_setting_t *group, const char *key,
    const char *const names[], int *out)
{
	config_setting_t *s;
	char buf[32], list[128];
	size_t off = 0;
	int i, r;

	if ((r = cfgp_string(p, group, key, 0, buf, sizeof(buf))) != 1)
		return r;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], buf) == 0) {
			*out = i;
			return 1;
		}
	for (i = 0; names[i] != NULL && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off,
		    "%s\"%s\"", i ? names[i + 1] ? ", " : " or " : "",
		    names[i]);
	s = config_setting_get_member(group, key);
	return cfgp_error(p, s, NULL, "\"%s\" is not %s", buf, list);
}
