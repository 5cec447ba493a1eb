/*
 * The link address classifier's seccomp allowlist (dnp3d-classify,
 * SECURITY.md explains each entry). It is one thread; its channel
 * (descriptor 3) and answer pipe (4) exist before the lockdown; it
 * receives masters' sockets on the channel, peeks at them and closes
 * them. The descriptor numbers are fixed, and it can close none up to 4
 * nor make new ones below: so it can write only to stderr and the pipe,
 * receive only on the channel, and never consume or send a byte of a
 * master's connection. Anything else ends the process.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "policy/policy.h"
#include "policy/seccomp_filter.h"
#include "policy/internal.h"

static const char *const classify_plain[] = {
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
	    /* records and descriptors from the listener */
	    allow_if(ctx, "recvmsg", 0, SCMP_CMP_EQ, POLICY_CLASSIFY_CHAN_FD, err,
	    errlen) == -1 ||
	    /* recv(MSG_PEEK | MSG_DONTWAIT): nothing is ever consumed */
	    allow_if(ctx, "recvfrom", 3, SCMP_CMP_EQ, MSG_PEEK | MSG_DONTWAIT,
	    err, errlen) == -1 ||
	    /* answers (chan_send() tries send(), ENOTSOCK, then write) */
	    allow_if(ctx, "sendto", 0, SCMP_CMP_EQ, POLICY_CLASSIFY_OUT_FD, err,
	    errlen) == -1 ||
	    allow_if(ctx, "write", 0, SCMP_CMP_EQ, POLICY_CLASSIFY_OUT_FD, err,
	    errlen) == -1 ||
	    /* log lines; glibc's fatal messages */
	    allow_if(ctx, "write", 0, SCMP_CMP_EQ, STDERR_FILENO, err,
	    errlen) == -1 ||
	    allow_if(ctx, "writev", 0, SCMP_CMP_EQ, STDERR_FILENO, err,
	    errlen) == -1)
		return -1;
	/* its copies of the masters' sockets, never the fixed ones */
	return allow_if(ctx, "close", 0, SCMP_CMP_GT, POLICY_CLASSIFY_OUT_FD, err,
	    errlen);
}

scmp_filter_ctx
policy_classify_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx = policy_filter_new_allowing(extra_arch,
	    classify_plain, sizeof(classify_plain) / sizeof(classify_plain[0]),
	    err, errlen);

	if (ctx != NULL && add_filtered(ctx, self, err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
