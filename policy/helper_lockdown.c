/*
 * The lockdown of a helper (the classifier, a relay): a worker's
 * (worker_lockdown.c), chrooted to <runtime_dir>/empty.
 */
#include <stdio.h>

#include "common/config.h"
#include "policy/policy.h"

int
policy_lockdown_helper(const char *user, const char *runtime_dir,
    unsigned max_fds, int kind, char *err, size_t errlen)
{
	char dir[CFG_PATH_MAX + sizeof(POLICY_EMPTY_DIR) + 1];
	struct policy_worker pw = {
		.user = user,
		.chroot_dir = dir,
		.max_fds = max_fds,
		.kind = kind,
	};

	snprintf(dir, sizeof(dir), "%s/%s", runtime_dir, POLICY_EMPTY_DIR);
	return policy_lockdown_worker(&pw, err, errlen);
}
