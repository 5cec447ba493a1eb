#ifndef DNP3D_LISTENER_CONFIG_LOAD_H
#define DNP3D_LISTENER_CONFIG_LOAD_H

/*
 * Loading the configuration file (format: dnp3d.conf(5)).
 *
 * config_load() parses a libconfig file, or the embedded default when path
 * is NULL, into *cfg and checks everything: on failure it returns -1, fills
 * err with one line "FILE:LINE: KEY: what is wrong" and leaves *cfg empty
 * (config_free() is still safe to call). On success it returns 0 and *cfg
 * holds heap arrays that config_free() releases.
 *
 * The keys themselves, and the check a worker repeats on what it
 * receives, are in config/ (shared with the worker).
 */
#include <stddef.h>

#include "common/config.h"

#define CFG_EMBEDDED_NAME	"(embedded default)"

int	config_load(const char *path, struct dnp3d_config *cfg,
	    char *err, size_t errlen);
void	config_free(struct dnp3d_config *cfg);

/*
 * The runtime directory used without -c: "/run/dnp3d" as root, otherwise
 * "$XDG_RUNTIME_DIR/dnp3d" (when set, absolute and short enough for the
 * bus socket). Returns 0, or -1 when there is none (never a guessable
 * name under /tmp: see SECURITY.md, "The runtime directory").
 */
int	config_default_runtime_dir(char *buf, size_t len);

#endif
