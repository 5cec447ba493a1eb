/*
 * config_load(): read the file (or the embedded default) with libconfig,
 * then check the top level and hand the servers to config_server.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/endpoint.h"
#include "listener/config_parse.h"

#define SUN_PATH_MAX	107	/* sizeof(sun_path) - 1 */

#define FILE_MAX	(16 * 1024 * 1024)

/*
 * The whole file, NUL-terminated, in a heap buffer. Read in chunks so
 * that a pipe (-c /dev/stdin) works too; at most FILE_MAX bytes.
 */
static char *
slurp(const char *path, char *err, size_t errlen)
{
	char *buf = NULL, *nbuf;
	const char *why = NULL;
	size_t len = 0, cap = 0, n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			if (cap > FILE_MAX + 1)
				cap = FILE_MAX + 1;
			if (cap - len < 2 || (nbuf = realloc(buf, cap)) == NULL)
				break;
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp))
		why = strerror(errno);
	else if (buf == NULL)
		why = "out of memory";
	else if (!feof(fp))
		why = "larger than 16 MiB, or out of memory";
	else if (memchr(buf, '\0', len) != NULL)
		why = "contains a NUL byte";
	fclose(fp);
	if (why == NULL) {
		buf[len] = '\0';
		return buf;
	}
	snprintf(err, errlen, "%s: %s", path, why);
	free(buf);
	return NULL;
}

/* Parses text with libconfig; syntax errors keep libconfig's words. */
static int
read_config(config_t *lc, const char *text, const char *name, char *err,
    size_t errlen)
{
	if (config_read_string(lc, text) == CONFIG_TRUE)
		return 0;
	snprintf(err, errlen, "%s:%d: %s",
	    config_error_file(lc) ? config_error_file(lc) : name,
	    config_error_line(lc), config_error_text(lc));
	return -1;
}

static int
read_user(struct cfgp *p, const config_setting_t *root, const char *key,
    struct cfgp_walk *w)
{
	char *user = p->cfg->user;

	strcpy(user, w->key->def_text);
	if (cfgp_string(p, root, key, 0, user, sizeof(p->cfg->user)) == -1)
		return -1;
	if (!config_user_valid(user))
		return cfgp_error(p, config_setting_get_member(root, key),
		    NULL, "\"%s\" is not a valid user name", user);
	return 0;
}

/* Without -c and not root, the default is one the user may create. */
static int
read_runtime_dir(struct cfgp *p, const config_setting_t *root,
    const char *key, struct cfgp_walk *w)
{
	const bool *embedded = w->ctx;
	char *dir = p->cfg->runtime_dir;

	if (*embedded && geteuid() != 0) {
		if (config_default_runtime_dir(dir,
		    sizeof(p->cfg->runtime_dir)) == -1)
			return cfgp_error(p, root, key, "not root and no "
			    "usable $XDG_RUNTIME_DIR: set runtime_dir");
	} else
		strcpy(dir, w->key->def_text);
	if (cfgp_string(p, root, key, 0, dir,
	    sizeof(p->cfg->runtime_dir)) == -1)
		return -1;
	if (!config_path_valid(dir))
		return cfgp_error(p, config_setting_get_member(root, key),
		    NULL, "\"%s\" must be an absolute path without \"..\"",
		    dir);
	return 0;
}

/*
 * Where the state regions are saved across a restart: the key, else
 * systemd's $STATE_DIRECTORY (StateDirectory= in the unit), else nowhere.
 * "" also means nowhere.
 */
static int
read_state_dir(struct cfgp *p, const config_setting_t *root,
    const char *key, struct cfgp_walk *w)
{
	const char *env = getenv("STATE_DIRECTORY");
	const config_setting_t *s;
	char *dir = p->cfg->state_dir;

	(void)w;
	dir[0] = '\0';
	if (env != NULL && strlen(env) < sizeof(p->cfg->state_dir))
		strcpy(dir, env);
	if (cfgp_string(p, root, key, 0, dir,
	    sizeof(p->cfg->state_dir)) == -1)
		return -1;
	if (dir[0] == '\0' || config_path_valid(dir))
		return 0;
	if ((s = config_setting_get_member(root, key)) != NULL)
		return cfgp_error(p, s, NULL, "\"%s\" must be an absolute "
		    "path without \"..\"", dir);
	return cfgp_error(p, root, key, "$STATE_DIRECTORY \"%s\" is not an "
	    "absolute path: set state_dir", dir);
}

