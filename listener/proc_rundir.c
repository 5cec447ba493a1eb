/*
 * The runtime directory: created by the listener at startup, with the
 * empty directory that workers chroot into (policy/policy.h).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "common/log.h"
#include "listener/proc.h"
#include "policy/policy.h"

int
proc_prepare_rundir(const struct dnp3d_config *cfg)
{
	char empty[CFG_PATH_MAX + sizeof(POLICY_EMPTY_DIR) + 1], err[256];
	int n;

	if (mkdir(cfg->runtime_dir, 0755) == -1 && errno != EEXIST) {
		log_warn("runtime directory %s", cfg->runtime_dir);
		return -1;
	}
	n = snprintf(empty, sizeof(empty), "%s/%s", cfg->runtime_dir,
	    POLICY_EMPTY_DIR);
	if (n < 0 || (size_t)n >= sizeof(empty)) {
		log_warnx("runtime directory %s: name too long",
		    cfg->runtime_dir);
		return -1;
	}
	if (policy_prepare_empty_dir(empty, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}
