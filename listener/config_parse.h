#ifndef DNP3D_LISTENER_CONFIG_PARSE_H
#define DNP3D_LISTENER_CONFIG_PARSE_H

/*
 * Internal to listener/config_*.c: the parse context and typed getters
 * over libconfig settings. Every error goes through cfgp_error(), which
 * writes "FILE:LINE: KEY: message" with KEY the libconfig path of the
 * setting, e.g. "servers.[0].outstations.[1].address".
 */
#include <libconfig.h>
#include <stddef.h>

#include "config/check.h"
#include "config/keys.h"
#include "listener/config_load.h"

struct cfgp {
	const char		*file;		/* name used in messages */
	char			*err;
	size_t			 errlen;
	struct dnp3d_config	*cfg;
	const config_setting_t	**os_set;	/* setting of each outstation */
};

/*
 * Formats the error for setting s, or for its missing member `key` when
 * key is not NULL. Always returns -1.
 */
int	cfgp_error(struct cfgp *p, const config_setting_t *s, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

const char *cfgp_type_name(int type);

/*
 * Typed members of a group. Each returns 1 when the member was found and
 * stored, 0 when it is absent and not required (output untouched), -1 on
 * an error (absent but required, wrong type, out of range, too long).
 */
int	cfgp_int(struct cfgp *p, const config_setting_t *group,
	    const char *key, long long min, long long max, int required,
	    long long *out);
int	cfgp_double(struct cfgp *p, const config_setting_t *group,
	    const char *key, double min, double *out);
int	cfgp_bool(struct cfgp *p, const config_setting_t *group,
	    const char *key, bool *out);
int	cfgp_string(struct cfgp *p, const config_setting_t *group,
	    const char *key, int required, char *buf, size_t size);
/* A string that is a list or array element. */
int	cfgp_string_elem(struct cfgp *p, const config_setting_t *s,
	    char *buf, size_t size);
/* A group member; *out is NULL when absent. */
int	cfgp_group(struct cfgp *p, const config_setting_t *group,
	    const char *key, config_setting_t **out);
/* One of names[] (NULL-ended); *out is the index. */
int	cfgp_enum(struct cfgp *p, const config_setting_t *group,
	    const char *key, const char *const names[], int *out);

/*
 * Reading the keys of config/keys.h: cfgp_walk() reads every key of one
 * scope from its group, in the table's order, and refuses members that
 * are not keys. A key with a hook is read by the hook instead (the code
 * for what is not a plain scalar, or a rule to apply after the read);
 * the hook may call cfgp_read_key() for the plain read.
 */
struct cfgp_walk;
struct cfgp_hook {
	const char	*path;		/* as in config_keys[]; NULL ends */
	int		(*read)(struct cfgp *p, const config_setting_t *group,
			    const char *key, struct cfgp_walk *w);
};
struct cfgp_walk {
	const struct cfgp_hook	 *hooks;
	struct outstation_config *oc;	/* where the keys' fields are */
	const struct config_key	 *key;	/* the key being read */
	int			  type;	/* its point type, if per type */
	void			 *ctx;	/* the hooks' own */
};
int	cfgp_walk(struct cfgp *p, const config_setting_t *group,
	    enum config_scope scope, struct cfgp_walk *w);
int	cfgp_read_key(struct cfgp *p, const config_setting_t *group,
	    const char *key, struct cfgp_walk *w);
/* Fails on a member of group that is no key of the scope. */
int	cfgp_scope_keys(struct cfgp *p, const config_setting_t *group,
	    enum config_scope scope);

/* The parts that are code: servers, one outstation, its filter. */
int	cfgp_servers(struct cfgp *p, const config_setting_t *root);
int	cfgp_filter(struct cfgp *p, const config_setting_t *os,
	    struct addr_filter *f);
int	cfgp_outstation(struct cfgp *p, const config_setting_t *s,
	    struct outstation_config *oc);

/*
 * A look at the text before libconfig reads it: an integer literal that
 * libconfig 1.5 would wrap silently (more than 32 bits, no L suffix), or
 * a directive such as @include. For a literal, key is the setting name
 * written before it; lit is the literal or the directive.
 */
enum { SCAN_OK, SCAN_WRAPPED_INT, SCAN_DIRECTIVE };
struct cfg_scan {
	int		kind;
	unsigned int	line;
	char		lit[48];
	char		key[64];
};
int	config_scan_text(const char *text, struct cfg_scan *r);
/* Fails naming the setting that holds a wrapped literal, if any. */
int	cfgp_wrapped_int(struct cfgp *p, const config_setting_t *root,
	    const struct cfg_scan *r);

/* The TLS keys (config_tls.c). */
int	cfgp_tls_server_path(struct cfgp *p, const config_setting_t *group,
	    const char *key, struct cfgp_walk *w);
int	cfgp_tls_outstation_path(struct cfgp *p,
	    const config_setting_t *group, const char *key,
	    struct cfgp_walk *w);
int	cfgp_tls_master_name(struct cfgp *p, const config_setting_t *group,
	    const char *key, struct cfgp_walk *w);

extern const char config_embedded_default[];
void	config_default_mark_demo(struct dnp3d_config *cfg);

#endif
