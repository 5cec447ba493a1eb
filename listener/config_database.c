/*
 * The nested groups of an outstation: database, event_buffer,
 * unsolicited, timeouts_ms, fragment.
 */
#include <string.h>

#include "listener/config_parse.h"

static const char *const point_keys[] = {
	"count", "class", "static_variation", "event_variation", "deadband",
	NULL
};
static const char *const unsol_keys[] = { "enabled", "retries", NULL };
static const char *const timeout_keys[] = {
	"confirm", "select", "keep_alive", "need_time", "worker_liveness",
	NULL
};
static const char *const fragment_keys[] = { "rx", "tx", NULL };

/* point_type_names with the NULL end cfgp_check_keys() wants. */
static void
type_keys(const char *keys[PT_COUNT + 1])
{
	int t;

	for (t = 0; t < PT_COUNT; t++)
		keys[t] = point_type_names[t];
	keys[PT_COUNT] = NULL;
}

static bool
has_deadband(enum point_type t)
{
	return t == PT_COUNTER || t == PT_FROZEN_COUNTER ||
	    t == PT_ANALOG_INPUT || t == PT_ANALOG_OUTPUT;
}

static int
parse_variation(struct cfgp *p, const config_setting_t *g,
    enum point_type t, bool event, uint8_t *out)
{
	const char *key = event ? "event_variation" : "static_variation";
	long long v;
	int r;

	if ((r = cfgp_int(p, g, key, 0, 255, 0, &v)) != 1)
		return r;
	if (!config_variation_valid(t, event, (unsigned int)v))
		return cfgp_error(p, config_setting_get_member(g, key), NULL,
		    "%lld is not a valid %s variation of %s", v,
		    event ? "event" : "static", point_type_names[t]);
	*out = (uint8_t)v;
	return 1;
}

static int
parse_point_type(struct cfgp *p, const config_setting_t *g,
    enum point_type t, struct point_type_config *pt)
{
	long long v;
	int r;

	if (cfgp_check_keys(p, g, point_keys) == -1)
		return -1;
	if ((r = cfgp_int(p, g, "count", 0, CFG_POINTS_MAX, 0, &v)) == -1)
		return -1;
	if (r == 1)
		pt->count = (uint32_t)v;
	if ((r = cfgp_int(p, g, "class", 0, CFG_CLASS_MAX, 0, &v)) == -1)
		return -1;
	if (r == 1)
		pt->class = (uint8_t)v;
	if (parse_variation(p, g, t, false, &pt->static_variation) == -1 ||
	    parse_variation(p, g, t, true, &pt->event_variation) == -1)
		return -1;
	if (!has_deadband(t) && config_setting_get_member(g, "deadband"))
		return cfgp_error(p, config_setting_get_member(g, "deadband"),
		    NULL, "%s has no deadband", point_type_names[t]);
	return cfgp_double(p, g, "deadband", 0.0, &pt->deadband);
}

int
cfgp_database(struct cfgp *p, const config_setting_t *os,
    struct outstation_config *oc)
{
	const char *keys[PT_COUNT + 1];
	config_setting_t *db, *g;
	int t;

	if (cfgp_group(p, os, "database", &db) != 1)
		return db == NULL ? 0 : -1;
	type_keys(keys);
	if (cfgp_check_keys(p, db, keys) == -1)
		return -1;
	for (t = 0; t < PT_COUNT; t++) {
		if (cfgp_group(p, db, point_type_names[t], &g) == -1)
			return -1;
		if (g != NULL && parse_point_type(p, g, (enum point_type)t,
		    &oc->db[t]) == -1)
			return -1;
	}
	return 0;
}

int
cfgp_event_buffer(struct cfgp *p, const config_setting_t *os,
    struct outstation_config *oc)
{
	const char *keys[PT_COUNT + 1];
	config_setting_t *g;
	long long v;
	int t, r;

	if (cfgp_group(p, os, "event_buffer", &g) != 1)
		return g == NULL ? 0 : -1;
	type_keys(keys);
	if (cfgp_check_keys(p, g, keys) == -1)
		return -1;
	for (t = 0; t < PT_COUNT; t++) {
		if ((r = cfgp_int(p, g, point_type_names[t], 0, CFG_EVENTS_MAX,
		    0, &v)) == -1)
			return -1;
		if (r == 1)
			oc->db[t].event_buffer = (uint32_t)v;
	}
	return 0;
}

/* An integer member stored as uint32_t when present. */
static int
get_u32(struct cfgp *p, const config_setting_t *g, const char *key,
    long long min, long long max, uint32_t *out)
{
	long long v;
	int r;

	if ((r = cfgp_int(p, g, key, min, max, 0, &v)) == 1)
		*out = (uint32_t)v;
	return r;
}

static int
parse_unsolicited(struct cfgp *p, const config_setting_t *g,
    struct outstation_config *oc)
{
	long long v;
	int r;

	if (cfgp_check_keys(p, g, unsol_keys) == -1 ||
	    cfgp_bool(p, g, "enabled", &oc->unsol_enabled) == -1 ||
	    (r = cfgp_int(p, g, "retries", -1, INT32_MAX, 0, &v)) == -1)
		return -1;
	if (r == 1)
		oc->unsol_retries = (int32_t)v;
	return 0;
}

static int
parse_timeouts(struct cfgp *p, const config_setting_t *g,
    struct outstation_config *oc)
{
	if (cfgp_check_keys(p, g, timeout_keys) == -1 ||
	    get_u32(p, g, "confirm", 1, CFG_TIMEOUT_MAX, &oc->confirm_ms) ==
	    -1 ||
	    get_u32(p, g, "select", 1, CFG_TIMEOUT_MAX, &oc->select_ms) ==
	    -1 ||
	    get_u32(p, g, "keep_alive", 1, CFG_TIMEOUT_MAX,
	    &oc->keep_alive_ms) == -1 ||
	    get_u32(p, g, "need_time", 0, CFG_TIMEOUT_MAX,
	    &oc->need_time_ms) == -1 ||
	    get_u32(p, g, "worker_liveness", CFG_LIVENESS_MIN, CFG_TIMEOUT_MAX,
	    &oc->worker_liveness_ms) == -1)
		return -1;
	return 0;
}

static int
parse_fragment(struct cfgp *p, const config_setting_t *g,
    struct outstation_config *oc)
{
	if (cfgp_check_keys(p, g, fragment_keys) == -1 ||
	    get_u32(p, g, "rx", CFG_FRAG_MIN, CFG_FRAG_MAX, &oc->frag_rx) ==
	    -1 ||
	    get_u32(p, g, "tx", CFG_FRAG_MIN, CFG_FRAG_MAX, &oc->frag_tx) ==
	    -1)
		return -1;
	return 0;
}

/* unsolicited, timeouts_ms, fragment: each an optional group. */
int
cfgp_options(struct cfgp *p, const config_setting_t *os,
    struct outstation_config *oc)
{
	static const struct {
		const char *key;
		int (*parse)(struct cfgp *, const config_setting_t *,
		    struct outstation_config *);
	} sections[] = {
		{ "unsolicited", parse_unsolicited },
		{ "timeouts_ms", parse_timeouts },
		{ "fragment", parse_fragment },
	};
	config_setting_t *g;
	size_t i;
	int r;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if ((r = cfgp_group(p, os, sections[i].key, &g)) == -1)
			return -1;
		if (r == 1 && sections[i].parse(p, g, oc) == -1)
			return -1;
	}
	return 0;
}
