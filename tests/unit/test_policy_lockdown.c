/*
 * A locked-down worker: forbidden calls end the whole process with SIGSYS,
 * the calls a worker needs keep working, and /proc shows the result.
 * Every kid calls the real policy_lockdown_worker().
 *
 * Sanitizer builds load the filter log-only (DNP3D_SECCOMP_LOG_ONLY): there
 * the SIGSYS assertions are skipped with a printed reason, and everything
 * else (allowed calls, /proc status with "Seccomp: 2") is still asserted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <linux/filter.h>
#include <netinet/in.h>

#include "test_policy_kid.h"

/* Run body in a kid; it must die of SIGSYS (release build). */
static void
expect_sigsys(kid_body body, const char *what)
{
	char said[512], how[64];
	int status = kid_run(body, said, sizeof(said));

	kid_describe(status, how, sizeof(how));
	assert_false(WIFEXITED(status) &&
	    WEXITSTATUS(status) == KID_LOCKDOWN_FAILED);
#if defined(DNP3D_SECCOMP_LOG_ONLY)
	printf("# %s: %s; SIGSYS not asserted: log-only seccomp in this "
	    "sanitizer build\n", what, how);
#else
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
		fail_msg("%s: kid ended with %s, not SIGSYS", what, how);
#endif
}

static void
do_execve(struct kid *k)
{
	char *argv[] = { "/bin/true", NULL }, *envp[] = { NULL };

	kid_lockdown(k);
	execve("/bin/true", argv, envp);
	_exit(0);
}

static void
do_openat(struct kid *k)
{
	kid_lockdown(k);
	(void)syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
	_exit(0);
}

static void
do_socket_inet(struct kid *k)
{
	kid_lockdown(k);
	(void)socket(AF_INET, SOCK_STREAM, 0);
	_exit(0);
}

static void
do_socket_inet6(struct kid *k)
{
	kid_lockdown(k);
	(void)socket(AF_INET6, SOCK_DGRAM, 0);
	_exit(0);
}

static void
do_ptrace(struct kid *k)
{
	kid_lockdown(k);
	(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
	_exit(0);
}

static void
do_fork(struct kid *k)
{
	pid_t pid;

	kid_lockdown(k);
	if ((pid = fork()) == 0)
		_exit(0);
	_exit(0);
}

static void
do_mprotect_exec(struct kid *k)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	kid_lockdown(k);
	(void)mprotect(p, 4096, PROT_READ | PROT_EXEC);
	_exit(0);
}

static void
do_mmap_exec(struct kid *k)
{
	kid_lockdown(k);
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	_exit(0);
}

static void
do_kill_other(struct kid *k)
{
	kid_lockdown(k);
	(void)kill(getppid(), 0);
	_exit(0);
}

static void
test_execve_kills(void **state)
{
	(void)state;
	expect_sigsys(do_execve, "execve");
}

static void
test_openat_kills(void **state)
{
	(void)state;
	expect_sigsys(do_openat, "openat /etc/passwd");
}

static void
test_inet_sockets_kill(void **state)
{
	(void)state;
	expect_sigsys(do_socket_inet, "socket(AF_INET)");
	expect_sigsys(do_socket_inet6, "socket(AF_INET6)");
}

static void
test_ptrace_kills(void **state)
{
	(void)state;
	expect_sigsys(do_ptrace, "ptrace(PTRACE_TRACEME)");
}

static void
test_fork_kills(void **state)
{
	(void)state;
	expect_sigsys(do_fork, "fork");
}

static void
test_exec_memory_kills(void **state)
{
	(void)state;
	expect_sigsys(do_mprotect_exec, "mprotect(PROT_EXEC)");
	expect_sigsys(do_mmap_exec, "mmap(PROT_EXEC)");
}

static void
test_kill_other_kills(void **state)
{
	(void)state;
	expect_sigsys(do_kill_other, "kill(parent)");
}

/*
 * Calls allowed only with some arguments: each forbidden use ends the
 * process. The kid makes a connected TCP pair on loopback (the master's
 * socket) and a pipe before lockdown, then makes one forbidden call.
 */
enum arg_attack {
	ATK_SO_LINGER, ATK_SO_ATTACH_FILTER, ATK_SO_ATTACH_BPF,
	ATK_SO_SNDBUF, ATK_SO_KEEPALIVE, ATK_F_SETOWN, ATK_F_SETSIG, ATK_F_SETFL_ASYNC,
	ATK_F_SETLEASE, ATK_F_NOTIFY, ATK_F_DUPFD, ATK_CONNECT_UNSPEC,
	ATK_SEND_FASTOPEN, ATK_TGKILL_OTHER, ATK_PIDFD_SIGNAL,
	ATK_PIDFD_OPEN, ATK_VM_READV, ATK_PTRACE_ATTACH, ATK_SIGQUEUE,
	ATK_COUNT
};

