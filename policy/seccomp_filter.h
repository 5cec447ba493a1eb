#ifndef DNP3D_POLICY_SECCOMP_FILTER_H
#define DNP3D_POLICY_SECCOMP_FILTER_H

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

/* The hub's allowlist (hub_filter.c), with the same arguments. */
scmp_filter_ctx	policy_hub_filter(uint32_t extra_arch, pid_t self_pid,
		    char *err, size_t errlen);

/* The link address classifier's (classify_filter.c), the same way. */
scmp_filter_ctx	policy_classify_filter(uint32_t extra_arch, pid_t self_pid,
		    char *err, size_t errlen);

/* A multi-drop relay's (relay_filter.c), the same way. */
scmp_filter_ctx	policy_relay_filter(uint32_t extra_arch, pid_t self_pid,
		    char *err, size_t errlen);
/* What those two share (helper_filter.c): the base they add to. */
scmp_filter_ctx	policy_helper_filter(uint32_t extra_arch, pid_t self_pid,
		    char *err, size_t errlen);
/* One rule: call allowed when argument arg compares (op) with a. */
int		policy_filter_allow_if(scmp_filter_ctx ctx, const char *call,
		    unsigned arg, enum scmp_compare op, scmp_datum_t a,
		    char *err, size_t errlen);

/* filter_rule.c: a context with the default and bad-arch actions (and
   extra_arch when not 0); one rule by call name; one comparison. */
scmp_filter_ctx	policy_filter_new(uint32_t extra_arch, char *err,
		    size_t errlen);
/* policy_filter_new() with the n calls of names allowed whatever their
   arguments. */
scmp_filter_ctx	policy_filter_new_allowing(uint32_t extra_arch,
		    const char *const *names, size_t n, char *err,
		    size_t errlen);
int		policy_filter_rule(scmp_filter_ctx ctx, uint32_t action,
		    const char *name, unsigned argc,
		    const struct scmp_arg_cmp *args, char *err, size_t errlen);
struct scmp_arg_cmp policy_filter_arg(unsigned int arg, enum scmp_compare op,
		    scmp_datum_t a, scmp_datum_t b);

/* Load ctx into the kernel for every thread of the process (TSYNC). */
int		policy_filter_load(scmp_filter_ctx ctx, char *err,
		    size_t errlen);
/* Loads ctx (as policy_filter_load), releases it and notes the mode
   for the "locked down" line; ctx NULL (building it failed, err says
   why) gives -1. */
int		policy_filter_install(scmp_filter_ctx ctx, char *err,
		    size_t errlen);

/* The default action: SCMP_ACT_KILL_PROCESS, or SCMP_ACT_LOG when built
 * with DNP3D_SECCOMP_LOG_ONLY (sanitizer builds only). */
uint32_t	policy_filter_default_action(void);

#endif
