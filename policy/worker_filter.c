/*
 * The worker's seccomp allowlist. Anything not listed here ends the whole
 * process (SCMP_ACT_KILL_PROCESS: plain KILL would end only the thread,
 * and nanomsg's thread blocks all signals). SECURITY.md explains why each
 * call is here; keep the two in step.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
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
	/* I/O on descriptors the worker already holds or creates below
	   (sendmsg and sendto are filtered below) */
	"read", "write", "readv", "writev", "recvmsg", "recvfrom", "close",
	"shutdown", "lseek", "getsockopt", "getsockname", "getpeername",
	/* stdio asks what stdout/stderr are */
	"fstat", "newfstatat", "statx",
	/* the event loop and its timers */
	"poll", "ppoll", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "epoll_pwait2", "timerfd_create", "timerfd_settime",
	"timerfd_gettime", "eventfd2", "pipe2",
	/* time */
	"clock_gettime", "clock_getres", "gettimeofday", "clock_nanosleep",
	"nanosleep", "restart_syscall",
	/* threads, locks, identity; glibc registers rseq in every new
	 * thread and aborts if that fails once the main thread has it */
	"futex", "sched_yield", "getpid", "gettid", "set_robust_list",
	"rseq",
	/* memory (mmap/mprotect are filtered below) */
	"brk", "munmap", "madvise", "mremap",
	/* signals */
	"rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
	"getrandom", "exit", "exit_group",
};

/*
 * glibc tries clone3 first and falls back to clone on ENOSYS. (rseq is
 * allowed above, not ENOSYS: the filter comes after glibc registered rseq
 * for the main thread, and glibc aborts a thread whose registration then
 * fails -- seen with nanomsg's thread starting late.)
 */
static const char *const enosys[] = { "clone3" };

static int
add_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
    unsigned argc, const struct scmp_arg_cmp *args, char *err, size_t errlen)
{
	int nr, rc;

	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
		return policy_err(err, errlen, "seccomp: unknown call %s",
		    name);
	rc = seccomp_rule_add_array(ctx, action, nr, argc, args);
	if (rc < 0)
		return policy_err(err, errlen, "seccomp: rule for %s: %s",
		    name, strerror(-rc));
	return 0;
}

/* One argument comparison, every field named (clang checks). */
static struct scmp_arg_cmp
arg_cmp(unsigned int arg, enum scmp_compare op, scmp_datum_t a,
    scmp_datum_t b)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = op, .datum_a = a,
	    .datum_b = b };

	return c;
}

/*
 * setsockopt(level, option) pairs. The worker itself sets none: the
 * master's socket comes configured from the listener. What is not here
 * ends the process: SO_LINGER above all (a lingering close would block
 * whoever drops the socket's last reference, see SECURITY.md), and
 * SO_ATTACH_FILTER/SO_ATTACH_BPF.
 */
struct sockopt {
	int level, name;
};

/* nanomsg's ipc:// connect (cipc.c) sizes its socket's buffers. This list
   goes when nanomsg leaves the worker. */
static const struct sockopt sockopt_nanomsg[] = {
	{ SOL_SOCKET, SO_SNDBUF },
	{ SOL_SOCKET, SO_RCVBUF },
};

/* fcntl commands: O_NONBLOCK (worker, nanomsg) and FD_CLOEXEC (nanomsg).
   F_SETFL is added below without O_ASYNC; F_SETOWN, F_SETSIG, F_SETLEASE,
   F_NOTIFY (signals to other processes) and the rest end the process. */
static const int fcntl_cmds[] = { F_GETFD, F_SETFD, F_GETFL };

static int
add_sockopts(scmp_filter_ctx ctx, const struct sockopt *o, size_t n,
    char *err, size_t errlen)
{
	struct scmp_arg_cmp c[2];

	for (size_t i = 0; i < n; i++) {
		c[0] = arg_cmp(1, SCMP_CMP_EQ, (scmp_datum_t)o[i].level, 0);
		c[1] = arg_cmp(2, SCMP_CMP_EQ, (scmp_datum_t)o[i].name, 0);
		if (add_rule(ctx, SCMP_ACT_ALLOW, "setsockopt", 2, c, err,
		    errlen) == -1)
			return -1;
	}
	return 0;
}

