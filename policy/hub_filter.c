/*
 * The hub's seccomp allowlist (dnp3d-hub, SECURITY.md explains each
 * entry). The hub's sockets are all made before the lockdown: the bound
 * bus endpoints (nanomsg accepts clients on them), the channel, and the
 * socketpairs the listener passes. So, unlike the worker before it lost
 * nanomsg, it may not create a socket, connect, bind, or start a thread:
 * nanomsg's threads exist already. Anything else ends the process.
 */
#include <signal.h>
#include <sys/mman.h>

#include "policy/seccomp_filter.h"
#include "policy/internal.h"

static const char *const hub_plain[] = {
	/* I/O on its descriptors; SCM_RIGHTS brings workers' sockets */
	"read", "write", "readv", "writev", "recvmsg", "sendmsg",
	"recvfrom", "sendto", "close", "shutdown",
	/* nanomsg: clients joining the bound endpoints */
	"accept", "accept4", "getsockopt", "setsockopt", "getsockname",
	"getpeername", "fcntl",
	/* stdio asks what stdout/stderr are */
	"fstat", "newfstatat", "statx",
	/* the hub's loop and nanomsg's */
	"poll", "ppoll", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "epoll_pwait2", "eventfd2",
	/* time */
	"clock_gettime", "clock_getres", "gettimeofday", "clock_nanosleep",
	"nanosleep", "restart_syscall",
	/* locks between the hub and nanomsg's threads */
	"futex", "sched_yield", "getpid", "gettid", "set_robust_list", "rseq",
	/* memory (mmap/mprotect below) */
	"brk", "munmap", "madvise", "mremap",
	"rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
	"getrandom", "exit", "exit_group",
};

scmp_filter_ctx
policy_hub_filter(uint32_t extra_arch, pid_t self, char *err, size_t errlen)
{
	struct scmp_arg_cmp noexec = policy_filter_arg(2, SCMP_CMP_MASKED_EQ,
	    PROT_EXEC, 0);
	struct scmp_arg_cmp to_self = policy_filter_arg(0, SCMP_CMP_EQ,
	    (scmp_datum_t)self, 0);
	scmp_filter_ctx ctx = policy_filter_new_allowing(extra_arch,
	    hub_plain, sizeof(hub_plain) / sizeof(hub_plain[0]), err, errlen);

	if (ctx == NULL)
		return NULL;
	if (policy_filter_rule(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec, err,
	    errlen) == -1 || policy_filter_rule(ctx, SCMP_ACT_ALLOW,
	    "mprotect", 1, &noexec, err, errlen) == -1 ||
	    policy_filter_rule(ctx, SCMP_ACT_ALLOW, "kill", 1, &to_self, err,
	    errlen) == -1 || policy_filter_rule(ctx, SCMP_ACT_ALLOW, "tgkill",
	    1, &to_self, err, errlen) == -1)
		goto fail;
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}
