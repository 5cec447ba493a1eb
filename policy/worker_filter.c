/*
 * The worker's seccomp allowlist. The worker is one thread with the
 * descriptors it needs made before the lockdown (channel, bus socket) or
 * handed to it (masters' sockets): it creates no socket, thread or
 * process, and sets no socket option. Anything not listed here ends the
 * whole process (SCMP_ACT_KILL_PROCESS). SECURITY.md explains why each
 * call is here; keep the two in step.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "policy/seccomp_filter.h"
#include "policy/internal.h"

#if defined(DNP3D_SECCOMP_LOG_ONLY)
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POLICY_SANITIZER_BUILD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define POLICY_SANITIZER_BUILD 1
#endif
#if !defined(POLICY_SANITIZER_BUILD)
#error "DNP3D_SECCOMP_LOG_ONLY is for sanitizer builds only"
#endif
#endif

/* Allowed without looking at arguments. */
static const char *const allow_plain[] = {
	/* the master's socket (OpenSSL's record layer too), the channel,
	   the bus, the log; recvmsg brings masters' sockets (SCM_RIGHTS) */
	"read", "write", "recvmsg", "recvfrom", "close",
	/* ends a master's connection: the listener holds a copy of the
	   socket (it outlives a worker that dies), so close alone would not */
	"shutdown",
	/* glibc's fatal messages (heap corruption, fortify) before abort() */
	"writev",
	/* the event loop; glibc's poll() is ppoll on aarch64 */
	"poll", "ppoll",
	/* a poll() stopped by SIGSTOP goes on after SIGCONT */
	"restart_syscall",
	/* the vDSO's fallbacks, when the clock source is not readable
	   from user space */
	"clock_gettime", "gettimeofday",
	/* getpid for every log line, gettid for abort() */
	"getpid", "gettid",
	/* malloc; madvise with the glibc.malloc.hugetlb tunable */
	"brk", "munmap", "mremap", "madvise",
	/* abort() unblocks SIGABRT and blocks the rest around tgkill */
	"rt_sigprocmask",
	/* OpenSSL reseeds its random generators */
	"getrandom",
	"exit_group",
};

/* fcntl(F_SETFL) without O_ASYNC, F_GETFL: O_NONBLOCK on each master's
   socket. F_SETOWN, F_SETSIG, F_SETLEASE, F_NOTIFY (signals to other
   processes), F_DUPFD and the rest end the process. */
static int
add_fcntl(scmp_filter_ctx ctx, char *err, size_t errlen)
{
	struct scmp_arg_cmp c[2];

	c[0] = policy_filter_arg(1, SCMP_CMP_EQ, F_GETFL, 0);
	if (policy_filter_rule(ctx, SCMP_ACT_ALLOW, "fcntl", 1, c, err,
	    errlen) == -1)
		return -1;
	c[0] = policy_filter_arg(1, SCMP_CMP_EQ, F_SETFL, 0);
	c[1] = policy_filter_arg(2, SCMP_CMP_MASKED_EQ, O_ASYNC, 0);
	return policy_filter_rule(ctx, SCMP_ACT_ALLOW, "fcntl", 2, c, err,
	    errlen);
}

/* Calls allowed only with some arguments. */
static int
add_filtered(scmp_filter_ctx ctx, pid_t self, char *err, size_t errlen)
{
	/* No executable memory after lockdown: prot & PROT_EXEC == 0. */
	struct scmp_arg_cmp noexec = policy_filter_arg(2, SCMP_CMP_MASKED_EQ,
	    PROT_EXEC, 0);
	/* send() without MSG_FASTOPEN, which would connect a socket. */
	struct scmp_arg_cmp nofastopen = policy_filter_arg(3,
	    SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, 0);
	/* abort(): a signal to this process only. */
	struct scmp_arg_cmp to_self = policy_filter_arg(0, SCMP_CMP_EQ,
	    (scmp_datum_t)self, 0);
	/* glibc's pthread_once wakes waiters when a routine has run (OpenSSL
	   runs some at exit); a waiter could only be a thread of our own. */
	struct scmp_arg_cmp wake = policy_filter_arg(1, SCMP_CMP_EQ,
	    FUTEX_WAKE_PRIVATE, 0);

	if (policy_filter_rule(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec, err,
	    errlen) == -1 ||
	    policy_filter_rule(ctx, SCMP_ACT_ALLOW, "sendto", 1, &nofastopen,
	    err, errlen) == -1 ||
	    policy_filter_rule(ctx, SCMP_ACT_ALLOW, "tgkill", 1, &to_self, err,
	    errlen) == -1 ||
	    policy_filter_rule(ctx, SCMP_ACT_ALLOW, "futex", 1, &wake, err,
	    errlen) == -1)
		return -1;
	return add_fcntl(ctx, err, errlen);
}

uint32_t
policy_filter_default_action(void)
{
#if defined(DNP3D_SECCOMP_LOG_ONLY)
	return SCMP_ACT_LOG;
#else
	return SCMP_ACT_KILL_PROCESS;
#endif
}

scmp_filter_ctx
policy_worker_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx = policy_filter_new_allowing(extra_arch,
	    allow_plain, sizeof(allow_plain) / sizeof(allow_plain[0]), err,
	    errlen);

	if (ctx != NULL && add_filtered(ctx, self, err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
