/*
 * One outstation: the keys of config/keys.h, with code for those that are
 * not plain scalars (name, filter) and the rules that span keys (the
 * master is not the outstation, variations of the type, deadbands only
 * where a type has them).
 */
#include <string.h>

#include "dnp3/outstation/points.h"
#include "listener/config_parse.h"
#include "listener/filter.h"

/* filter = "entry" or [ "entry", ... ] */
int
cfgp_filter(struct cfgp *p, const config_setting_t *os,
    struct addr_filter *f)
{
	const config_setting_t *s, *e;
	char text[64], err[256];
	int i, n = 1, single;

	filter_init(f);
	if ((s = config_setting_get_member(os, "filter")) == NULL)
		return cfgp_error(p, os, "filter", "missing (required)");
	single = config_setting_type(s) == CONFIG_TYPE_STRING;
	if (!single) {
		if (!config_setting_is_array(s) && !config_setting_is_list(s))
			return cfgp_error(p, s, NULL, "expected a string or an "
			    "array of strings, got %s",
			    cfgp_type_name(config_setting_type(s)));
		if ((n = config_setting_length(s)) < 1 || n > CFG_FILTER_MAX)
			return cfgp_error(p, s, NULL, "%d entries, expected "
			    "1..%d", n, CFG_FILTER_MAX);
	}
	for (i = 0; i < n; i++) {
		e = single ? s : config_setting_get_elem(s, (unsigned int)i);
		if (cfgp_string_elem(p, e, text, sizeof(text)) == -1)
			return -1;
		if (filter_add(f, text, err, sizeof(err)) == -1)
			return cfgp_error(p, e, NULL, "%s", err);
	}
	return 0;
}

static int
read_filter(struct cfgp *p, const config_setting_t *s, const char *key,
    struct cfgp_walk *w)
{
	(void)key;
	return cfgp_filter(p, s, &w->oc->filter);
}

static int
read_name(struct cfgp *p, const config_setting_t *s, const char *key,
    struct cfgp_walk *w)
{
	char name[64] = "";	/* longer than allowed, for the message;
				   zeroed: all of oc->name goes to a worker */

	if (cfgp_string(p, s, key, 1, name, sizeof(name)) == -1)
		return -1;
	if (!config_name_valid(name))
		return cfgp_error(p, config_setting_get_member(s, key), NULL,
		    "\"%s\" is not 1 to %d of A-Z a-z 0-9 _ -", name,
		    CFG_NAME_MAX);
	memcpy(w->oc->name, name, sizeof(w->oc->name));
	return 0;
}

static int
read_master(struct cfgp *p, const config_setting_t *s, const char *key,
    struct cfgp_walk *w)
{
	if (cfgp_read_key(p, s, key, w) == -1)
		return -1;
	if (w->oc->address == w->oc->master)
		return cfgp_error(p, config_setting_get_member(s, key), NULL,
		    "%u is also the outstation's own address",
		    (unsigned)w->oc->master);
	return 0;
}

static int
read_variation(struct cfgp *p, const config_setting_t *g, const char *key,
    struct cfgp_walk *w)
{
	bool event = strcmp(key, "event_variation") == 0;
	long long v;
	int r;

	if ((r = cfgp_read_key(p, g, key, w)) != 1)
		return r;
	v = config_key_get(w->key, w->oc, w->type);
	if (!point_variation_valid(w->type, event ? POINT_EVENT : POINT_STATIC,
	    (unsigned int)v))
		return cfgp_error(p, config_setting_get_member(g, key), NULL,
		    "%lld is not a valid %s variation of %s", v,
		    event ? "event" : "static", point_type_names[w->type]);
	return 1;
}

static int
read_deadband(struct cfgp *p, const config_setting_t *g, const char *key,
    struct cfgp_walk *w)
{
	if (!config_has_deadband(w->type) &&
	    config_setting_get_member(g, key) != NULL)
		return cfgp_error(p, config_setting_get_member(g, key), NULL,
		    "%s has no deadband", point_type_names[w->type]);
	return cfgp_read_key(p, g, key, w);
}

static const struct cfgp_hook outstation_hooks[] = {
	{ "name", read_name },
	{ "filter", read_filter },
	{ "master", read_master },
	{ "database.*.static_variation", read_variation },
	{ "database.*.event_variation", read_variation },
	{ "database.*.deadband", read_deadband },
	{ "master_name", cfgp_tls_master_name },
	{ "certificate", cfgp_tls_outstation_path },
	{ "private_key", cfgp_tls_outstation_path },
	{ NULL, NULL }
};

/* oc holds the defaults, and its server's keys, on entry. */
int
cfgp_outstation(struct cfgp *p, const config_setting_t *s,
    struct outstation_config *oc)
{
	struct cfgp_walk w = { .hooks = outstation_hooks, .oc = oc };

	if (!config_setting_is_group(s))
		return cfgp_error(p, s, NULL, "expected a group { ... }, got %s",
		    cfgp_type_name(config_setting_type(s)));
	return cfgp_walk(p, s, CK_OUTSTATION, &w);
}
