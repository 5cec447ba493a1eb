/*
 * One outstation: name, filter, link addresses, controls, max_controls
 * (control objects in one request, 1..CFG_CONTROLS_MAX); the nested
 * sections are in config_database.c.
 */
#include <string.h>

#include "listener/config_parse.h"
#include "listener/filter.h"

static const char *const outstation_keys[] = {
	"name", "filter", "address", "master", "database", "event_buffer",
	"unsolicited", "timeouts_ms", "fragment", "controls", "max_controls",
	NULL
};
static const char *const control_modes[] = { "echo", "bus", "reject", NULL };

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
parse_name(struct cfgp *p, const config_setting_t *s,
    struct outstation_config *oc)
{
	char name[64];	/* longer than allowed, for the message */

	if (cfgp_string(p, s, "name", 1, name, sizeof(name)) == -1)
		return -1;
	if (!config_name_valid(name))
		return cfgp_error(p, config_setting_get_member(s, "name"), NULL,
		    "\"%s\" is not 1 to %d of A-Z a-z 0-9 _ -", name,
		    CFG_NAME_MAX);
	memcpy(oc->name, name, sizeof(oc->name));
	return 0;
}

int
cfgp_outstation(struct cfgp *p, const config_setting_t *s,
    struct outstation_config *oc)
{
	long long addr, master, max_controls;
	int controls = CONTROL_ECHO, r;

	if (!config_setting_is_group(s))
		return cfgp_error(p, s, NULL, "expected a group { ... }, got %s",
		    cfgp_type_name(config_setting_type(s)));
	if (cfgp_check_keys(p, s, outstation_keys) == -1 ||
	    parse_name(p, s, oc) == -1 ||
	    cfgp_filter(p, s, &oc->filter) == -1 ||
	    cfgp_int(p, s, "address", 0, CFG_LINK_ADDR_MAX, 1, &addr) == -1 ||
	    cfgp_int(p, s, "master", 0, CFG_LINK_ADDR_MAX, 1, &master) == -1)
		return -1;
	if (addr == master)
		return cfgp_error(p, config_setting_get_member(s, "master"),
		    NULL, "%lld is also the outstation's own address", master);
	oc->address = (uint16_t)addr;
	oc->master = (uint16_t)master;
	if (cfgp_database(p, s, oc) == -1 ||
	    cfgp_event_buffer(p, s, oc) == -1 ||
	    cfgp_options(p, s, oc) == -1 ||
	    cfgp_enum(p, s, "controls", control_modes, &controls) == -1 ||
	    (r = cfgp_int(p, s, "max_controls", 1, CFG_CONTROLS_MAX, 0,
	    &max_controls)) == -1)
		return -1;
	oc->controls = (enum control_mode)controls;
	if (r == 1)
		oc->max_controls = (uint32_t)max_controls;
	return 0;
}
