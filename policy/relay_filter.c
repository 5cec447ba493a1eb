/*
 * A multi-drop relay's seccomp allowlist (dnp3d-relay, SECURITY.md
 * explains each entry): a helper's (helper_filter.c), and read and write
 * on the descriptors above the fixed ones: the master's socket and the
 * links to the workers. It can make no descriptor, send none, set no
 * socket option and shut no socket down. Anything else ends the process.
 */
#include "policy/policy.h"
#include "policy/seccomp_filter.h"
#include "policy/internal.h"

scmp_filter_ctx
policy_relay_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx = policy_helper_filter(extra_arch, self, err,
	    errlen);

	if (ctx != NULL && (policy_filter_allow_if(ctx, "read", 0,
	    SCMP_CMP_GT, POLICY_RELAY_OUT_FD, err, errlen) == -1 ||
	    policy_filter_allow_if(ctx, "write", 0, SCMP_CMP_GT,
	    POLICY_RELAY_OUT_FD, err, errlen) == -1)) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
