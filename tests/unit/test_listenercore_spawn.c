/*
 * proc_spawn(): the child gets stdio, its channel and extra descriptors
 * at CHAN_WORKER_FD onwards and nothing else of the many the listener
 * holds, an empty signal mask, SIGPIPE's default action and the parent
 * death signal; the listener's slots hold none of the child's
 * descriptors afterwards. The child is this program again ("report"):
 * it writes what it has to its channel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipc/channel.h"
#include "listener/proc.h"

#define FDS_MAX	64

struct report {
	int	nfds;
	int	fds[FDS_MAX];
	int	cloexec;	/* how many of them have FD_CLOEXEC */
	int	masked;		/* signals blocked, of 1..31 */
	int	sigpipe_default;
	int	pdeathsig;
};

/* The child's side: what it was given, on CHAN_WORKER_FD. */
static int
report(void)
{
	struct report r = { 0 };
	struct sigaction sa;
	sigset_t set;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL)
		return 1;
	while ((e = readdir(d)) != NULL && r.nfds < FDS_MAX) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		r.fds[r.nfds++] = fd;
		if (fcntl(fd, F_GETFD) & FD_CLOEXEC)
			r.cloexec++;
	}
	closedir(d);
	sigprocmask(SIG_SETMASK, NULL, &set);
	for (int s = 1; s < 32; s++)
		r.masked += sigismember(&set, s) == 1;
	sigaction(SIGPIPE, NULL, &sa);
	r.sigpipe_default = sa.sa_handler == SIG_DFL;
	prctl(PR_GET_PDEATHSIG, &r.pdeathsig);
	return write(CHAN_WORKER_FD, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
}

static char self[4096];

static int
setup(void **state)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)state;
	if (n <= 0)
		return -1;
	self[n] = '\0';
	return proc_spawn_init();
}

static bool
contains(const struct report *r, int fd)
{
	for (int i = 0; i < r->nfds; i++)
		if (r->fds[i] == fd)
			return true;
	return false;
}

/* fd reaches end of file (not: still held open somewhere). */
static void
assert_eof(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	assert_int_equal(poll(&p, 1, 10000), 1);
	assert_int_equal(read(fd, &c, 1), 0);
}

/* Reads the child's report from sv0, then waits for its exit status. */
static void
collect(int sv0, pid_t pid, struct report *r, int *status)
{
	struct pollfd p = { .fd = sv0, .events = POLLIN };

	assert_int_equal(poll(&p, 1, 10000), 1);
	assert_int_equal(read(sv0, r, sizeof(*r)), sizeof(*r));
	assert_int_equal(waitpid(pid, status, 0), pid);
}

static void
test_only_given_descriptors(void **state)
{
	char *argv[] = { "test_listenercore_spawn", "report", NULL };
	int sv[2], pp[2], held[300], extra, status;
	struct report r;
	sigset_t term, old;
	pid_t pid;

	(void)state;
	/* What a listener holds: many descriptors, some inheritable. */
	for (int i = 0; i < 300; i++)
		assert_true((held[i] = open("/dev/null", i % 2 ? O_RDONLY :
		    O_RDONLY | O_CLOEXEC)) > 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	assert_int_equal(pipe2(pp, O_CLOEXEC), 0);
	extra = pp[1];
	/* The listener blocks signals and ignores SIGPIPE. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	signal(SIGPIPE, SIG_IGN);

	pid = proc_spawn(self, argv, sv[1], &extra, 1);
	assert_true(pid > 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGPIPE, SIG_DFL);
	close(sv[1]);
	close(pp[1]);
	collect(sv[0], pid, &r, &status);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(r.nfds, 5);
	for (int fd = 0; fd < 5; fd++)
		assert_true(contains(&r, fd));
	assert_int_equal(r.cloexec, 0);
	assert_int_equal(r.masked, 0);
	assert_true(r.sigpipe_default);
	assert_int_equal(r.pdeathsig, SIGTERM);

	/* No slot kept the child's ends: both see the child gone. */
	assert_eof(sv[0]);
	assert_eof(pp[0]);
	for (int i = 0; i < 300; i++)
		close(held[i]);
	close(sv[0]);
	close(pp[0]);
}

static void
test_two_extras(void **state)
{
	char *argv[] = { "test_listenercore_spawn", "report", NULL };
	int sv[2], a[2], b[2], extra[2], status;
	struct report r;
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	assert_int_equal(pipe2(a, O_CLOEXEC), 0);
	assert_int_equal(pipe2(b, O_CLOEXEC), 0);
	extra[0] = a[1];
	extra[1] = b[0];
	pid = proc_spawn(self, argv, sv[1], extra, 2);
	assert_true(pid > 0);
	close(sv[1]);
	collect(sv[0], pid, &r, &status);
	assert_int_equal(r.nfds, 6);
	for (int fd = 0; fd < 6; fd++)
		assert_true(contains(&r, fd));
	close(a[1]);
	assert_eof(a[0]);
	close(a[0]);
	close(b[0]);
	close(b[1]);
	close(sv[0]);
}

static void
test_exec_fails(void **state)
{
	char *argv[] = { "nothing", NULL };
	int sv[2], status;
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	pid = proc_spawn("/nonexistent/dnp3d-worker", argv, sv[1], NULL, 0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 127);
	close(sv[0]);
	close(sv[1]);
}

static void
test_bad_arguments(void **state)
{
	char *argv[] = { "x", NULL };
	int extra[PROC_EXEC_EXTRA_MAX + 1] = { 0 };

	(void)state;
	errno = 0;
	assert_int_equal(proc_spawn(self, argv, 0, extra,
	    PROC_EXEC_EXTRA_MAX + 1), -1);
	assert_int_equal(errno, EINVAL);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_given_descriptors),
		cmocka_unit_test(test_two_extras),
		cmocka_unit_test(test_exec_fails),
		cmocka_unit_test(test_bad_arguments),
	};

	if (argc == 2 && strcmp(argv[1], "report") == 0)
		return report();
	return cmocka_run_group_tests(tests, setup, NULL);
}
