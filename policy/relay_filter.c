/*
 * A multi-drop relay's seccomp allowlist (dnp3d-relay, SECURITY.md
 * explains each entry). It is one thread; its channel (descriptor 3),
 * news pipe (4), the master's socket and its links to the workers exist
 * before the lockdown. Afterwards it reads and writes those sockets,
 * receives on the channel, writes its pipe and stderr, and closes them.
 * It can make no descriptor (so it can close none up to 4 and get no
 * other), set no socket option, and send no descriptor. Anything else
 * ends the process.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "policy/policy.h"
#include "policy/seccomp_filter.h"
#include "policy/internal.h"

static const char *const relay_plain[] = {
	/* its loop; glibc's poll() is ppoll on aarch64 */
	"poll", "ppoll", "restart_syscall",
	"clock_gettime", "gettimeofday",
	"getpid", "gettid",
	"brk", "munmap", "mremap", "madvise",
	"rt_sigprocmask",
	"exit_group",
};

/* One rule: call allowed when argument arg compares (op) with a. */
static int
allow_if(scmp_filter_ctx ctx, const char *call, unsigned arg,
    enum scmp_compare op, scmp_datum_t a, char *err, size_t errlen)
{
	struct scmp_arg_cmp c = policy_filter_arg(arg, op, a, 0);

	return policy_filter_rule(ctx, SCMP_ACT_ALLOW, call, 1, &c, err,
	    errlen);
}

/* The calls that name a descriptor or flags. */
static int
add_filtered(scmp_filter_ctx ctx, pid_t self, char *err, size_t errlen)
{
	struct scmp_arg_cmp noexec = policy_filter_arg(2, SCMP_CMP_MASKED_EQ,
	    PROT_EXEC, 0);

	if (policy_filter_rule(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec, err,
	    errlen) == -1 ||
	    /* abort() */
	    allow_if(ctx, "tgkill", 0, SCMP_CMP_EQ, (scmp_datum_t)self, err,
	    errlen) == -1 ||
	    /* records from the listener: after the lockdown only its end */
	    allow_if(ctx, "recvmsg", 0, SCMP_CMP_EQ, POLICY_RELAY_CHAN_FD, err,
	    errlen) == -1 ||
	    /* the master's socket and the links, above the fixed ones */
	    allow_if(ctx, "read", 0, SCMP_CMP_GT, POLICY_RELAY_OUT_FD, err,
	    errlen) == -1 ||
	    allow_if(ctx, "write", 0, SCMP_CMP_GT, POLICY_RELAY_OUT_FD, err,
	    errlen) == -1 ||
	    /* news (chan_send() tries send(), ENOTSOCK, then write) */
	    allow_if(ctx, "sendto", 0, SCMP_CMP_EQ, POLICY_RELAY_OUT_FD, err,
	    errlen) == -1 ||
	    allow_if(ctx, "write", 0, SCMP_CMP_EQ, POLICY_RELAY_OUT_FD, err,
	    errlen) == -1 ||
	    /* log lines; glibc's fatal messages */
	    allow_if(ctx, "write", 0, SCMP_CMP_EQ, STDERR_FILENO, err,
	    errlen) == -1 ||
	    allow_if(ctx, "writev", 0, SCMP_CMP_EQ, STDERR_FILENO, err,
	    errlen) == -1)
		return -1;
	/* the master's socket and the links, never the fixed ones */
	return allow_if(ctx, "close", 0, SCMP_CMP_GT, POLICY_RELAY_OUT_FD, err,
	    errlen);
}

scmp_filter_ctx
policy_relay_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx = policy_filter_new_allowing(extra_arch,
	    relay_plain, sizeof(relay_plain) / sizeof(relay_plain[0]), err,
	    errlen);

	if (ctx != NULL && add_filtered(ctx, self, err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
