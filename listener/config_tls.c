/*
 * The TLS keys: the server's tls group (certificate, private_key, ca;
 * the scalar keys are rows of config/keys.c) and an outstation's own
 * master_name, certificate and private_key. The files are opened only by
 * `dnp3d -t` (config_tls_check_files): at start the listener passes the
 * paths on and each worker reads them before its lockdown, so no private
 * key ever sits in the listener's memory.
 */
#include <string.h>

#include "listener/config_parse.h"
#include "listener/config_tls.h"

static bool check_files;

void
config_tls_check_files(bool on)
{
	check_files = on;
}

/* Which field of oc a path key fills, and what its file holds. */
static char *
path_field(struct outstation_config *oc, const char *path)
{
	if (strcmp(path, "tls.certificate") == 0 ||
	    strcmp(path, "certificate") == 0)
		return oc->tls_cert;
	if (strcmp(path, "tls.private_key") == 0 ||
	    strcmp(path, "private_key") == 0)
		return oc->tls_key;
	return oc->tls_ca;
}

static int
check_file(struct cfgp *p, const config_setting_t *s, const char *path,
    const struct outstation_config *oc, const char *file)
{
	char err[512];
	int rc;

	if (!check_files)
		return 0;
	if (strcmp(path, "tls.ca") == 0)
		rc = tlsfile_check_certs(file, true, err, sizeof(err));
	else if (file == oc->tls_cert)
		rc = tlsfile_check_certs(file, false, err, sizeof(err));
	else
		rc = tlsfile_check_key(file, oc->tls_cert, err, sizeof(err));
	return rc == -1 ? cfgp_error(p, s, NULL, "%s", err) : 0;
}

/* One path: absolute, no "..", and (with -t) a good file. */
static int
read_path(struct cfgp *p, const config_setting_t *group, const char *key,
    struct cfgp_walk *w, int required)
{
	char *f = path_field(w->oc, w->key->path);
	const config_setting_t *s;
	int r;

	if ((r = cfgp_string(p, group, key, required, f, CFG_PATH_MAX)) != 1)
		return r;
	s = config_setting_get_member(group, key);
	if (!config_path_valid(f))
		return cfgp_error(p, s, NULL, "\"%s\" is not an absolute path",
		    f);
	return check_file(p, s, w->key->path, w->oc, f) == -1 ? -1 : 1;
}

/* tls.certificate, tls.private_key, tls.ca: all three in a tls group. */
int
cfgp_tls_server_path(struct cfgp *p, const config_setting_t *group,
    const char *key, struct cfgp_walk *w)
{
	w->oc->tls = true;
	return read_path(p, group, key, w, 1);
}

/* An outstation's TLS key needs TLS on its server. */
static int
need_tls(struct cfgp *p, const config_setting_t *group, const char *key,
    const struct outstation_config *oc)
{
	const config_setting_t *s = config_setting_get_member(group, key);

	if (s == NULL || oc->tls)
		return 0;
	return cfgp_error(p, s, NULL, "needs a tls group in its server");
}

/* certificate and private_key: both or neither. */
int
cfgp_tls_outstation_path(struct cfgp *p, const config_setting_t *group,
    const char *key, struct cfgp_walk *w)
{
	bool cert = config_setting_get_member(group, "certificate") != NULL;
	bool pkey = config_setting_get_member(group, "private_key") != NULL;

	if (need_tls(p, group, key, w->oc) == -1)
		return -1;
	if (cert != pkey)
		return cfgp_error(p, group, cert ? "private_key" :
		    "certificate", "missing (certificate and private_key "
		    "go together)");
	return read_path(p, group, key, w, 0);
}

int
cfgp_tls_master_name(struct cfgp *p, const config_setting_t *group,
    const char *key, struct cfgp_walk *w)
{
	char *name = w->oc->master_name;
	int r;

	if (need_tls(p, group, key, w->oc) == -1)
		return -1;
	if ((r = cfgp_string(p, group, key, 0, name,
	    sizeof(w->oc->master_name))) != 1)
		return r;
	if (!config_host_valid(name))
		return cfgp_error(p, config_setting_get_member(group, key),
		    NULL, "\"%s\" is not a DNS name", name);
	return 1;
}
