/*
 * outstation_config_check(): the worker gets its outstation_config as raw
 * bytes from another process and trusts none of it. Strings must end
 * inside their arrays; every key of config/keys.h must hold a value the
 * loader allows. Also the rules both sides share (names, deadbands);
 * which variations a type has is the core's (dnp3/outstation/points.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config/check.h"
#include "config/endpoint.h"
#include "config/keys.h"
#include "dnp3/outstation/points.h"

/* 1 to max of A-Z a-z 0-9 and the characters of extra (ASCII only). */
static bool
word_valid(const char *s, const char *extra, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && strchr(extra, s[i]) == NULL)
			return false;
	return i >= 1 && i <= max;
}

bool
config_name_valid(const char *name)
{
	return word_valid(name, "_-", CFG_NAME_MAX);
}

/* A user name as useradd allows it: [A-Za-z0-9._-], not starting '-'. */
bool
config_user_valid(const char *user)
{
	return word_valid(user, "._-", CFG_USER_MAX) && user[0] != '-';
}

/* Absolute, and no ".." component. */
bool
config_path_valid(const char *path)
{
	const char *p;

	if (path[0] != '/')
		return false;
	for (p = path; (p = strstr(p, "/..")) != NULL; p += 3)
		if (p[3] == '/' || p[3] == '\0')
			return false;
	return true;
}

/* A DNS name as master_name takes it: [A-Za-z0-9.-], 1..253, no empty
   label, no label that starts or ends with '-'. */
