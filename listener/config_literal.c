/*
 * libconfig 1.5 (Debian 12) wraps an integer literal that does not fit
 * in 32 bits without an "L" suffix, silently: "address = 4294967306;"
 * reads as 10. Before the settings are used, this scan finds such a
 * literal in the text (outside strings and comments) so that the loader
 * can refuse it; cfgp_wrapped_int() then names the setting that holds it.
 * The same scan refuses "@include": one file is checked as a whole.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listener/config_parse.h"

/* Skips a string, a comment, or nothing; counts lines. */
static const char *
skip_non_code(const char *s, unsigned int *line)
{
	if (*s == '"') {
		for (s++; *s != '\0' && *s != '"'; s++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			if (*s == '\n')
				(*line)++;
		}
		return *s ? s + 1 : s;
	}
	if (*s == '#' || (s[0] == '/' && s[1] == '/'))
		return s + strcspn(s, "\n");
	if (s[0] == '/' && s[1] == '*') {
		for (s += 2; *s != '\0' && !(s[0] == '*' && s[1] == '/'); s++)
			if (*s == '\n')
				(*line)++;
		return *s ? s + 2 : s;
	}
	return s;
}

static bool
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '*' ||
	    c == '.';
}

/*
 * The integer literal at s (after an optional sign) fits in 32 bits, or
 * has an L suffix, or is not an integer at all. *end is past the token.
 */
static bool
literal_fits(const char *s, const char **end)
{
	bool neg = (*s == '-'), hex;
	uint64_t v = 0, limit;
	const char *p;

	if (*s == '-' || *s == '+')
		s++;
	hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	p = hex ? s + 2 : s;
	limit = hex ? 0x7fffffffu : neg ? 0x80000000u : 0x7fffffffu;
	for (; hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p);
	    p++)
		if (v <= limit)
			v = v * (hex ? 16 : 10) + (uint64_t)(isdigit(
			    (unsigned char)*p) ? *p - '0' :
			    tolower((unsigned char)*p) - 'a' + 10);
	*end = p;
	if (*p == 'L' || *p == '.' || *p == 'e' || *p == 'E')
		return true;	/* int64, or a float */
	return v <= limit;
}

/* Remembers the last setting name seen, to tell settings of a line apart. */
static const char *
take_name(const char *s, char *key, size_t keylen)
{
	size_t n = 0;

	while (name_char(s[n]) && s[n] != '.')
		n++;
	snprintf(key, keylen, "%.*s", (int)n, s);
	return s + n;
}

int
config_scan_text(const char *text, struct cfg_scan *r)
{
	const char *s = text, *next, *end;
	char prev = '\0';

	memset(r, 0, sizeof(*r));
	r->line = 1;
	while (*s != '\0') {
		if ((next = skip_non_code(s, &r->line)) != s) {
			s = next;
			prev = ' ';
			continue;
		}
		if (*s == '\n')
			r->line++;
		if (*s == '@') {
			snprintf(r->lit, sizeof(r->lit), "%.*s",
			    (int)strcspn(s, " \t\r\n\""), s);
			return r->kind = SCAN_DIRECTIVE;
		}
		if (!name_char(prev) && isalpha((unsigned char)*s)) {
			s = take_name(s, r->key, sizeof(r->key));
			prev = 'a';
			continue;
		}
		if (!name_char(prev) && (isdigit((unsigned char)*s) ||
		    ((*s == '-' || *s == '+') &&
		    isdigit((unsigned char)s[1])))) {
			if (!literal_fits(s, &end)) {
				snprintf(r->lit, sizeof(r->lit), "%.*s",
				    (int)(end - s > 40 ? 40 : end - s), s);
				return r->kind = SCAN_WRAPPED_INT;
			}
			prev = end[-1];
			s = end;
			continue;
		}
		prev = *s++;
	}
	return r->kind = SCAN_OK;
}

/* The integer setting on `line` that libconfig read as `value`. */
static const config_setting_t *
find_setting(const config_setting_t *s, unsigned int line, int value,
    const char *key, int depth)
{
	const config_setting_t *r, *named = s;
	int i, n;

	if (config_setting_name(s) == NULL && config_setting_parent(s))
		named = config_setting_parent(s);	/* array element */
	if (config_setting_type(s) == CONFIG_TYPE_INT &&
	    config_setting_source_line(s) == line &&
	    config_setting_get_int(s) == value &&
	    config_setting_name(named) != NULL &&
	    strcmp(config_setting_name(named), key) == 0)
		return s;
	if (!config_setting_is_aggregate(s) || depth > 16)
		return NULL;
	n = config_setting_length(s);
	for (i = 0; i < n; i++)
		if ((r = find_setting(config_setting_get_elem(s,
		    (unsigned int)i), line, value, key, depth + 1)) != NULL)
			return r;
	return NULL;
}

int
cfgp_wrapped_int(struct cfgp *p, const config_setting_t *root,
    const struct cfg_scan *r)
{
	const config_setting_t *s;
	long long v;

	if (r->kind != SCAN_WRAPPED_INT)
		return 0;
	/* What libconfig made of it: the low 32 bits. */
	v = strtoll(r->lit, NULL, 0);
	s = find_setting(root, r->line, (int)(uint32_t)(unsigned long long)v,
	    r->key, 0);
	if (s != NULL)
		return cfgp_error(p, s, NULL, "%s does not fit in 32 bits "
		    "(add an L suffix for a 64-bit integer)", r->lit);
	snprintf(p->err, p->errlen, "%s:%u: %s does not fit in 32 bits",
	    p->file, r->line, r->lit);
	return -1;
}