/* fcntl, and sends without MSG_FASTOPEN (which would connect). */
static int
add_fd_calls(scmp_filter_ctx ctx, char *err, size_t errlen)
{
	struct scmp_arg_cmp c[2];
	size_t i;

	for (i = 0; i < sizeof(fcntl_cmds) / sizeof(fcntl_cmds[0]); i++) {
		c[0] = arg_cmp(1, SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i], 0);
		if (add_rule(ctx, SCMP_ACT_ALLOW, "fcntl", 1, c, err,
		    errlen) == -1)
			return -1;
	}
	c[0] = arg_cmp(1, SCMP_CMP_EQ, F_SETFL, 0);
	c[1] = arg_cmp(2, SCMP_CMP_MASKED_EQ, O_ASYNC, 0);
	if (add_rule(ctx, SCMP_ACT_ALLOW, "fcntl", 2, c, err, errlen) == -1)
		return -1;
	c[0] = arg_cmp(2, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, 0);
	if (add_rule(ctx, SCMP_ACT_ALLOW, "sendmsg", 1, c, err,
	    errlen) == -1)
		return -1;
	c[0] = arg_cmp(3, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, 0);
	return add_rule(ctx, SCMP_ACT_ALLOW, "sendto", 1, c, err, errlen);
}

/* Calls allowed only with some arguments. */
static int
add_filtered(scmp_filter_ctx ctx, pid_t self, char *err, size_t errlen)
{
	/* No executable memory after lockdown: prot & PROT_EXEC == 0. */
	struct scmp_arg_cmp noexec = arg_cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC,
	    0);
	/* nanomsg's ipc:// reconnect must see a failure, not die; any
	   other family ends the process. No connect() at all. */
	struct scmp_arg_cmp unix_only = arg_cmp(0, SCMP_CMP_EQ, AF_UNIX, 0);
	/* Signals to ourselves only (abort(), raise()). */
	struct scmp_arg_cmp to_self = arg_cmp(0, SCMP_CMP_EQ,
	    (scmp_datum_t)self, 0);
	/* Threads only, never a new process. */
	struct scmp_arg_cmp thread = arg_cmp(0, SCMP_CMP_MASKED_EQ,
	    CLONE_THREAD, CLONE_THREAD);

	if (add_rule(ctx, SCMP_ACT_ALLOW, "mmap", 1, &noexec, err,
	    errlen) == -1 ||
	    add_rule(ctx, SCMP_ACT_ALLOW, "mprotect", 1, &noexec, err,
	    errlen) == -1 ||
	    add_rule(ctx, SCMP_ACT_ERRNO(EPERM), "socket", 1, &unix_only, err,
	    errlen) == -1 ||
	    add_rule(ctx, SCMP_ACT_ALLOW, "kill", 1, &to_self, err,
	    errlen) == -1 ||
	    add_rule(ctx, SCMP_ACT_ALLOW, "tgkill", 1, &to_self, err,
	    errlen) == -1 ||
	    add_rule(ctx, SCMP_ACT_ALLOW, "clone", 1, &thread, err,
	    errlen) == -1 ||
	    add_fd_calls(ctx, err, errlen) == -1 ||
	    add_sockopts(ctx, sockopt_nanomsg, sizeof(sockopt_nanomsg) /
	    sizeof(sockopt_nanomsg[0]), err, errlen) == -1)
		return -1;
	return 0;
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
	scmp_filter_ctx ctx;
	size_t i;
	int rc;

	if ((ctx = seccomp_init(policy_filter_default_action())) == NULL) {
		policy_err(err, errlen, "seccomp_init failed");
		return NULL;
	}
	/* A call through another ABI (i386, x32) ends the process too. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS);
	if (rc == 0 && extra_arch != 0)
		rc = seccomp_arch_add(ctx, extra_arch);
	if (rc < 0) {
		policy_err(err, errlen, "seccomp: %s", strerror(-rc));
		goto fail;
	}
	for (i = 0; i < sizeof(allow_plain) / sizeof(allow_plain[0]); i++)
		if (add_rule(ctx, SCMP_ACT_ALLOW, allow_plain[i], 0, NULL,
		    err, errlen) == -1)
			goto fail;
	for (i = 0; i < sizeof(enosys) / sizeof(enosys[0]); i++)
		if (add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), enosys[i], 0, NULL,
		    err, errlen) == -1)
			goto fail;
	if (add_filtered(ctx, self, err, errlen) == -1)
		goto fail;
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}

int
policy_filter_load(scmp_filter_ctx ctx, char *err, size_t errlen)
{
	int rc;

	/* nanomsg's thread exists already: filter every thread at once. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0)
		return policy_err(err, errlen, "seccomp TSYNC: %s",
		    strerror(-rc));
	if ((rc = seccomp_load(ctx)) < 0)
		return policy_err(err, errlen, "seccomp_load: %s",
		    strerror(-rc));
	return 0;
}
