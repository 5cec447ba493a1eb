/*
 * Reading a group of the file through the rows of config/keys.h. The rows
 * of one scope are contiguous, and within them the rows of one nested
 * group ("timeouts_ms.*") are too, so a group is a range of rows that
 * share the first plen characters of their paths.
 */
#include <stdio.h>
#include <string.h>

#include "listener/config_parse.h"

/* The path component at c, up to the next '.'. */
static size_t
comp_len(const char *c)
{
	return strcspn(c, ".");
}

static bool
comp_is(const char *c, const char *name)
{
	size_t n = comp_len(c);

	return strncmp(c, name, n) == 0 && name[n] == '\0';
}

static bool
point_type_name(const char *name)
{
	int t;

	for (t = 0; t < PT_COUNT; t++)
		if (strcmp(point_type_names[t], name) == 0)
			return true;
	return false;
}

/* Every member of group is a component at plen of a row in [b, e). */
static int
check_members(struct cfgp *p, const config_setting_t *group,
    const struct config_key *b, const struct config_key *e, size_t plen)
{
	const struct config_key *k;
	config_setting_t *m;
	const char *name;
	int i, n = config_setting_length(group);

	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(group, (unsigned int)i);
		name = config_setting_name(m);
		for (k = b; k < e; k++)
			if (comp_is(k->path + plen, name) ||
			    (comp_is(k->path + plen, "*") &&
			    point_type_name(name)))
				break;
		if (k == e)
			return cfgp_error(p, m, NULL, "unknown key");
	}
	return 0;
}

static int
read_leaf(struct cfgp *p, const config_setting_t *group, const char *key,
    const struct config_key *k, struct cfgp_walk *w)
{
	const struct cfgp_hook *h;

	w->key = k;
	for (h = w->hooks; h != NULL && h->path != NULL; h++)
		if (strcmp(h->path, k->path) == 0)
			return h->read(p, group, key, w);
	return cfgp_read_key(p, group, key, w);
}

static int walk_range(struct cfgp *, const config_setting_t *,
    const struct config_key *, const struct config_key *, size_t,
    struct cfgp_walk *);

/*
 * The rows [b, e) whose component at plen is c: a key of group, a
 * nested group, or, for "*", one of each per point type.
 */
static int
walk_comp(struct cfgp *p, const config_setting_t *group,
    const struct config_key *b, const struct config_key *e, size_t plen,
    struct cfgp_walk *w)
{
	const char *c = b->path + plen;
	size_t n = comp_len(c);
	config_setting_t *sub;
	char key[64];
	int t, types = comp_is(c, "*") ? PT_COUNT : 1;

	for (t = 0; t < types; t++) {
		if (types > 1) {
			snprintf(key, sizeof(key), "%s", point_type_names[t]);
			w->type = t;	/* for the rows below this one too */
		} else
			snprintf(key, sizeof(key), "%.*s", (int)n, c);
		if (c[n] == '\0') {
			if (read_leaf(p, group, key, b, w) == -1)
				return -1;
			continue;
		}
		if (cfgp_group(p, group, key, &sub) == -1)
			return -1;
		if (sub != NULL &&
		    walk_range(p, sub, b, e, plen + n + 1, w) == -1)
			return -1;
	}
	return 0;
}

static int
walk_range(struct cfgp *p, const config_setting_t *group,
    const struct config_key *b, const struct config_key *e, size_t plen,
    struct cfgp_walk *w)
{
	const struct config_key *k, *next;
	size_t n;

	if (check_members(p, group, b, e, plen) == -1)
		return -1;
	for (k = b; k < e; k = next) {
		n = comp_len(k->path + plen);
		for (next = k + 1; next < e &&
		    strncmp(next->path + plen, k->path + plen, n) == 0 &&
		    comp_len(next->path + plen) == n; next++)
			;
		if (walk_comp(p, group, k, next, plen, w) == -1)
			return -1;
	}
	return 0;
}

/* The rows of scope: [*b, *e). */
static void
scope_rows(enum config_scope scope, const struct config_key **b,
    const struct config_key **e)
{
	const struct config_key *end = config_keys + config_nkeys;

	for (*b = config_keys; *b < end && (*b)->scope != scope; (*b)++)
		;
	for (*e = *b; *e < end && (*e)->scope == scope; (*e)++)
		;
}

int
cfgp_walk(struct cfgp *p, const config_setting_t *group,
    enum config_scope scope, struct cfgp_walk *w)
{
	const struct config_key *b, *e;

	scope_rows(scope, &b, &e);
	return walk_range(p, group, b, e, 0, w);
}

int
cfgp_scope_keys(struct cfgp *p, const config_setting_t *group,
    enum config_scope scope)
{
	const struct config_key *b, *e;

	scope_rows(scope, &b, &e);
	return check_members(p, group, b, e, 0);
}

/* The plain read of a scalar key, into its field when present. */
int
cfgp_read_key(struct cfgp *p, const config_setting_t *group, const char *key,
    struct cfgp_walk *w)
{
	const struct config_key *k = w->key;
	long long v = 0;
	double d;
	bool b;
	int r, i = 0;

	switch (k->type) {
	case CK_INT:
		r = cfgp_int(p, group, key, k->min, k->max,
		    k->flags & CK_REQUIRED, &v);
		break;
	case CK_BOOL:
		if ((r = cfgp_bool(p, group, key, &b)) == 1)
			v = b;
		break;
	case CK_WORD:
		r = cfgp_enum(p, group, key, k->words, &i);
		v = i;
		break;
	case CK_FLOAT:
		if ((r = cfgp_double(p, group, key, (double)k->min, &d)) == 1)
			config_key_set_float(k, w->oc, w->type, d);
		return r;
	default:
		return cfgp_error(p, group, key, "no reader for this key");
	}
	if (r == 1)
		config_key_set(k, w->oc, w->type, v);
	return r;
}