static int
check_bus_url(struct cfgp *p, const config_setting_t *s, const char *url)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err[256];

	if (strncmp(url, "ipc://", 6) == 0) {
		if (url[6] != '/' || strlen(url + 6) > SUN_PATH_MAX)
			return cfgp_error(p, s, NULL, "\"%s\": the path must "
			    "be absolute and at most %d bytes", url,
			    SUN_PATH_MAX);
		return 0;
	}
	if (strncmp(url, "tcp://", 6) == 0) {
		if (endpoint_parse(url + 6, &ss, &sslen, err, sizeof(err)) == -1)
			return cfgp_error(p, s, NULL, "%s", err);
		return 0;
	}
	return cfgp_error(p, s, NULL, "\"%s\": expected \"ipc:///path\" or "
	    "\"tcp://address:port\"", url);
}

/* bus = "url" or [ "url", ... ]: at least one ipc:// for the workers. */
static int
read_bus(struct cfgp *p, const config_setting_t *root, const char *key,
    struct cfgp_walk *w)
{
	struct dnp3d_config *cfg = p->cfg;
	const config_setting_t *s, *e;
	int i, n, ipc = 0;

	(void)w;
	if ((s = config_setting_get_member(root, key)) == NULL) {
		n = snprintf(cfg->bus[0], sizeof(cfg->bus[0]),
		    "ipc://%s/bus.ipc", cfg->runtime_dir);
		cfg->bus_count = 1;
		if (n > 0 && (size_t)n < sizeof(cfg->bus[0]) &&
		    strlen(cfg->bus[0] + 6) <= SUN_PATH_MAX)
			return 0;
		if ((e = config_setting_get_member(root, "runtime_dir")))
			return cfgp_error(p, e, NULL, "too long for the bus "
			    "socket %s/bus.ipc (at most %d bytes)",
			    cfg->runtime_dir, SUN_PATH_MAX);
		return cfgp_error(p, root, "runtime_dir", "\"%s\" is too "
		    "long for the bus socket", cfg->runtime_dir);
	}
	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		n = 1;
	else if (config_setting_is_aggregate(s) && !config_setting_is_group(s))
		n = config_setting_length(s);
	else
		return cfgp_error(p, s, NULL, "expected a string or an array "
		    "of strings, got %s", cfgp_type_name(config_setting_type(s)));
	if (n < 1 || n > CFG_BUS_MAX)
		return cfgp_error(p, s, NULL, "%d endpoints, expected 1..%d", n,
		    CFG_BUS_MAX);
	for (i = 0; i < n; i++) {
		e = n == 1 && config_setting_type(s) == CONFIG_TYPE_STRING ? s :
		    config_setting_get_elem(s, (unsigned int)i);
		if (cfgp_string_elem(p, e, cfg->bus[i], sizeof(cfg->bus[i])) ==
		    -1 || check_bus_url(p, e, cfg->bus[i]) == -1)
			return -1;
		ipc |= strncmp(cfg->bus[i], "ipc://", 6) == 0;
		for (int j = 0; j < i; j++)
			if (strcmp(cfg->bus[i], cfg->bus[j]) == 0)
				return cfgp_error(p, e, NULL, "\"%s\" is "
				    "listed twice", cfg->bus[i]);
	}
	cfg->bus_count = (uint32_t)n;
	if (!ipc)
		return cfgp_error(p, s, NULL, "needs an \"ipc://\" endpoint "
		    "for the workers");
	return 0;
}

static int
read_servers(struct cfgp *p, const config_setting_t *root, const char *key,
    struct cfgp_walk *w)
{
	(void)key;
	(void)w;
	return cfgp_servers(p, root);
}

static const struct cfgp_hook top_hooks[] = {
	{ "user", read_user },
	{ "runtime_dir", read_runtime_dir },
	{ "state_dir", read_state_dir },
	{ "bus", read_bus },
	{ "servers", read_servers },
	{ NULL, NULL }
};

static int
parse_top(struct cfgp *p, const config_setting_t *root, bool embedded)
{
	struct cfgp_walk w = { .hooks = top_hooks, .ctx = &embedded };

	return cfgp_walk(p, root, CK_TOP, &w);
}

