/*
 * What the one-thread helpers that read masters' sockets for the listener
 * (the link address classifier, classify_filter.c; a multi-drop relay,
 * relay_filter.c) share in their allowlists. Their channel (descriptor
 * 3) and news pipe (4) are fixed: they receive records and sockets only
 * on 3, write records only on 4 and log lines only on 2, and close only
 * descriptors above 4, so no socket can take the number of the channel,
 * the pipe or stdio. They make no descriptor. SECURITY.md explains each
 * entry.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "policy/policy.h"
#include "policy/seccomp_filter.h"
#include "policy/internal.h"

static const char *const helper_plain[] = {
	/* a poll loop; glibc's poll() is ppoll on aarch64 */
	"poll", "ppoll", "restart_syscall",
	"clock_gettime", "gettimeofday",
	"getpid", "gettid",
	"brk", "munmap", "mremap", "madvise",
	"rt_sigprocmask",
	"exit_group",
};

int
policy_filter_allow_if(scmp_filter_ctx ctx, const char *call, unsigned arg,
    enum scmp_compare op, scmp_datum_t a, char *err, size_t errlen)
{
	struct scmp_arg_cmp c = policy_filter_arg(arg, op, a, 0);

	return policy_filter_rule(ctx, SCMP_ACT_ALLOW, call, 1, &c, err,
	    errlen);
}

static int
add_helper(scmp_filter_ctx ctx, pid_t self, char *err, size_t errlen)
{
	struct scmp_arg_cmp noexec = policy_filter_arg(2, SCMP_CMP_MASKED_EQ,
	    PROT_EXEC, 0);

	if (policy_filter_rule(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec, err,
	    errlen) == -1 ||
	    /* abort() */
	    policy_filter_allow_if(ctx, "tgkill", 0, SCMP_CMP_EQ,
	    (scmp_datum_t)self, err, errlen) == -1 ||
	    /* records and descriptors from the listener */
	    policy_filter_allow_if(ctx, "recvmsg", 0, SCMP_CMP_EQ,
	    POLICY_HELPER_CHAN_FD, err, errlen) == -1 ||
	    /* records to it (chan_send() tries send(), ENOTSOCK, then
	       write) */
	    policy_filter_allow_if(ctx, "sendto", 0, SCMP_CMP_EQ,
	    POLICY_HELPER_OUT_FD, err, errlen) == -1 ||
	    policy_filter_allow_if(ctx, "write", 0, SCMP_CMP_EQ,
	    POLICY_HELPER_OUT_FD, err, errlen) == -1 ||
	    /* log lines; glibc's fatal messages */
	    policy_filter_allow_if(ctx, "write", 0, SCMP_CMP_EQ,
	    STDERR_FILENO, err, errlen) == -1 ||
	    policy_filter_allow_if(ctx, "writev", 0, SCMP_CMP_EQ,
	    STDERR_FILENO, err, errlen) == -1)
		return -1;
	/* masters' sockets (and links), never the fixed descriptors */
	return policy_filter_allow_if(ctx, "close", 0, SCMP_CMP_GT,
	    POLICY_HELPER_OUT_FD, err, errlen);
}

scmp_filter_ctx
policy_helper_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx = policy_filter_new_allowing(extra_arch,
	    helper_plain, sizeof(helper_plain) / sizeof(helper_plain[0]), err,
	    errlen);

	if (ctx != NULL && add_helper(ctx, self, err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
