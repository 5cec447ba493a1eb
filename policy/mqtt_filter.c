/*
 * The seccomp allowlist of dnp3-mqtt. Like the worker's (worker_filter.c),
 * with what a network client needs on top: stream sockets of the three
 * families it uses (the bus over ipc:// or tcp://, the broker over IPv4
 * or IPv6) and connect. It can reach whatever address it connects to;
 * it can neither serve (no bind, listen, accept) nor open a file, exec,
 * or map executable memory. SECURITY.md lists why each call is here.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "policy/seccomp_filter.h"
#include "policy/internal.h"
#include "policy/mqtt.h"

static const char *const mqtt_plain[] = {
	/* I/O on its sockets, stdio, the log */
	"read", "write", "readv", "writev", "recvmsg", "recvfrom", "close",
	"shutdown", "getsockopt", "getsockname", "getpeername", "connect",
	"fstat", "newfstatat", "statx", "lseek",
	/* its loop and nanomsg's */
	"poll", "ppoll", "epoll_create1", "epoll_ctl", "epoll_wait",
	"epoll_pwait", "epoll_pwait2", "eventfd2", "pipe2",
	"clock_gettime", "clock_getres", "gettimeofday", "clock_nanosleep",
	"nanosleep", "restart_syscall",
	"futex", "sched_yield", "getpid", "gettid", "set_robust_list",
	"rseq", "brk", "munmap", "madvise", "mremap",
	"rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
	/* OpenSSL's and libmosquitto's randomness */
	"getrandom", "exit", "exit_group",
};

/* One rule: a call, an action, and up to two argument comparisons. */
struct mqtt_rule {
	const char *name;
	int errno_value;		/* 0: allow */
	unsigned argc;
	struct scmp_arg_cmp arg[2];
};

#define CMP(i, o, a, b) { .arg = (i), .op = (o), .datum_a = (a), \
	.datum_b = (b) }
#define NOEXEC	CMP(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)
#define STREAM	CMP(1, SCMP_CMP_MASKED_EQ, 0xf, SOCK_STREAM)
#define OPT(level, name) { "setsockopt", 0, 2, { \
	CMP(1, SCMP_CMP_EQ, (level), 0), CMP(2, SCMP_CMP_EQ, (name), 0) } }
#define FCNTL(cmd) { "fcntl", 0, 1, { CMP(1, SCMP_CMP_EQ, (cmd), 0) } }

static const struct mqtt_rule mqtt_rules[] = {
	{ "mmap", 0, 1, { NOEXEC } },
	{ "mprotect", 0, 1, { NOEXEC } },
	{ "socket", 0, 2, { CMP(0, SCMP_CMP_EQ, AF_UNIX, 0), STREAM } },
	{ "socket", 0, 2, { CMP(0, SCMP_CMP_EQ, AF_INET, 0), STREAM } },
	{ "socket", 0, 2, { CMP(0, SCMP_CMP_EQ, AF_INET6, 0), STREAM } },
	{ "clone", 0, 1, { CMP(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD,
	    CLONE_THREAD) } },
	{ "clone3", ENOSYS, 0, { { 0 } } },
	/* libmosquitto makes a wake-up pair for a thread we do not run,
	   again when the client is made again (broker_refresh.c) */
	{ "socketpair", EPERM, 0, { { 0 } } },
	/* Fast Open would send before the handshake to any address */
	{ "sendmsg", 0, 1, { CMP(2, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, 0) } },
	{ "sendto", 0, 1, { CMP(3, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN, 0) } },
	FCNTL(F_GETFD), FCNTL(F_SETFD), FCNTL(F_GETFL),
	{ "fcntl", 0, 2, { CMP(1, SCMP_CMP_EQ, F_SETFL, 0),
	    CMP(2, SCMP_CMP_MASKED_EQ, O_ASYNC, 0) } },
	/* nanomsg sizes its buffers and keeps TCP quick; libmosquitto
	   turns Nagle off */
	OPT(SOL_SOCKET, SO_SNDBUF), OPT(SOL_SOCKET, SO_RCVBUF),
	OPT(IPPROTO_TCP, TCP_NODELAY),
};

/* One rule (policy/filter_rule.c), with the name first as in the tables. */
static int
add(scmp_filter_ctx ctx, const char *name, uint32_t action, unsigned argc,
    const struct scmp_arg_cmp *arg, char *err, size_t errlen)
{
	return policy_filter_rule(ctx, action, name, argc, arg, err, errlen);
}

static int
add_all(scmp_filter_ctx ctx, pid_t self, char *err, size_t errlen)
{
	struct scmp_arg_cmp to_self = CMP(0, SCMP_CMP_EQ,
	    (scmp_datum_t)self, 0);
	const struct mqtt_rule *r;
	size_t i;

	for (i = 0; i < sizeof(mqtt_plain) / sizeof(mqtt_plain[0]); i++)
		if (add(ctx, mqtt_plain[i], SCMP_ACT_ALLOW, 0, NULL, err,
		    errlen) == -1)
			return -1;
	for (i = 0; i < sizeof(mqtt_rules) / sizeof(mqtt_rules[0]); i++) {
		r = &mqtt_rules[i];
		if (add(ctx, r->name, r->errno_value != 0 ?
		    SCMP_ACT_ERRNO((uint32_t)r->errno_value) : SCMP_ACT_ALLOW,
		    r->argc, r->arg, err, errlen) == -1)
			return -1;
	}
	if (add(ctx, "kill", SCMP_ACT_ALLOW, 1, &to_self, err, errlen) == -1 ||
	    add(ctx, "tgkill", SCMP_ACT_ALLOW, 1, &to_self, err, errlen) == -1)
		return -1;
	return 0;
}

scmp_filter_ctx
policy_mqtt_filter(uint32_t extra_arch, pid_t self, char *err,
    size_t errlen)
{
	scmp_filter_ctx ctx;

	if ((ctx = policy_filter_new(extra_arch, err, errlen)) == NULL)
		return NULL;
	if (add_all(ctx, self, err, errlen) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}
