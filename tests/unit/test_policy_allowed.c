/*
 * What a worker needs still works after the real policy_lockdown_worker(),
 * and /proc/<pid>/status of a locked-down kid shows no uid 0, no
 * capabilities, no_new_privs and a seccomp filter, with a chroot as root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "common/log.h"
#include "policy/internal.h"
#include "test_policy_kid.h"

static void
expect_exit0(kid_body body, const char *what)
{
	char said[512], how[64];
	int status = kid_run(body, said, sizeof(said));

	kid_describe(status, how, sizeof(how));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s: kid ended with %s (%s)", what, how, said);
}

/* The kid's socketpair end, made before lockdown like the worker's. */
static int pair[2];

/* Receive one descriptor with SCM_RIGHTS and read "hello" from it. */
static void
do_scm_rights(struct kid *k)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	char tag, data[8] = "";
	struct iovec iov = { &tag, 1 };
	int fd;

	close(pair[0]);
	kid_lockdown(k);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.buf;
	msg.msg_controllen = sizeof(c.buf);
	if (recvmsg(pair[1], &msg, 0) != 1 || (msg.msg_flags & MSG_CTRUNC))
		_exit(2);
	if ((cm = CMSG_FIRSTHDR(&msg)) == NULL ||
	    cm->cmsg_type != SCM_RIGHTS)
		_exit(3);
	memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	if (read(fd, data, 5) != 5 || memcmp(data, "hello", 5) != 0)
		_exit(4);
	if (send(pair[1], "ok", 2, 0) != 2)
		_exit(5);
	close(fd);
	_exit(0);
}

