/*
 * The single place where the worker gives up its privileges: after it has
 * its configuration (and, later, has joined the bus), before it touches a
 * master's socket. policy/ does the work (chroot to <runtime_dir>/empty,
 * which the listener prepared, user, capabilities, no_new_privs, rlimits,
 * seccomp); a failure ends the worker, and the listener restarts it.
 */
#include <stdio.h>

#include "common/log.h"
#include "policy/policy.h"
#include "worker/worker.h"

void
worker_lockdown(const struct worker *w)
{
	char dir[CFG_PATH_MAX + sizeof(POLICY_EMPTY_DIR) + 1], err[256];
	struct policy_worker pw = {
		.user = w->cfg.user,
		.chroot_dir = dir,
		.max_fds = 0,		/* POLICY_WORKER_NOFILE */
	};
	int n;

	n = snprintf(dir, sizeof(dir), "%s/%s", w->cfg.runtime_dir,
	    POLICY_EMPTY_DIR);
	if (n < 0 || (size_t)n >= sizeof(dir))
		fatalx("lockdown: runtime directory name too long");
	if (policy_lockdown_worker(&pw, err, sizeof(err)) == -1)
		fatalx("lockdown: %s", err);
}