static const char *const attack_name[ATK_COUNT] = {
	"setsockopt(SO_LINGER)", "setsockopt(SO_ATTACH_FILTER)",
	"setsockopt(SO_ATTACH_BPF)", "setsockopt(SO_SNDBUF)",
	"setsockopt(SO_KEEPALIVE)",
	"fcntl(F_SETOWN)", "fcntl(F_SETSIG)", "fcntl(F_SETFL, O_ASYNC)",
	"fcntl(F_SETLEASE)", "fcntl(F_NOTIFY)", "fcntl(F_DUPFD)",
	"connect(AF_UNSPEC) on the master's socket",
	"sendto(MSG_FASTOPEN)", "tgkill(parent)", "pidfd_send_signal",
	"pidfd_open(parent)", "process_vm_readv(parent)",
	"ptrace(PTRACE_ATTACH, parent)", "rt_sigqueueinfo(parent)",
};

static enum arg_attack attack;

/* A connected TCP socket on loopback, as a master's would be. */
static int
tcp_pair(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l, c;

	if ((l = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    listen(l, 1) == -1 ||
	    getsockname(l, (struct sockaddr *)&a, &len) == -1 ||
	    (c = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    accept(l, NULL, NULL) == -1)
		_exit(2);
	return c;
}

static void
sockopt_attack(int s)
{
	struct linger lg = { 1, 1000000 };
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { 1, &insn };
	int one = 1, bpf_fd = 3, size = 65536;

	if (attack == ATK_SO_LINGER)
		(void)setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	else if (attack == ATK_SO_ATTACH_FILTER)
		(void)setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		    sizeof(prog));
	else if (attack == ATK_SO_ATTACH_BPF)
		(void)setsockopt(s, SOL_SOCKET, SO_ATTACH_BPF, &bpf_fd,
		    sizeof(bpf_fd));
	else if (attack == ATK_SO_SNDBUF)
		(void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size,
		    sizeof(size));
	else
		(void)setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one,
		    sizeof(one));
}

static void
fcntl_attack(int p)
{
	static const int cmd[] = { F_SETOWN, F_SETSIG, F_SETFL, F_SETLEASE,
	    F_NOTIFY, F_DUPFD };
	long arg[] = { (long)getppid(), SIGKILL, O_ASYNC | O_NONBLOCK,
	    F_RDLCK, DN_MODIFY, 10 };
	int i = (int)(attack - ATK_F_SETOWN);

	(void)syscall(SYS_fcntl, p, cmd[i], arg[i]);
}

static void
process_attack(void)
{
	pid_t parent = getppid();
	char buf[8];
	struct iovec local = { buf, sizeof(buf) }, remote = { buf, 8 };
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	if (attack == ATK_TGKILL_OTHER)
		(void)syscall(SYS_tgkill, parent, parent, 0);
	else if (attack == ATK_PIDFD_SIGNAL)
		(void)syscall(SYS_pidfd_send_signal, 0, 0, NULL, 0);
	else if (attack == ATK_PIDFD_OPEN)
		(void)syscall(SYS_pidfd_open, parent, 0);
	else if (attack == ATK_VM_READV)
		(void)process_vm_readv(parent, &local, 1, &remote, 1, 0);
	else if (attack == ATK_PTRACE_ATTACH)
		(void)ptrace(PTRACE_ATTACH, parent, NULL, NULL);
	else
		(void)syscall(SYS_rt_sigqueueinfo, parent, 0, &si);
}

static void
do_arg_attack(struct kid *k)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	int s = tcp_pair(), p[2];

	if (pipe(p) == -1)
		_exit(2);
	kid_lockdown(k);
	if (attack <= ATK_SO_KEEPALIVE)
		sockopt_attack(s);
	else if (attack <= ATK_F_DUPFD)
		fcntl_attack(p[0]);
	else if (attack == ATK_CONNECT_UNSPEC)
		(void)connect(s, &sa, sizeof(sa));
	else if (attack == ATK_SEND_FASTOPEN)
		(void)sendto(s, "x", 1, MSG_FASTOPEN, NULL, 0);
	else
		process_attack();
	_exit(0);
}

static void
test_filtered_arguments_kill(void **state)
{
	(void)state;
	for (attack = 0; attack < ATK_COUNT; attack++)
		expect_sigsys(do_arg_attack, attack_name[attack]);
}

/*
 * Calls the allowlist had for nanomsg's thread, or for no user the worker
 * has (it is one thread and makes no descriptor): each ends the process. The calls are harmless where they go through (a
 * sanitizer build's log-only filter): bad arguments, or RLIMIT_NPROC.
 */
enum gone_call {
	GONE_SOCKET_UNIX, GONE_PIPE2, GONE_EPOLL, GONE_EVENTFD, GONE_TIMERFD,
	GONE_CLONE3, GONE_THREAD, GONE_SCHED_YIELD, GONE_ROBUST_LIST,
	GONE_RSEQ, GONE_FUTEX_WAIT, GONE_F_SETFD, GONE_GETSOCKNAME,
	GONE_NANOSLEEP, GONE_COUNT
};

