/*
 * The table of configuration keys, in the order the loader reads them
 * (which is the order of its error messages), and access to their fields.
 */
#include <string.h>

#include "config/keys.h"

#define FIELD(m)	.offset = offsetof(struct outstation_config, m), \
			.size = sizeof(((struct outstation_config *)0)->m)
#define INT(lo, hi, d)	.type = CK_INT, .min = (lo), .max = (hi), .def = (d)
#define CODE(t, r, d)	.type = CK_CODE, .doc_type = (t), .doc_range = (r), \
			.def_text = (d)

/* In the order of enum link_error_mode and enum control_mode. */
static const char *const link_modes[] = { "close", "discard", NULL };
static const char *const control_modes[] = { "echo", "bus", "reject", NULL };
/* In the order of enum accept_mode. */
static const char *const accept_modes[] = { "replace", "keep", NULL };
/* In the order of enum route_mode. */
static const char *const route_modes[] = { "filter", "link_address", NULL };
/* In the order of enum tls_min_version. */
static const char *const tls_versions[] = { "1.2", "1.3", NULL };

const struct config_key config_keys[] = {
	{ "user", CK_TOP, CODE("string", "a user name", "dnp3d") },
	{ "runtime_dir", CK_TOP, CODE("string", "absolute path",
	    "/run/dnp3d") },
	{ "state_dir", CK_TOP, CODE("string", "absolute path",
	    "see below") },
	{ "bus", CK_TOP, CODE("string(s)", "1 to 8 URLs", "see below") },
	{ "servers", CK_TOP, CODE("list", "1 to 64", NULL),
	    .flags = CK_REQUIRED },

	{ "listen", CK_SERVER, CODE("string", "address:port", NULL),
	    .flags = CK_REQUIRED },
	{ "link_error_mode", CK_SERVER, .type = CK_WORD, .words = link_modes,
	    .max = LINK_ERROR_DISCARD, .def = LINK_ERROR_CLOSE,
	    FIELD(link_error_mode), .bad = "link_error_mode",
	    .bad_what = "a mode" },
	{ "route", CK_SERVER, .type = CK_WORD, .words = route_modes,
	    .max = ROUTE_LINK_ADDRESS, .def = ROUTE_FILTER, FIELD(route),
	    .bad = "route", .bad_what = "a route mode" },
	{ "route_timeout_ms", CK_SERVER,
	    INT(CFG_ROUTE_TIMEOUT_MIN, CFG_ROUTE_TIMEOUT_MAX,
	    CFG_ROUTE_TIMEOUT_DEFAULT), FIELD(route_timeout_ms),
	    .bad = "route_timeout_ms" },
	{ "multidrop", CK_SERVER, .type = CK_BOOL, .max = 1,
	    FIELD(multidrop), .bad = "multidrop" },
	{ "tls.certificate", CK_SERVER, CODE("string", "PEM file", "none") },
	{ "tls.private_key", CK_SERVER, CODE("string", "PEM file", "none") },
	{ "tls.ca", CK_SERVER, CODE("string", "PEM file", "none") },
	{ "tls.min_version", CK_SERVER, .type = CK_WORD, .words = tls_versions,
	    .max = TLS_MIN_1_3, .def = TLS_MIN_1_2, FIELD(tls_min_version),
	    .bad = "tls.min_version", .bad_what = "a TLS version" },
	{ "tls.handshake_timeout_ms", CK_SERVER,
	    INT(100, CFG_TIMEOUT_MAX, CFG_TLS_HANDSHAKE_DEFAULT),
	    FIELD(tls_handshake_ms), .bad = "tls.handshake_timeout_ms" },
	{ "tls.key_renewal_ms", CK_SERVER,
	    INT(1000, CFG_TIMEOUT_MAX, CFG_TLS_RENEW_MS_DEFAULT),
	    FIELD(tls_renew_ms), .bad = "tls.key_renewal_ms" },
	{ "tls.key_renewal_bytes", CK_SERVER,
	    INT(65536, INT32_MAX, CFG_TLS_RENEW_BYTES_DEFAULT),
	    FIELD(tls_renew_bytes), .bad = "tls.key_renewal_bytes" },
	{ "outstations", CK_SERVER, CODE("list", "1 to 10000", NULL),
	    .flags = CK_REQUIRED },

	{ "name", CK_OUTSTATION, CODE("string", "1 to 32 chars",
	    NULL), .flags = CK_REQUIRED },
	{ "filter", CK_OUTSTATION, CODE("string(s)", "1 to 16 entries",
	    NULL), .flags = CK_REQUIRED },
	{ "address", CK_OUTSTATION, INT(0, CFG_LINK_ADDR_MAX, 0),
	    .flags = CK_REQUIRED, FIELD(address), .bad = "address/master",
	    .bad_what = "out of range or equal" },
	{ "master", CK_OUTSTATION, INT(0, CFG_LINK_ADDR_MAX, 0),
	    .flags = CK_REQUIRED, FIELD(master), .bad = "address/master",
	    .bad_what = "out of range or equal" },
	{ "database.*.count", CK_OUTSTATION, INT(0, CFG_POINTS_MAX, 0),
	    FIELD(db[0].count), .bad = "database" },
	{ "database.*.class", CK_OUTSTATION, INT(0, CFG_CLASS_MAX, 1),
	    FIELD(db[0].class), .bad = "database" },
	{ "database.*.static_variation", CK_OUTSTATION, INT(0, 255, 0),
	    FIELD(db[0].static_variation), .bad = "database",
	    .doc_range = "see DATABASE" },
	{ "database.*.event_variation", CK_OUTSTATION, INT(0, 255, 0),
	    FIELD(db[0].event_variation), .bad = "database",
	    .doc_range = "see DATABASE" },
	{ "database.*.deadband", CK_OUTSTATION, .type = CK_FLOAT,
	    FIELD(db[0].deadband), .bad = "database" },
	{ "event_buffer.*", CK_OUTSTATION, INT(0, CFG_EVENTS_MAX, 100),
	    FIELD(db[0].event_buffer), .bad = "database" },
	{ "unsolicited.enabled", CK_OUTSTATION, .type = CK_BOOL, .max = 1,
	    FIELD(unsol_enabled), .bad = "unsolicited" },
	{ "unsolicited.retries", CK_OUTSTATION, INT(-1, INT32_MAX, 3),
	    FIELD(unsol_retries), .bad = "unsolicited" },
	{ "timeouts_ms.confirm", CK_OUTSTATION, INT(1, CFG_TIMEOUT_MAX, 5000),
	    FIELD(confirm_ms), .bad = "timeouts_ms" },
	{ "timeouts_ms.select", CK_OUTSTATION, INT(1, CFG_TIMEOUT_MAX, 5000),
	    FIELD(select_ms), .bad = "timeouts_ms" },
	{ "timeouts_ms.keep_alive", CK_OUTSTATION,
	    INT(1, CFG_TIMEOUT_MAX, 60000), FIELD(keep_alive_ms),
	    .bad = "timeouts_ms" },
	{ "timeouts_ms.need_time", CK_OUTSTATION,
	    INT(0, CFG_TIMEOUT_MAX, CFG_NEED_TIME_DEFAULT),
	    FIELD(need_time_ms), .bad = "timeouts_ms" },
	{ "timeouts_ms.worker_liveness", CK_OUTSTATION,
	    INT(CFG_LIVENESS_MIN, CFG_TIMEOUT_MAX, CFG_LIVENESS_DEFAULT),
	    FIELD(worker_liveness_ms), .bad = "timeouts_ms" },
	{ "state.crash_count", CK_OUTSTATION,
	    INT(0, CFG_CRASH_COUNT_MAX, CFG_CRASH_COUNT_DEFAULT),
	    FIELD(state_crash_count), .bad = "state" },
	{ "state.crash_window_ms", CK_OUTSTATION,
	    INT(CFG_LIVENESS_MIN, CFG_TIMEOUT_MAX, CFG_CRASH_WINDOW_DEFAULT),
	    FIELD(state_crash_window_ms), .bad = "state" },
	{ "fragment.rx", CK_OUTSTATION, INT(CFG_FRAG_MIN, CFG_FRAG_MAX, 2048),
	    FIELD(frag_rx), .bad = "fragment" },
	{ "fragment.tx", CK_OUTSTATION, INT(CFG_FRAG_MIN, CFG_FRAG_MAX, 2048),
	    FIELD(frag_tx), .bad = "fragment" },
	{ "controls", CK_OUTSTATION, .type = CK_WORD, .words = control_modes,
	    .max = CONTROL_REJECT, .def = CONTROL_ECHO, FIELD(controls),
	    .bad = "controls", .bad_what = "a control mode" },
	{ "accept", CK_OUTSTATION, .type = CK_WORD, .words = accept_modes,
	    .max = ACCEPT_KEEP, .def = ACCEPT_REPLACE, FIELD(accept),
	    .bad = "accept", .bad_what = "an accept mode" },
	{ "max_controls", CK_OUTSTATION,
	    INT(1, CFG_CONTROLS_MAX, CFG_CONTROLS_DEFAULT),
	    FIELD(max_controls), .bad = "max_controls" },
	{ "control_answer_ms", CK_OUTSTATION,
	    INT(CFG_ANSWER_MIN, CFG_ANSWER_MAX, CFG_ANSWER_DEFAULT),
	    FIELD(control_answer_ms), .bad = "control_answer_ms" },
	{ "master_name", CK_OUTSTATION, CODE("string", "a DNS name",
	    "any") },
	{ "certificate", CK_OUTSTATION, CODE("string", "PEM file",
	    "server's") },
	{ "private_key", CK_OUTSTATION, CODE("string", "PEM file",
	    "server's") },
};
const size_t config_nkeys = sizeof(config_keys) / sizeof(config_keys[0]);

