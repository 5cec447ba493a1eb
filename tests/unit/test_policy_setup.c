/*
 * The pieces around the lockdown: the allowlist builds for x86-64 and
 * aarch64 and says what it allows, the empty directory is made and checked,
 * bad users and bad directories stop the lockdown with a clear reason, and
 * the listener keeps exactly its five capabilities.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/capability.h>
#include <sys/mman.h>

#include "policy/seccomp_filter.h"
#include "test_policy_kid.h"
#include "test_policy_pfc.h"

/* The filter's pseudo code (libseccomp PFC) as text. */
static char *
filter_text(uint32_t extra_arch)
{
	char err[256] = "";

	return pfc_text(policy_worker_filter(extra_arch, getpid(), err,
	    sizeof(err)), err);
}

static void
test_filter_exports_for_aarch64(void **state)
{
	char err[256];
	scmp_filter_ctx ctx;
	int fd;

	(void)state;
	ctx = policy_worker_filter(SCMP_ARCH_AARCH64, getpid(), err,
	    sizeof(err));
	if (ctx == NULL)
		fail_msg("policy_worker_filter(aarch64): %s", err);
	assert_int_equal(seccomp_arch_exist(ctx, SCMP_ARCH_AARCH64), 0);
	assert_int_equal(seccomp_arch_exist(ctx, SCMP_ARCH_NATIVE), 0);
	assert_true((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0);
	assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
	close(fd);
	seccomp_release(ctx);
	assert_non_null(strstr(filter_text(SCMP_ARCH_AARCH64),
	    "filter for arch aarch64"));
}

/* Calls the worker never makes; nanomsg's thread made sendmsg and those
   from socket on. */
static const char *const never[] = {
	"\"execve\"", "\"execveat\"", "\"openat\"", "\"ptrace\"",
	"\"bind\"", "\"accept4\"", "\"connect\"", "\"sendmsg\"",
	"\"socket\"", "\"setsockopt\"", "\"clone\"", "\"clone3\"",
	"\"epoll_wait\"", "\"eventfd2\"", "\"pipe2\"", "\"rseq\"",
};

static void
test_filter_says_what_it_allows(void **state)
{
	const char *t;

	(void)state;
	t = filter_text(0);
	assert_non_null(strstr(t, "filter for syscall \"recvmsg\""));
	assert_non_null(strstr(t, "filter for syscall \"poll\""));
	assert_non_null(strstr(t, "filter for syscall \"futex\""));
	/* Never listed, so they hit the default action. */
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(t, never[i]) != NULL)
			fail_msg("the filter lists %s", never[i]);
	/* Nothing answers with an error: what is not allowed ends it. */
	assert_null(strstr(t, "ERRNO("));
#if defined(DNP3D_SECCOMP_LOG_ONLY)
	assert_int_equal(policy_filter_default_action(), SCMP_ACT_LOG);
	assert_non_null(strstr(t, "action LOG;"));
#else
	assert_int_equal(policy_filter_default_action(),
	    SCMP_ACT_KILL_PROCESS);
	assert_non_null(strstr(t, "action KILL_PROCESS;"));
#endif
}

