/*
 * The link address classifier's lockdown (policy/classify_filter.c): it
 * may peek at a master's socket and close its copy, answer on its pipe
 * (descriptor 4) and log on stderr; reading, receiving, writing or
 * shutting down a master's socket, closing its fixed descriptors, and
 * everything a worker may not do end it with SIGSYS. The allowlist also
 * builds for aarch64 and lists nothing it does not need.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "policy/seccomp_filter.h"
#include "test_policy_kid.h"
#include "test_policy_pfc.h"

static char *
filter_text(uint32_t extra_arch)
{
	char err[256] = "";

	return pfc_text(policy_classify_filter(extra_arch, getpid(), err,
	    sizeof(err)), err);
}

static const char *const never[] = {
	"\"read\"", "\"readv\"", "\"recvmmsg\"", "\"sendmsg\"", "\"shutdown\"",
	"\"setsockopt\"", "\"getsockopt\"", "\"fcntl\"", "\"dup\"", "\"dup2\"",
	"\"dup3\"", "\"socket\"", "\"connect\"", "\"bind\"", "\"accept4\"",
	"\"openat\"", "\"execve\"", "\"clone\"", "\"clone3\"", "\"futex\"",
	"\"ptrace\"", "\"kill\"", "\"getrandom\"", "\"mprotect\"",
};

static void
test_filter_lists(void **state)
{
	const char *t;

	(void)state;
	assert_non_null(strstr(filter_text(SCMP_ARCH_AARCH64),
	    "filter for arch aarch64"));
	t = filter_text(0);
	assert_non_null(strstr(t, "filter for syscall \"recvfrom\""));
	assert_non_null(strstr(t, "filter for syscall \"recvmsg\""));
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(t, never[i]) != NULL)
			fail_msg("the filter lists %s", never[i]);
	assert_null(strstr(t, "ERRNO("));
}

/* The kid's master socket (a stream pair; the parent keeps the other
   end and a copy of this one), set up before each kid. */
static int master[2];
static int answer[2];

/* Kid: channel on 3, answer pipe on 4 as dnp3d-classify has them, the
   master's socket above; then the lockdown. Returns the master's fd. */
static int
kid_classifier(struct kid *k)
{
	int chan[2], m;

	(void)k;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, chan) == -1 ||
	    (m = fcntl(master[0], F_DUPFD, 10)) == -1 ||
	    dup2(chan[0], POLICY_CLASSIFY_CHAN_FD) == -1 ||
	    dup2(answer[1], POLICY_CLASSIFY_OUT_FD) == -1)
		_exit(98);
	struct policy_worker pw = { kid_user, kid_empty, 0, POLICY_CLASSIFY };
	char err[256];
	if (policy_lockdown_worker(&pw, err, sizeof(err)) == -1)
		_exit(KID_LOCKDOWN_FAILED);
	return m;
}

/* What it needs: peek, answer, close its copy; exit 0. */
static void
do_allowed(struct kid *k)
{
	int m = kid_classifier(k);
	char b[4];

	if (recv(m, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT) != 4 ||
	    write(POLICY_CLASSIFY_OUT_FD, b, 4) != 4 || close(m) == -1)
		_exit(1);
	_exit(0);
}

static void
test_peek_answer_close(void **state)
{
	char got[8] = "";
	int status;

	(void)state;
	assert_int_equal(write(master[1], "\x05\x64\x05\xc9", 4), 4);
	status = kid_run(do_allowed, NULL, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(read(answer[0], got, sizeof(got)), 4);
	assert_memory_equal(got, "\x05\x64\x05\xc9", 4);
	/* Peeked, not consumed: the bytes are still there for a worker. */
	memset(got, 0, sizeof(got));
	assert_int_equal(read(master[0], got, sizeof(got)), 4);
	assert_memory_equal(got, "\x05\x64\x05\xc9", 4);
}

/* The forbidden call the next kid makes (index into forbidden[]). */
static size_t which;
static const char *const forbidden[] = {
	"read", "recv without MSG_PEEK", "recvmsg", "write", "send",
	"shutdown", "close(4)",
};

static void
do_forbidden(struct kid *k)
{
	int m = kid_classifier(k);
	char b;
	struct iovec v = { &b, 1 };
	struct msghdr h = { .msg_iov = &v, .msg_iovlen = 1 };
	ssize_t r;

	switch (which) {
	case 0:
		r = read(m, &b, 1);
		break;
	case 1:
		r = recv(m, &b, 1, MSG_DONTWAIT);
		break;
	case 2:
		r = recvmsg(m, &h, MSG_DONTWAIT);
		break;
	case 3:
		r = write(m, "x", 1);
		break;
	case 4:
		r = send(m, "x", 1, MSG_NOSIGNAL);
		break;
	case 5:
		r = shutdown(m, SHUT_RDWR);
		break;
	default:
		r = close(POLICY_CLASSIFY_OUT_FD);
	}
	_exit(r < 0 ? 1 : 0);
}

static void
test_master_socket_untouchable(void **state)
{
	(void)state;
	kid_each_sigsys(do_forbidden, &which, forbidden,
	    sizeof(forbidden) / sizeof(forbidden[0]));
}

static int
setup(void **state)
{
	if (kid_group_setup(state) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, master) == -1 ||
	    pipe2(answer, O_DIRECT) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	close(master[0]);
	close(master[1]);
	close(answer[0]);
	close(answer[1]);
	return kid_group_teardown(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_lists),
		cmocka_unit_test(test_peek_answer_close),
		cmocka_unit_test(test_master_socket_untouchable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
