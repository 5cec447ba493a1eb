/*
 * Putting a built filter into the kernel, for every process kind's
 * lockdown: every thread filtered (TSYNC), and the mode noted for the
 * "locked down" line.
 */
#include <seccomp.h>
#include <string.h>

#include "common/log.h"
#include "policy/internal.h"
#include "policy/seccomp_filter.h"

int
policy_filter_load(scmp_filter_ctx ctx, char *err, size_t errlen)
{
	int rc;

	/* The hub's nanomsg threads exist already: filter every thread. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0)
		return policy_err(err, errlen, "seccomp TSYNC: %s",
		    strerror(-rc));
	if ((rc = seccomp_load(ctx)) < 0)
		return policy_err(err, errlen, "seccomp_load: %s",
		    strerror(-rc));
	return 0;
}

int
policy_filter_install(scmp_filter_ctx ctx, char *err, size_t errlen)
{
	int rc;

	if (ctx == NULL)
		return -1;	/* err filled by whoever built it */
	rc = policy_filter_load(ctx, err, errlen);
	seccomp_release(ctx);
	if (rc == -1)
		return -1;
#if defined(DNP3D_SECCOMP_LOG_ONLY)
	log_warnx("SECCOMP IS LOG-ONLY (sanitizer build): forbidden calls "
	    "are logged by the kernel, not stopped. Never ship this build.");
	policy_note("seccomp LOG-ONLY (sanitizer build)");
#else
	policy_note("seccomp kill-process");
#endif
	return 0;
}