bool
config_host_valid(const char *name)
{
	size_t i, n = strnlen(name, CFG_HOST_MAX + 1);

	if (n == 0 || n > CFG_HOST_MAX)
		return false;
	for (i = 0; i < n; i++) {
		bool start = i == 0 || name[i - 1] == '.';
		bool end = i + 1 == n || name[i + 1] == '.';

		if (name[i] == '.' ? start || end :
		    name[i] == '-' ? start || end :
		    !((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9')))
			return false;
	}
	return true;
}

bool
config_has_deadband(enum point_type t)
{
	return t == PT_COUNTER || t == PT_FROZEN_COUNTER ||
	    t == PT_ANALOG_INPUT || t == PT_ANALOG_OUTPUT;
}

static bool
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* A TLS path: empty without TLS, absolute with it. */
static bool
tls_path_valid(const struct outstation_config *oc, const char *path)
{
	if (!terminated(path, CFG_PATH_MAX))
		return false;
	return oc->tls ? config_path_valid(path) : path[0] == '\0';
}

static int
check_tls(const struct outstation_config *oc, char *err, size_t errlen)
{
	uint8_t tls;

	memcpy(&tls, &oc->tls, 1);
	if (tls > 1)
		snprintf(err, errlen, "tls: not a boolean");
	else if (!tls_path_valid(oc, oc->tls_cert) ||
	    !tls_path_valid(oc, oc->tls_key) ||
	    !tls_path_valid(oc, oc->tls_ca))
		snprintf(err, errlen, "tls: a file name is not terminated or "
		    "invalid");
	else if (!terminated(oc->master_name, sizeof(oc->master_name)) ||
	    (oc->master_name[0] != '\0' &&
	    (!tls || !config_host_valid(oc->master_name))))
		snprintf(err, errlen, "master_name: not terminated or invalid");
	else
		return 0;
	return -1;
}

/* Strings end inside their arrays and hold what the loader allows. */
static int
check_strings(const struct outstation_config *oc, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char eperr[128];

	if (!terminated(oc->name, sizeof(oc->name)) ||
	    !config_name_valid(oc->name))
		snprintf(err, errlen, "name: not terminated or invalid");
	else if (!terminated(oc->endpoint, sizeof(oc->endpoint)) ||
	    endpoint_parse(oc->endpoint, &ss, &sslen, eperr,
	    sizeof(eperr)) == -1)
		snprintf(err, errlen, "endpoint: not terminated or invalid");
	else if (!terminated(oc->user, sizeof(oc->user)) ||
	    !config_user_valid(oc->user))
		snprintf(err, errlen, "user: not terminated or invalid");
	else if (!terminated(oc->runtime_dir, sizeof(oc->runtime_dir)) ||
	    !config_path_valid(oc->runtime_dir))
		snprintf(err, errlen, "runtime_dir: not terminated or invalid");
	else if (!terminated(oc->bus, sizeof(oc->bus)) ||
	    strncmp(oc->bus, "ipc:///", 7) != 0)
		snprintf(err, errlen, "bus: not terminated or not ipc://");
	else
		return check_tls(oc, err, errlen);
	return -1;
}

/* One key's value (of point type t) is one the loader could have stored. */
static bool
key_valid(const struct config_key *k, const struct outstation_config *oc,
    int t)
{
	double d;

	if (k->type == CK_FLOAT) {
		d = config_key_get_float(k, oc, t);
		return isfinite(d) && d >= (double)k->min;
	}
	return config_key_get(k, oc, t) >= k->min &&
	    config_key_get(k, oc, t) <= k->max;
}

static int
key_refused(const struct config_key *k, const struct outstation_config *oc,
    int t, char *err, size_t errlen)
{
	if (config_key_per_type(k))
		snprintf(err, errlen, "%s.%s: out of range", k->bad,
		    point_type_names[t]);
	else if (k->type == CK_WORD)
		snprintf(err, errlen, "%s: %d is not %s", k->bad,
		    (int)(int32_t)config_key_get(k, oc, t), k->bad_what);
	else
		snprintf(err, errlen, "%s: %s", k->bad,
		    k->bad_what ? k->bad_what : "out of range");
	return -1;
}

static int
check_keys(const struct outstation_config *oc, char *err, size_t errlen)
{
	const struct config_key *k;
	int t, n;

	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		if (k->scope == CK_TOP || k->type == CK_CODE)
			continue;
		n = config_key_per_type(k) ? PT_COUNT : 1;
		for (t = 0; t < n; t++)
			if (!key_valid(k, oc, t))
				return key_refused(k, oc, t, err, errlen);
	}
	return 0;
}

/* A bool from raw bytes may hold anything; read it as a byte. */
static bool
bool_valid(const bool *b)
{
	uint8_t v;

	memcpy(&v, b, 1);
	return v <= 1;
}

static int
check_filter(const struct addr_filter *f, char *err, size_t errlen)
{
	unsigned int i, j;

	if (!bool_valid(&f->any) || f->count > CFG_FILTER_MAX ||
	    (f->any ? f->count != 0 : f->count == 0)) {
		snprintf(err, errlen, "filter: bad entry count");
		return -1;
	}
	for (i = 0; i < f->count; i++)
		for (j = 0; j < 16; j++)
			if (f->entry[i].addr[j] & ~f->entry[i].mask[j]) {
				snprintf(err, errlen, "filter: entry %u has "
				    "bits outside its mask", i);
				return -1;
			}
	return 0;
}

/* The rules that span fields, as the loader applies them. */
static int
check_rules(const struct outstation_config *oc, char *err, size_t errlen)
{
	const struct point_type_config *pt;
	int t;

	if (oc->address == oc->master) {
		snprintf(err, errlen, "address/master: out of range or equal");
		return -1;
	}
	for (t = 0; t < PT_COUNT; t++) {
		pt = &oc->db[t];
		if (!point_variation_valid(t, POINT_STATIC,
		    pt->static_variation) ||
		    !point_variation_valid(t, POINT_EVENT, pt->event_variation) ||
		    (pt->deadband != 0 && !config_has_deadband(t))) {
			snprintf(err, errlen, "database.%s: out of range",
			    point_type_names[t]);
			return -1;
		}
	}
	return 0;
}

int
outstation_config_check(const struct outstation_config *oc, char *err,
    size_t errlen)
{
	if (check_strings(oc, err, errlen) == -1 ||
	    check_keys(oc, err, errlen) == -1 ||
	    check_rules(oc, err, errlen) == -1 ||
	    check_filter(&oc->filter, err, errlen) == -1)
		return -1;
	return 0;
}
