/*
 * Decoding of inbound op messages in a worker: point updates (single or
 * batch) and control answers. Nothing is written to out unless the whole
 * message is good, so a batch is applied all or nothing by construction.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bus/envelope.h"
#include "bus/event.h"
#include "bus/update.h"

#define TIME_MAX	253402300799999LL	/* 9999-12-31T23:59:59.999Z */

struct flag_name {
	const char *name;
	uint8_t bit;
	uint8_t types;		/* which of the FT_* the flag applies to */
};

#define FT_BINARY	0x01	/* binary_input, double_bit_input */
#define FT_OUTPUT	0x02	/* binary_output */
#define FT_COUNTER	0x04
#define FT_ANALOG	0x08
#define FT_ALL		(FT_BINARY | FT_OUTPUT | FT_COUNTER | FT_ANALOG)

static const struct flag_name flag_names[] = {
	{ "online", BUS_FLAG_ONLINE, FT_ALL },
	{ "restart", BUS_FLAG_RESTART, FT_ALL },
	{ "comm_lost", BUS_FLAG_COMM_LOST, FT_ALL },
	{ "remote_forced", BUS_FLAG_REMOTE_FORCED, FT_ALL },
	{ "local_forced", BUS_FLAG_LOCAL_FORCED, FT_ALL },
	{ "chatter_filter", BUS_FLAG_CHATTER_FILTER, FT_BINARY },
	{ "rollover", BUS_FLAG_ROLLOVER, FT_COUNTER },
	{ "discontinuity", BUS_FLAG_DISCONTINUITY, FT_COUNTER },
	{ "over_range", BUS_FLAG_OVER_RANGE, FT_ANALOG },
	{ "reference_err", BUS_FLAG_REFERENCE_ERR, FT_ANALOG },
};

static const char *const dbit_names[4] = {
	"intermediate", "off", "on", "indeterminate"
};

int
bus_point_type_parse(const char *name)
{
	int t;

	for (t = 0; t < PT_COUNT; t++)
		if (strcmp(point_type_names[t], name) == 0)
			return t;
	return -1;
}

static uint8_t
flag_class(enum point_type t)
{
	switch (t) {
	case PT_BINARY_INPUT:
	case PT_DOUBLE_BIT_INPUT:
		return FT_BINARY;
	case PT_BINARY_OUTPUT:
		return FT_OUTPUT;
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		return FT_COUNTER;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		return FT_ANALOG;
	default:
		return 0;	/* octet strings carry no flags */
	}
}

/* keys: NULL-terminated list of the keys allowed in o. */
static int
check_keys(json_t *o, const char *const *keys, const char *where,
    char *err, size_t errlen)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(o, key, v) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(keys[i], key) == 0)
				break;
		if (keys[i] == NULL)
			return bus_seterr(err, errlen, BUS_ERR_UNKNOWN_KEY,
			    "%s\"%.64s\"", where, key);
	}
	return 0;
}

static int
decode_flags(json_t *v, enum point_type t, uint8_t *flags,
    const char *where, char *err, size_t errlen)
{
	uint8_t cls = flag_class(t);
	const char *name;
	size_t i, k;
	json_t *f;

	*flags = cls == 0 ? 0 : BUS_FLAG_ONLINE;
	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return bus_seterr(err, errlen, BUS_ERR_FLAGS,
		    "%sflags must be a list of names", where);
	*flags = 0;
	json_array_foreach(v, i, f) {
		if (!json_is_string(f))
			return bus_seterr(err, errlen, BUS_ERR_FLAGS,
			    "%sflags[%zu] is not a name", where, i);
		name = json_string_value(f);
		for (k = 0; k < sizeof(flag_names) / sizeof(flag_names[0]); k++)
			if (strcmp(flag_names[k].name, name) == 0)
				break;
		if (k == sizeof(flag_names) / sizeof(flag_names[0]))
			return bus_seterr(err, errlen, BUS_ERR_FLAGS,
			    "%sunknown flag \"%.32s\"", where, name);
		if ((flag_names[k].types & cls) == 0)
			return bus_seterr(err, errlen, BUS_ERR_FLAGS,
			    "%sflag \"%s\" does not apply to %s", where, name,
			    point_type_names[t]);
		*flags |= flag_names[k].bit;
	}
	return 0;
}