bool
config_key_per_type(const struct config_key *k)
{
	return strchr(k->path, '*') != NULL;
}

static void *
field(const struct config_key *k, const struct outstation_config *oc, int t)
{
	size_t off = k->offset;

	if (config_key_per_type(k))
		off += (size_t)t * sizeof(struct point_type_config);
	return (char *)oc + off;
}

long long
config_key_get(const struct config_key *k, const struct outstation_config *oc,
    int t)
{
	const void *f = field(k, oc, t);
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;

	switch (k->size) {
	case 1:
		memcpy(&u8, f, 1);
		return u8;
	case 2:
		memcpy(&u16, f, 2);
		return u16;
	default:
		memcpy(&u32, f, 4);
		return k->min < 0 ? (long long)(int32_t)u32 : (long long)u32;
	}
}

void
config_key_set(const struct config_key *k, struct outstation_config *oc,
    int t, long long v)
{
	void *f = field(k, oc, t);
	uint32_t u32 = (uint32_t)v;
	uint16_t u16 = (uint16_t)v;
	uint8_t u8 = (uint8_t)v;

	if (k->size == 1)
		memcpy(f, &u8, 1);
	else if (k->size == 2)
		memcpy(f, &u16, 2);
	else
		memcpy(f, &u32, 4);
}

double
config_key_get_float(const struct config_key *k,
    const struct outstation_config *oc, int t)
{
	double v;

	memcpy(&v, field(k, oc, t), sizeof(v));
	return v;
}

void
config_key_set_float(const struct config_key *k, struct outstation_config *oc,
    int t, double v)
{
	memcpy(field(k, oc, t), &v, sizeof(v));
}

void
config_outstation_defaults(struct outstation_config *oc)
{
	const struct config_key *k;
	int t, n;

	memset(oc, 0, sizeof(*oc));
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		if (k->scope == CK_TOP || k->type == CK_CODE)
			continue;
		n = config_key_per_type(k) ? PT_COUNT : 1;
		for (t = 0; t < n; t++)
			if (k->type == CK_FLOAT)
				config_key_set_float(k, oc, t, (double)k->def);
			else
				config_key_set(k, oc, t, k->def);
	}
}