/*
 * The ipc endpoint the workers join, and the top-level copies. Workers
 * join the hub's internal socket ipc://<runtime_dir>/workers.ipc (see
 * listener/bus_dir.h); only if that path is too long for a socket address
 * (or is itself a bus endpoint) do they join the first ipc bus endpoint
 * like any client.
 */
static void
fill_copies(struct dnp3d_config *cfg)
{
	char wurl[CFG_BUS_URL_MAX];
	const char *bus = cfg->bus[0], *ipc = NULL;
	uint32_t i;
	int n, fits;

	n = snprintf(wurl, sizeof(wurl), "ipc://%s/workers.ipc",
	    cfg->runtime_dir);
	fits = n > 0 && (size_t)n < sizeof(wurl) &&
	    strlen(wurl + 6) <= SUN_PATH_MAX;
	for (i = 0; i < cfg->bus_count; i++) {
		if (strcmp(cfg->bus[i], wurl) == 0)
			fits = 0;
		if (ipc == NULL && strncmp(cfg->bus[i], "ipc://", 6) == 0)
			ipc = cfg->bus[i];
	}
	if (fits)
		bus = wurl;
	else if (ipc != NULL)
		bus = ipc;
	for (i = 0; i < cfg->outstation_count; i++) {
		struct outstation_config *oc = &cfg->outstations[i];

		memcpy(oc->user, cfg->user, sizeof(oc->user));
		memcpy(oc->runtime_dir, cfg->runtime_dir,
		    sizeof(oc->runtime_dir));
		snprintf(oc->bus, sizeof(oc->bus), "%s", bus);
	}
}

static int
load_text(const char *text, struct dnp3d_config *cfg, int embedded,
    char *err, size_t errlen)
{
	struct cfg_scan scan;
	struct cfgp p;
	config_t lc;
	int rc = -1;

	if (config_scan_text(text, &scan) == SCAN_DIRECTIVE) {
		snprintf(err, errlen, "%s:%u: %s is not supported: dnp3d "
		    "reads one file", cfg->file, scan.line, scan.lit);
		return -1;
	}
	config_init(&lc);
	config_set_options(&lc, config_get_options(&lc) &
	    ~CONFIG_OPTION_AUTOCONVERT);
	if (read_config(&lc, text, cfg->file, err, errlen) == 0) {
		memset(&p, 0, sizeof(p));
		p.file = cfg->file;
		p.err = err;
		p.errlen = errlen;
		p.cfg = cfg;
		if (cfgp_wrapped_int(&p, config_root_setting(&lc), &scan) == 0)
			rc = parse_top(&p, config_root_setting(&lc), embedded);
		free(p.os_set);
	}
	config_destroy(&lc);
	return rc;
}

int
config_load(const char *path, struct dnp3d_config *cfg, char *err,
    size_t errlen)
{
	char *text = NULL;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	if ((size_t)snprintf(cfg->file, sizeof(cfg->file), "%s",
	    path ? path : CFG_EMBEDDED_NAME) >= sizeof(cfg->file)) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return -1;
	}
	if (path == NULL)
		rc = load_text(config_embedded_default, cfg, 1, err, errlen);
	else if ((text = slurp(path, err, errlen)) != NULL)
		rc = load_text(text, cfg, 0, err, errlen);
	free(text);
	if (rc == 0) {
		fill_copies(cfg);
		if (path == NULL)
			config_default_mark_demo(cfg);
	} else
		config_free(cfg);
	return rc;
}

void
config_free(struct dnp3d_config *cfg)
{
	free(cfg->servers);
	free(cfg->outstations);
	cfg->servers = NULL;
	cfg->outstations = NULL;
	cfg->server_count = 0;
	cfg->outstation_count = 0;
}

int
config_default_runtime_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (geteuid() == 0)
		n = snprintf(buf, len, "/run/dnp3d");
	else {
		/* $XDG_RUNTIME_DIR if usable and short enough for the bus;
		   never a predictable name in a shared directory such as
		   /tmp, which anyone could have made first. */
		n = -1;
		if (xdg != NULL && config_path_valid(xdg) &&
		    strlen(xdg) + sizeof("/dnp3d/bus.ipc") - 1 <= SUN_PATH_MAX)
			n = snprintf(buf, len, "%s/dnp3d", xdg);
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
