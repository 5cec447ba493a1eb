#ifndef DNP3D_LISTENER_CONFIG_H
#define DNP3D_LISTENER_CONFIG_H

/*
 * Loading and checking the configuration (format: CONFIG.md).
 *
 * config_load() parses a libconfig file, or the embedded default when path
 * is NULL, into *cfg and checks everything: on failure it returns -1, fills
 * err with one line "FILE:LINE: KEY: what is wrong" and leaves *cfg empty
 * (config_free() is still safe to call). On success it returns 0 and *cfg
 * holds heap arrays that config_free() releases.
 *
 * outstation_config_check() is for the worker: it validates one
 * outstation_config that arrived as raw bytes (strings terminated inside
 * their arrays, enums and ranges) and returns 0, or -1 with err filled.
 */
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"

#define CFG_EMBEDDED_NAME	"(embedded default)"

/* Ranges that the loader and outstation_config_check() share. */
#define CFG_LINK_ADDR_MAX	65519	/* 0xfff0 and up are reserved */
#define CFG_CLASS_MAX		3
#define CFG_POINTS_MAX		65535	/* points of one type */
#define CFG_EVENTS_MAX		65535	/* event buffer of one type */
#define CFG_FRAG_MIN		249
#define CFG_FRAG_MAX		65535
#define CFG_TIMEOUT_MAX		86400000	/* one day, in ms */

int	config_load(const char *path, struct dnp3d_config *cfg,
	    char *err, size_t errlen);
void	config_free(struct dnp3d_config *cfg);

int	outstation_config_check(const struct outstation_config *oc,
	    char *err, size_t errlen);

/*
 * The runtime directory used without -c: "/run/dnp3d" as root, otherwise
 * "$XDG_RUNTIME_DIR/dnp3d" (when set, absolute and short enough for the
 * bus socket). Returns 0, or -1 when there is none (never a guessable
 * name under /tmp: see SECURITY.md, "The runtime directory").
 */
int	config_default_runtime_dir(char *buf, size_t len);

/*
 * Shared checks: an outstation name [A-Za-z0-9_-]{1,32}; a user name
 * [A-Za-z0-9._-]{1,32} not starting with '-'; an absolute path with no
 * ".." component; a variation valid for the type (0 = its default).
 */
bool	config_name_valid(const char *name);
bool	config_user_valid(const char *user);
bool	config_path_valid(const char *path);
bool	config_variation_valid(enum point_type type, bool event,
	    unsigned int variation);

#endif
