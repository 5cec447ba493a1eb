#ifndef DNP3D_CONFIG_CHECK_H
#define DNP3D_CONFIG_CHECK_H

/*
 * What a valid configuration is, for both processes: the rules the
 * listener's loader applies while it reads a file, and the re-check of a
 * struct outstation_config that a worker receives as raw bytes from
 * another process (strings terminated inside their arrays, every key of
 * config/keys.h in its range, the rules that span fields).
 */
#include <stdbool.h>
#include <stddef.h>

#include "common/config.h"

/* 0, or -1 with err filled ("timeouts_ms: out of range"). */
int	outstation_config_check(const struct outstation_config *oc,
	    char *err, size_t errlen);

/*
 * An outstation name [A-Za-z0-9_-]{1,32}; a user name [A-Za-z0-9._-]{1,32}
 * not starting with '-'; an absolute path with no ".." component; a
 * type with a deadband. (Variations: point_variation_valid() of the core.)
 */
bool	config_name_valid(const char *name);
bool	config_user_valid(const char *user);
bool	config_path_valid(const char *path);
/* master_name: a DNS name, no wildcard. */
bool	config_host_valid(const char *name);
bool	config_has_deadband(enum point_type type);

#endif
