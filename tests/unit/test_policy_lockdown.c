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
#include <pthread.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

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
expect_exit0(kid_body body, const char *what)
{
	char said[512], how[64];
	int status = kid_run(body, said, sizeof(said));

	kid_describe(status, how, sizeof(how));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s: kid ended with %s (%s)", what, how, said);
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

/* glibc's clone3 probe gets ENOSYS and falls back; rseq still works. */
static void
do_probes(struct kid *k)
{
	long r;

	kid_lockdown(k);
	errno = 0;
	r = syscall(SYS_clone3, NULL, (size_t)0);
	if (r != -1 || errno != ENOSYS) {
		kid_say(k, "clone3 did not answer ENOSYS");
		_exit(1);
	}
	/* rseq is allowed: a bad registration gets EINVAL, not ENOSYS. */
	errno = 0;
	r = syscall(SYS_rseq, NULL, 0, 0, 0);
	if (r != -1 || errno != EINVAL) {
		kid_say(k, "rseq(NULL) did not answer EINVAL");
		_exit(1);
	}
	_exit(0);
}

static void
test_clone3_enosys_rseq_allowed(void **state)
{
	(void)state;
	expect_exit0(do_probes, "clone3/rseq");
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

/* No new threads after lockdown (RLIMIT_NPROC 0): a clean EAGAIN. */
static void *
idle_thread(void *arg)
{
	return arg;
}

static void
do_thread_after(struct kid *k)
{
	pthread_t t;
	int rc;

	kid_lockdown(k);
	if ((rc = pthread_create(&t, NULL, idle_thread, NULL)) != EAGAIN) {
		kid_say(k, rc == 0 ? "a thread was created" :
		    "pthread_create failed, but not with EAGAIN");
		_exit(1);
	}
	_exit(0);
}

static void
test_no_threads_after_lockdown(void **state)
{
	(void)state;
	expect_exit0(do_thread_after, "pthread_create after lockdown");
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
		cmocka_unit_test(test_clone3_enosys_rseq_allowed),
		cmocka_unit_test(test_abort_is_sigabrt),
		cmocka_unit_test(test_thread_before_lockdown_kills),
		cmocka_unit_test(test_no_threads_after_lockdown),
	};

	return cmocka_run_group_tests(tests, kid_group_setup,
	    kid_group_teardown);
}