static void
test_prepare_empty_dir(void **state)
{
	char dir[128], file[160], err[256];
	struct stat st;
	int fd;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/e2", kid_tmp);
	assert_int_equal(policy_prepare_empty_dir(dir, err, sizeof(err)), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0555);
	assert_int_equal(st.st_uid, geteuid());
	/* Again: an existing empty directory is fine. */
	assert_int_equal(policy_prepare_empty_dir(dir, err, sizeof(err)), 0);
	/* Not empty: refused, and the error names the entry. */
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(file, sizeof(file), "%s/stray", dir);
	assert_true((fd = open(file, O_CREAT | O_WRONLY, 0600)) >= 0);
	close(fd);
	assert_int_equal(policy_prepare_empty_dir(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not empty"));
	assert_non_null(strstr(err, "stray"));
	/* ...and left as it was. */
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(unlink(file), 0);
	assert_int_equal(rmdir(dir), 0);
	/* A symlink is not a directory we trust. */
	assert_int_equal(symlink(kid_empty, dir), 0);
	assert_int_equal(policy_prepare_empty_dir(dir, err, sizeof(err)), -1);
	unlink(dir);
	assert_int_equal(policy_prepare_empty_dir("relative", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "absolute"));
}

static const char *bad_user;
static const char *bad_dir;

static void
do_lockdown_bad(struct kid *k)
{
	kid_lockdown_as(k, bad_user, bad_dir);
	_exit(0);
}

/* The lockdown must fail with a message containing want. */
static void
expect_lockdown_error(const char *user, const char *dir, const char *want)
{
	char said[512];
	int status;

	bad_user = user;
	bad_dir = dir;
	status = kid_run(do_lockdown_bad, said, sizeof(said));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), KID_LOCKDOWN_FAILED);
	if (strstr(said, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", said, want);
}

static void
test_lockdown_refuses_bad_setup(void **state)
{
	char dir[128];

	(void)state;
	expect_lockdown_error("nobody", kid_tmp, "not empty");
	expect_lockdown_error("nobody", NULL, "no chroot directory");
	snprintf(dir, sizeof(dir), "%s/missing", kid_tmp);
	expect_lockdown_error("nobody", dir, "No such file");
	if (geteuid() != 0) {
		printf("# not root: user lookups are not part of the "
		    "lockdown\n");
		return;
	}
	expect_lockdown_error("no-such-user-dnp3d", kid_empty,
	    "\"no-such-user-dnp3d\" does not exist: create it");
	/* No fallback to "nobody" for the default user (issue 21, 5). */
	if (getpwnam(POLICY_DEFAULT_USER) == NULL)
		expect_lockdown_error(NULL, kid_empty,
		    "\"" POLICY_DEFAULT_USER "\" does not exist");
	else
		printf("# user %s exists: its absence is not tested\n",
		    POLICY_DEFAULT_USER);
	expect_lockdown_error("root", kid_empty, "uid or gid 0");
	/* A chroot the worker's user could write to is refused. */
	assert_int_equal(chmod(kid_empty, 0777), 0);
	expect_lockdown_error("nobody", kid_empty, "writable");
	assert_int_equal(chmod(kid_empty, 0555), 0);
}

static void
do_describe(struct kid *k)
{
	kid_lockdown(k);
	kid_say(k, policy_describe());
	_exit(0);
}

static void
test_describe_names_protections(void **state)
{
	char said[512];
	int status;

	(void)state;
	assert_string_equal(policy_describe(), "none");
	status = kid_run(do_describe, said, sizeof(said));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(said, "no_new_privs"));
	assert_non_null(strstr(said, "nofile=64"));
	assert_non_null(strstr(said, "seccomp"));
	if (geteuid() == 0) {
		assert_non_null(strstr(said, "user nobody (65534:65534)"));
		assert_non_null(strstr(said, kid_empty));
	}
}

static void
do_restrict_listener(struct kid *k)
{
	char err[256], c;

	if (policy_restrict_listener(err, sizeof(err)) == -1) {
		kid_say(k, err);
		_exit(KID_LOCKDOWN_FAILED);
	}
	kid_say(k, "R");
	(void)read(k->in, &c, 1);
	_exit(0);
}

static void
test_listener_keeps_five_caps(void **state)
{
	char st[4096], v[64], said[8], want[32];
	unsigned long long keep = 1ULL << CAP_SETUID | 1ULL << CAP_SETGID |
	    1ULL << CAP_SYS_CHROOT | 1ULL << CAP_SETPCAP | 1ULL << CAP_KILL;
	struct kid k;
	int status;

	(void)state;
	kid_spawn(&k, do_restrict_listener);
	kid_read(&k, said, 2);
	assert_string_equal(said, "R");
	assert_int_equal(proc_read(k.pid, "status", st, sizeof(st)), 0);
	assert_string_equal(status_field(st, "NoNewPrivs", v, sizeof(v)), "1");
	if (geteuid() == 0) {
		snprintf(want, sizeof(want), "%016llx", keep);
		assert_string_equal(status_field(st, "CapEff", v, sizeof(v)),
		    want);
		assert_string_equal(status_field(st, "CapPrm", v, sizeof(v)),
		    want);
		assert_string_equal(status_field(st, "CapBnd", v, sizeof(v)),
		    want);
		assert_string_equal(status_field(st, "CapInh", v, sizeof(v)),
		    "0000000000000000");
		assert_string_equal(status_field(st, "CapAmb", v, sizeof(v)),
		    "0000000000000000");
	} else
		printf("# not root: only no_new_privs is checked\n");
	kid_tell(&k, 'x');
	status = kid_wait(&k);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* With a second thread the listener refuses, and keeps what it had. */
static void *
sleeper(void *arg)
{
	int fd = *(int *)arg;
	char c;

	(void)read(fd, &c, 1);
	return NULL;
}

static void
do_restrict_threaded(struct kid *k)
{
	char err[256];
	pthread_t t;

	if (pthread_create(&t, NULL, sleeper, &k->in) != 0)
		_exit(2);
	if (policy_restrict_listener(err, sizeof(err)) == 0)
		_exit(3);
	kid_say(k, err);
	_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0 ? 0 : 4);
}

static void
test_listener_refuses_threads(void **state)
{
	char said[256];
	int status;

	(void)state;
	status = kid_run(do_restrict_threaded, said, sizeof(said));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(said, "2 threads"));
	assert_non_null(strstr(said, "before its first nn_socket()"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_exports_for_aarch64),
		cmocka_unit_test(test_filter_says_what_it_allows),
		cmocka_unit_test(test_prepare_empty_dir),
		cmocka_unit_test(test_lockdown_refuses_bad_setup),
		cmocka_unit_test(test_describe_names_protections),
		cmocka_unit_test(test_listener_keeps_five_caps),
		cmocka_unit_test(test_listener_refuses_threads),
	};

	return cmocka_run_group_tests(tests, kid_group_setup,
	    kid_group_teardown);
}
