/*
 * The link address classifier's seccomp allowlist (dnp3d-classify,
 * SECURITY.md explains each entry): a helper's (helper_filter.c) and
 * MSG_PEEK. It receives masters' sockets on the channel, peeks at them
 * and closes them: it can never consume or send a byte of a master's
 * connection. Anything else ends the process.
 */
#include <sys/socket.h>

#include "policy/policy.h"
#include "policy/seccomp_filter.h"
#include "policy/internal.h"

scmp_filter_ctx
policy_classify_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx = policy_helper_filter(extra_arch, self, err,
	    errlen);

	/* recv(MSG_PEEK | MSG_DONTWAIT): nothing is ever consumed */
	if (ctx != NULL && policy_filter_allow_if(ctx, "recvfrom", 3,
	    SCMP_CMP_EQ, MSG_PEEK | MSG_DONTWAIT, err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