static const char *const gone_name[GONE_COUNT] = {
	"socket(AF_UNIX)", "pipe2", "epoll_create1", "eventfd2",
	"timerfd_create", "clone3", "pthread_create (a thread)",
	"sched_yield", "set_robust_list", "rseq",
	"futex(FUTEX_WAIT_PRIVATE)", "fcntl(F_SETFD)", "getsockname",
	"nanosleep",
};

static enum gone_call gone;

static void *
idle_thread(void *arg)
{
	return arg;
}

static void
gone_call(int s)
{
	struct timespec zero = { 0, 0 };
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned int word = 1;
	pthread_t t;
	int pp[2];

	if (gone == GONE_SOCKET_UNIX)
		(void)socket(AF_UNIX, SOCK_STREAM, 0);
	else if (gone == GONE_PIPE2)
		(void)pipe2(pp, O_CLOEXEC);
	else if (gone == GONE_EPOLL)
		(void)syscall(SYS_epoll_create1, 0);
	else if (gone == GONE_EVENTFD)
		(void)syscall(SYS_eventfd2, 0, 0);
	else if (gone == GONE_TIMERFD)
		(void)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0);
	else if (gone == GONE_CLONE3)
		(void)syscall(SYS_clone3, NULL, (size_t)0);
	else if (gone == GONE_THREAD)
		(void)pthread_create(&t, NULL, idle_thread, NULL);
	else if (gone == GONE_SCHED_YIELD)
		(void)sched_yield();
	else if (gone == GONE_ROBUST_LIST)
		(void)syscall(SYS_set_robust_list, NULL, (size_t)1);
	else if (gone == GONE_RSEQ)
		(void)syscall(SYS_rseq, NULL, 0, 0, 0);
	else if (gone == GONE_FUTEX_WAIT)	/* word != 0: EAGAIN at once */
		(void)syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &zero);
	else if (gone == GONE_F_SETFD)
		(void)fcntl(s, F_SETFD, FD_CLOEXEC);
	else if (gone == GONE_GETSOCKNAME)
		(void)getsockname(s, (struct sockaddr *)&ss, &len);
	else
		(void)nanosleep(&zero, NULL);
}

static void
do_gone(struct kid *k)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		_exit(2);
	kid_lockdown(k);
	gone_call(sv[0]);
	_exit(0);
}

static void
test_dropped_calls_kill(void **state)
{
	(void)state;
	for (gone = 0; gone < GONE_COUNT; gone++)
		expect_sigsys(do_gone, gone_name[gone]);
}

/* A thread that exists before lockdown is filtered too (TSYNC). */
static int tsync_go[2], tsync_up[2];

static void *
tsync_thread(void *arg)
{
	char c;

	(void)arg;
	if (write(tsync_up[1], "u", 1) == 1 && read(tsync_go[0], &c, 1) == 1)
		(void)socket(AF_INET, SOCK_STREAM, 0);
	return NULL;
}

static void
do_tsync(struct kid *k)
{
	pthread_t t;
	char c;

	if (pipe(tsync_go) == -1 || pipe(tsync_up) == -1 ||
	    pthread_create(&t, NULL, tsync_thread, NULL) != 0)
		_exit(2);
	if (read(tsync_up[0], &c, 1) != 1)	/* the thread runs */
		_exit(4);
	kid_lockdown(k);
	if (write(tsync_go[1], "x", 1) != 1)
		_exit(3);
	pthread_join(t, NULL);
	_exit(0);
}

static void
test_thread_before_lockdown_kills(void **state)
{
	(void)state;
	expect_sigsys(do_tsync, "socket(AF_INET) from an older thread");
}

/* abort() (an assert) still ends with SIGABRT: tgkill to self is allowed. */
static void
do_abort(struct kid *k)
{
	kid_lockdown(k);
	abort();
}

static void
test_abort_is_sigabrt(void **state)
{
	char how[64];
	int status;

	(void)state;
	status = kid_run(do_abort, NULL, 0);
	kid_describe(status, how, sizeof(how));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("abort() after lockdown: %s, not SIGABRT", how);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_execve_kills),
		cmocka_unit_test(test_openat_kills),
		cmocka_unit_test(test_inet_sockets_kill),
		cmocka_unit_test(test_ptrace_kills),
		cmocka_unit_test(test_fork_kills),
		cmocka_unit_test(test_exec_memory_kills),
		cmocka_unit_test(test_kill_other_kills),
		cmocka_unit_test(test_filtered_arguments_kill),
		cmocka_unit_test(test_dropped_calls_kill),
		cmocka_unit_test(test_abort_is_sigabrt),
		cmocka_unit_test(test_thread_before_lockdown_kills),
	};

	return cmocka_run_group_tests(tests, kid_group_setup,
	    kid_group_teardown);
}
