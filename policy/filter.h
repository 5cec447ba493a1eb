#ifndef DNP3D_POLICY_FILTER_H
#define DNP3D_POLICY_FILTER_H

/*
 * The worker's seccomp allowlist as a libseccomp context, built but not
 * loaded: policy_lockdown_worker() loads it; tests export it for other
 * architectures. Callers include <seccomp.h> themselves.
 */
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Build the allowlist for the native architecture and, when extra_arch is
 * not 0, also for that SCMP_ARCH_* value. kill/tgkill are allowed only for
 * self_pid. Returns NULL with a reason in err on failure; free the context
 * with seccomp_release().
 */
scmp_filter_ctx	policy_worker_filter(uint32_t extra_arch, pid_t self_pid,
		    char *err, size_t errlen);

/* Load ctx into the kernel for every thread of the process (TSYNC). */
int		policy_filter_load(scmp_filter_ctx ctx, char *err,
		    size_t errlen);

/* The default action: SCMP_ACT_KILL_PROCESS, or SCMP_ACT_LOG when built
 * with DNP3D_SECCOMP_LOG_ONLY (sanitizer builds only). */
uint32_t	policy_filter_default_action(void);

#endif