static int
decode_dbit(json_t *v, struct bus_update *u)
{
	json_int_t n;
	size_t i;

	if (json_is_integer(v)) {
		n = json_integer_value(v);
		if (n < 0 || n > 3)
			return -1;
		u->value.dbit = (uint8_t)n;
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	for (i = 0; i < 4; i++)
		if (strcmp(dbit_names[i], json_string_value(v)) == 0) {
			u->value.dbit = (uint8_t)i;
			return 0;
		}
	return -1;
}

static int
decode_value(json_t *v, struct bus_update *u, const char *where,
    char *err, size_t errlen)
{
	const char *want = "";
	json_int_t n;
	size_t len;

	switch (u->type) {
	case PT_BINARY_INPUT:
	case PT_BINARY_OUTPUT:
		want = "true or false";
		if (!json_is_boolean(v))
			break;
		u->value.binary = json_is_true(v);
		return 0;
	case PT_DOUBLE_BIT_INPUT:
		want = "0..3 or intermediate, off, on, indeterminate";
		if (decode_dbit(v, u) == -1)
			break;
		return 0;
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		want = "an integer from 0 to 4294967295";
		if (!json_is_integer(v) || (n = json_integer_value(v)) < 0 ||
		    n > UINT32_MAX)
			break;
		u->value.counter = (uint32_t)n;
		return 0;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		want = "a number";
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			break;
		u->value.analog = json_number_value(v);
		return 0;
	case PT_OCTET_STRING:
		want = "a string of 1 to 255 bytes";
		if (!json_is_string(v) || (len = json_string_length(v)) == 0 ||
		    len > BUS_OCTETS_MAX)
			break;
		u->value.octets.len = (uint8_t)len;
		memcpy(u->value.octets.data, json_string_value(v), len);
		return 0;
	default:
		break;
	}
	return bus_seterr(err, errlen, BUS_ERR_VALUE, "%s%s value must be %s",
	    where, point_type_names[u->type], want);
}

static int
decode_time(json_t *v, struct bus_update *u, const char *where,
    char *err, size_t errlen)
{
	u->has_time = false;
	u->time_ms = 0;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > TIME_MAX)
		return bus_seterr(err, errlen, BUS_ERR_TIME,
		    "%stime must be milliseconds since 1970 (UTC)", where);
	u->has_time = true;
	u->time_ms = json_integer_value(v);
	return 0;
}

static int
decode_point(json_t *o, const struct outstation_config *cfg,
    struct bus_update *u, const char *where, char *err, size_t errlen)
{
	json_t *type, *index, *value;
	uint32_t count;
	json_int_t n;
	int t, rc;

	memset(u, 0, sizeof(*u));
	if ((type = json_object_get(o, "type")) == NULL)
		return bus_seterr(err, errlen, BUS_ERR_NO_TYPE,
		    "%san update needs \"type\"", where);
	if (!json_is_string(type) ||
	    (t = bus_point_type_parse(json_string_value(type))) == -1)
		return bus_seterr(err, errlen, BUS_ERR_UNKNOWN_TYPE,
		    "%stype \"%.32s\"", where, json_is_string(type) ?
		    json_string_value(type) : "(not a string)");
	u->type = (enum point_type)t;
	count = cfg->db[t].count;
	if ((index = json_object_get(o, "index")) == NULL)
		return bus_seterr(err, errlen, BUS_ERR_NO_INDEX,
		    "%san update needs \"index\"", where);
	if (!json_is_integer(index))
		return bus_seterr(err, errlen, BUS_ERR_INDEX,
		    "%sindex must be an integer", where);
	if ((n = json_integer_value(index)) < 0 || n >= count)
		return bus_seterr(err, errlen, BUS_ERR_INDEX,
		    "%sindex %lld, but %s has %u points", where, (long long)n,
		    point_type_names[t], count);
	u->index = (uint32_t)n;
	if ((value = json_object_get(o, "value")) == NULL)
		return bus_seterr(err, errlen, BUS_ERR_NO_VALUE,
		    "%san update needs \"value\"", where);
	if ((rc = decode_value(value, u, where, err, errlen)) != 0)
		return rc;
	if ((rc = decode_flags(json_object_get(o, "flags"), u->type,
	    &u->flags, where, err, errlen)) != 0)
		return rc;
	return decode_time(json_object_get(o, "time"), u, where, err, errlen);
}