static void
test_scm_rights_round_trip(void **state)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct msghdr msg = { 0 };
	struct iovec iov = { "F", 1 };
	struct cmsghdr *cm;
	char reply[3] = "";
	struct kid k;
	int p[2], status;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	assert_int_equal(pipe(p), 0);
	kid_spawn(&k, do_scm_rights);
	close(pair[1]);
	assert_int_equal(write(p[1], "hello", 5), 5);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = c.buf;
	msg.msg_controllen = sizeof(c.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	assert_int_equal(sendmsg(pair[0], &msg, 0), 1);
	close(p[0]);
	close(p[1]);
	alarm(KID_WAIT_MS / 1000);
	assert_int_equal(recv(pair[0], reply, 2, MSG_WAITALL), 2);
	alarm(0);
	assert_string_equal(reply, "ok");
	close(pair[0]);
	status = kid_wait(&k);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_ran;

static void
once_routine(void)
{
	once_ran = 1;
}

/* The loop's calls: poll on the descriptors made before the lockdown,
   the clock, and a pthread_once run late (futex wake), as OpenSSL's. */
static int
event_loop_calls(const int *pp)
{
	struct pollfd pfd = { pp[0], POLLIN, 0 };
	struct timespec t0, t1;
	char c;

	if (clock_gettime(CLOCK_MONOTONIC, &t0) == -1 ||
	    gettimeofday(&(struct timeval){ 0, 0 }, NULL) == -1)
		return 10;
	if (poll(&pfd, 1, 10) != 0 || write(pp[1], "x", 1) != 1 ||
	    poll(&pfd, 1, 1000) != 1 || read(pp[0], &c, 1) != 1)
		return 11;
	if (clock_gettime(CLOCK_MONOTONIC, &t1) == -1 || t1.tv_sec < t0.tv_sec)
		return 12;
	if (pthread_once(&once, once_routine) != 0 || !once_ran)
		return 13;
	return 0;
}

/* Memory as malloc uses it: brk, mmap and mremap of a big block, munmap. */
static int
memory_calls(void)
{
	char *big, *bigger;

	if ((big = malloc(64 << 20)) == NULL)
		return 20;
	memset(big, 0xa5, 64 << 20);
	if ((bigger = realloc(big, 96 << 20)) == NULL)
		return 21;
	free(bigger);
	if ((big = malloc(100)) == NULL)
		return 22;
	free(big);
	return 0;
}

static void
do_allowed(struct kid *k)
{
	struct iovec iov[2] = { { "# writev", 8 }, { " after lockdown\n", 16 } };
	unsigned char rnd[16];
	int rc, pp[2];

	if (pipe(pp) == -1)
		_exit(2);
	kid_lockdown(k);
	if ((rc = event_loop_calls(pp)) != 0 || (rc = memory_calls()) != 0)
		_exit(rc);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		_exit(30);
	/* the log (getpid, write) and glibc's fatal messages (writev) */
	log_debug("log_debug after lockdown");
	if (writev(STDOUT_FILENO, iov, 2) != 24)
		_exit(31);
	_exit(0);
}

static void
test_event_loop_calls_work(void **state)
{
	(void)state;
	expect_exit0(do_allowed, "allowed calls");
}

/*
 * What the worker does to each master's socket it is handed: O_NONBLOCK
 * with F_GETFL and F_SETFL, then send and recv. Both ends made before the
 * lockdown, as the listener's hand-off makes them.
 */
static void
do_fd_calls(struct kid *k)
{
	int sv[2], fl;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		_exit(2);
	kid_lockdown(k);
	if ((fl = fcntl(sv[0], F_GETFL)) == -1 ||
	    fcntl(sv[0], F_SETFL, fl | O_NONBLOCK) == -1 ||
	    !(fcntl(sv[0], F_GETFL) & O_NONBLOCK))
		_exit(3);
	if (recv(sv[0], &c, 1, 0) != -1 || errno != EAGAIN)
		_exit(4);
	if (send(sv[1], "x", 1, MSG_NOSIGNAL) != 1 ||
	    recv(sv[0], &c, 1, 0) != 1 || c != 'x')
		_exit(5);
	close(sv[0]);
	close(sv[1]);
	_exit(0);
}

static void
test_fd_calls_work(void **state)
{
	(void)state;
	expect_exit0(do_fd_calls, "fcntl O_NONBLOCK, send, recv");
}

/* Lock down, say "R", wait until the parent has looked, exit. */
static void
do_wait_after_lockdown(struct kid *k)
{
	char c;

	kid_lockdown(k);
	kid_say(k, "R");
	(void)read(k->in, &c, 1);
	_exit(0);
}

static void
assert_status_locked(const char *st, bool chrooted)
{
	const char *zero = "0000000000000000";
	const char *caps[] = { "CapInh", "CapPrm", "CapEff", "CapAmb" };
	char v[128];
	unsigned u[4];
	size_t i;

	for (i = 0; i < 4; i++)
		assert_string_equal(status_field(st, caps[i], v, sizeof(v)),
		    zero);
	if (chrooted)
		assert_string_equal(status_field(st, "CapBnd", v, sizeof(v)),
		    zero);
	assert_string_equal(status_field(st, "NoNewPrivs", v, sizeof(v)), "1");
	assert_string_equal(status_field(st, "Seccomp", v, sizeof(v)), "2");
	if (geteuid() != 0) {
		printf("# not root: uid/gid not checked\n");
		return;
	}
	for (i = 0; i < 2; i++) {
		status_field(st, i == 0 ? "Uid" : "Gid", v, sizeof(v));
		assert_int_equal(sscanf(v, "%u %u %u %u", &u[0], &u[1], &u[2],
		    &u[3]), 4);
		assert_true(u[0] != 0 && u[1] != 0 && u[2] != 0 && u[3] != 0);
	}
	assert_string_equal(status_field(st, "Groups", v, sizeof(v)),
	    "65534");
}

/* "soft hard" of one line of /proc/<pid>/limits, e.g. "64 64". */
static const char *
limit_of(const char *limits, const char *name, char *val, size_t size)
{
	char soft[32], hard[32];
	const char *p = strstr(limits, name);

	if (p == NULL || strlen(p) < 26 ||
	    sscanf(p + 26, "%31s %31s", soft, hard) != 2)
		return "";
	snprintf(val, size, "%s %s", soft, hard);
	return val;
}

static bool
is_regular(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* The kid inherits our stdout and stderr: a file there keeps FSIZE. */
static void
assert_limits_locked(const char *limits)
{
	char v[80];

	assert_string_equal(limit_of(limits, "Max processes", v, sizeof(v)),
	    "0 0");
	assert_string_equal(limit_of(limits, "Max core file size", v,
	    sizeof(v)), "0 0");
	assert_string_equal(limit_of(limits, "Max open files", v, sizeof(v)),
	    "64 64");
	if (is_regular(STDOUT_FILENO) || is_regular(STDERR_FILENO))
		assert_string_equal(limit_of(limits, "Max file size", v,
		    sizeof(v)), "unlimited unlimited");
	else
		assert_string_equal(limit_of(limits, "Max file size", v,
		    sizeof(v)), "0 0");
}

static void
test_proc_status_after_lockdown(void **state)
{
	char st[4096], limits[4096], root[PATH_MAX], path[64], said[8];
	struct kid k;
	ssize_t n;
	int status;

	(void)state;
	kid_spawn(&k, do_wait_after_lockdown);
	kid_read(&k, said, 2);	/* "R", or the lockdown error */
	assert_string_equal(said, "R");
	assert_int_equal(proc_read(k.pid, "status", st, sizeof(st)), 0);
	if (proc_read(k.pid, "limits", limits, sizeof(limits)) == 0)
		assert_limits_locked(limits);
	else	/* not dumpable: root may read it, the same user may not */
		printf("# /proc/%d/limits: %s\n", (int)k.pid, strerror(errno));
	snprintf(path, sizeof(path), "/proc/%d/root", (int)k.pid);
	n = readlink(path, root, sizeof(root) - 1);
	root[n > 0 ? n : 0] = '\0';
	printf("# kid root: %s\n", n > 0 ? root : strerror(errno));
	if (geteuid() == 0) {
		assert_true(n > 0);
		assert_string_equal(root, kid_empty);
	}
	/* Not root: readlink needs ptrace access, which the kid denies. */
	assert_status_locked(st, geteuid() == 0 ||
	    (n > 0 && strcmp(root, "/") != 0));
	kid_tell(&k, 'x');
	status = kid_wait(&k);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * The kernel clears PR_SET_PDEATHSIG when the uid changes; the lockdown
 * sets it again, so a worker still dies with its listener. Here the kid
 * plays the listener and a grandchild the worker; this process is the
 * subreaper that collects the grandchild.
 */
static void
do_grandchild(struct kid *k, int ready)
{
	char c;

	alarm(KID_WAIT_MS / 1000);
	if (prctl(PR_SET_PDEATHSIG, SIGUSR2) == -1)
		_exit(2);
	kid_lockdown(k);
	if (write(ready, "L", 1) != 1)
		_exit(3);
	(void)read(k->in, &c, 1);	/* until SIGUSR2 (or the alarm) */
	_exit(0);
}

static void
do_listener_role(struct kid *k)
{
	char c, text[32];
	int gp[2];
	pid_t g;

	if (pipe(gp) == -1 || (g = fork()) == -1)
		_exit(2);
	if (g == 0) {
		close(gp[0]);
		do_grandchild(k, gp[1]);
	}
	close(gp[1]);
	snprintf(text, sizeof(text), "%d", (int)g);
	if (read(gp[0], &c, 1) != 1)	/* locked down (or failed) */
		_exit(3);
	kid_say(k, text);
	_exit(0);
}

static void
test_pdeathsig_survives_user_change(void **state)
{
	char said[32], how[64];
	int status, i;
	pid_t g;

	(void)state;
	if (geteuid() != 0) {
		printf("# not root: no user change, nothing clears the "
		    "parent-death signal\n");
		return;
	}
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	status = kid_run(do_listener_role, said, sizeof(said));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	g = (pid_t)atoi(said);
	assert_true(g > 0);
	for (i = 0; i < KID_WAIT_MS / 10; i++) {
		if (waitpid(g, &status, WNOHANG) == g)
			break;
		usleep(10 * 1000);
	}
	if (i == KID_WAIT_MS / 10) {
		kill(g, SIGKILL);
		waitpid(g, &status, 0);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	kid_describe(status, how, sizeof(how));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGUSR2)
		fail_msg("locked-down grandchild: %s, not SIGUSR2", how);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scm_rights_round_trip),
		cmocka_unit_test(test_event_loop_calls_work),
		cmocka_unit_test(test_fd_calls_work),
		cmocka_unit_test(test_proc_status_after_lockdown),
		cmocka_unit_test(test_pdeathsig_survives_user_change),
	};

	return cmocka_run_group_tests(tests, kid_group_setup,
	    kid_group_teardown);
}