static const char *const single_keys[] = {
	"op", "outstation", "id", "type", "index", "value", "flags", "time",
	NULL
};
static const char *const batch_keys[] = {
	"op", "outstation", "id", "updates", NULL
};
static const char *const item_keys[] = {
	"type", "index", "value", "flags", "time", NULL
};

static int
decode_batch(json_t *list, const struct outstation_config *cfg,
    struct bus_update *out, size_t max, size_t *count, char *err,
    size_t errlen)
{
	char where[32];
	size_t i, n;
	json_t *item;
	int rc;

	if (!json_is_array(list) || (n = json_array_size(list)) == 0)
		return bus_seterr(err, errlen, BUS_ERR_BAD_BATCH,
		    "updates must be a non-empty list");
	if (n > BUS_BATCH_MAX || n > max)
		return bus_seterr(err, errlen, BUS_ERR_BATCH_TOO_BIG,
		    "%zu updates, at most %zu", n,
		    max < BUS_BATCH_MAX ? max : (size_t)BUS_BATCH_MAX);
	json_array_foreach(list, i, item) {
		snprintf(where, sizeof(where), "updates[%zu]: ", i);
		if (!json_is_object(item))
			return bus_seterr(err, errlen, BUS_ERR_BAD_BATCH,
			    "%snot an object", where);
		if ((rc = check_keys(item, item_keys, where, err,
		    errlen)) != 0)
			return rc;
		if ((rc = decode_point(item, cfg, &out[i], where, err,
		    errlen)) != 0)
			return rc;
	}
	*count = n;
	return 0;
}

static int
decode_update(json_t *root, const struct outstation_config *cfg,
    struct bus_update *out, size_t max, size_t *count, char *err,
    size_t errlen)
{
	json_t *list;
	int rc;

	*count = 0;
	if ((list = json_object_get(root, "updates")) != NULL) {
		if ((rc = check_keys(root, batch_keys, "", err, errlen)) != 0)
			return rc;
		return decode_batch(list, cfg, out, max, count, err, errlen);
	}
	if (max == 0)
		return bus_seterr(err, errlen, BUS_ERR_BATCH_TOO_BIG,
		    "no room for an update");
	if ((rc = check_keys(root, single_keys, "", err, errlen)) != 0)
		return rc;
	if ((rc = decode_point(root, cfg, out, "", err, errlen)) != 0)
		return rc;
	*count = 1;
	return 0;
}

static int
decode_answer(json_t *root, struct bus_inbound *in, char *err,
    size_t errlen)
{
	static const char *const keys[] = {
		"op", "outstation", "id", "status", NULL
	};
	json_t *status;
	int rc, code;

	if ((rc = check_keys(root, keys, "", err, errlen)) != 0)
		return rc;
	if (in->id < 0)
		return bus_seterr(err, errlen, BUS_ERR_BAD_ID,
		    "control_answer needs the \"id\" of its control_request");
	status = json_object_get(root, "status");
	if (!json_is_string(status) || (code =
	    bus_command_status_parse(json_string_value(status))) == -1)
		return bus_seterr(err, errlen, BUS_ERR_STATUS,
		    "status must be a DNP3 command status name, e.g. SUCCESS");
	in->status = (uint8_t)code;
	return 0;
}

int
bus_update_decode(const char *msg, size_t len,
    const struct outstation_config *cfg, struct bus_inbound *in,
    struct bus_update *out, size_t max, char *err, size_t errlen)
{
	struct bus_envelope env;
	int rc;

	memset(in, 0, sizeof(*in));
	in->id = -1;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	/* A bad envelope is the hub's to report; other names aren't ours. */
	if (bus_envelope_parse(msg, len, &env, NULL, 0) != BUS_DECODE_OK ||
	    env.kind == BUS_IN_PING ||
	    (env.outstation != NULL ? strncmp(env.outstation, cfg->name,
	    sizeof(cfg->name)) != 0 : env.kind != BUS_IN_STATUS)) {
		bus_envelope_free(&env);
		return BUS_DECODE_IGNORE;
	}
	in->kind = env.kind;
	in->id = env.id;
	if (env.kind == BUS_IN_STATUS)
		rc = 0;		/* nothing but the id */
	else if (env.kind == BUS_IN_UPDATE)
		rc = decode_update(env.root, cfg, out, max, &in->count, err,
		    errlen);
	else
		rc = decode_answer(env.root, in, err, errlen);
	bus_envelope_free(&env);
	if (rc != 0)
		in->count = 0;
	return rc;
}
