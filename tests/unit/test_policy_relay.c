/*
 * A multi-drop relay's lockdown (policy/relay_filter.c): it may read and
 * write the master's socket and its links, receive on its channel (3),
 * write its news pipe (4) and stderr, and close its sockets; receiving
 * on anything but the channel, reading the fixed descriptors, sending a
 * descriptor, closing 3 or 4, making a descriptor, setting a socket
 * option or shutting a socket down end it with SIGSYS. The allowlist
 * also builds for aarch64 and lists nothing it does not need.
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

	return pfc_text(policy_relay_filter(extra_arch, getpid(), err,
	    sizeof(err)), err);
}

static const char *const never[] = {
	"\"readv\"", "\"recvmmsg\"", "\"recvfrom\"", "\"sendmsg\"",
	"\"shutdown\"", "\"setsockopt\"", "\"getsockopt\"", "\"fcntl\"",
	"\"dup\"", "\"dup2\"", "\"dup3\"", "\"socket\"", "\"socketpair\"",
	"\"connect\"", "\"bind\"", "\"accept4\"", "\"openat\"", "\"execve\"",
	"\"clone\"", "\"clone3\"", "\"futex\"", "\"ptrace\"", "\"kill\"",
	"\"getrandom\"", "\"mprotect\"", "\"pipe2\"",
};

static void
test_filter_lists(void **state)
{
	const char *t;

	(void)state;
	assert_non_null(strstr(filter_text(SCMP_ARCH_AARCH64),
	    "filter for arch aarch64"));
	t = filter_text(0);
	assert_non_null(strstr(t, "filter for syscall \"read\""));
	assert_non_null(strstr(t, "filter for syscall \"recvmsg\""));
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (strstr(t, never[i]) != NULL)
			fail_msg("the filter lists %s", never[i]);
	assert_null(strstr(t, "ERRNO("));
}

/* The master's socket (a stream pair; the parent keeps the other end)
   and the news pipe, set up before each kid. */
static int master[2];
static int news[2];
static int chan[2];

/* Kid: channel on 3, news pipe on 4 as dnp3d-relay has them, the
   master's socket above; then the lockdown. Returns the master's fd. */
static int
kid_relay(struct kid *k)
{
	int m;

	(void)k;
	if ((m = fcntl(master[0], F_DUPFD, 10)) == -1 ||
	    dup2(chan[0], POLICY_RELAY_CHAN_FD) == -1 ||
	    dup2(news[1], POLICY_RELAY_OUT_FD) == -1)
		_exit(98);
	struct policy_worker pw = { kid_user, kid_empty, 0, POLICY_RELAY };
	char err[256];
	if (policy_lockdown_worker(&pw, err, sizeof(err)) == -1)
		_exit(KID_LOCKDOWN_FAILED);
	return m;
}

/* What it needs: a record from the channel, the master's bytes back to
   it, news, close; exit 0. */
static void
do_allowed(struct kid *k)
{
	int m = kid_relay(k);
	char b[4], c[8];
	struct iovec v = { c, sizeof(c) };
	struct msghdr h = { .msg_iov = &v, .msg_iovlen = 1 };

	if (recvmsg(POLICY_RELAY_CHAN_FD, &h, 0) != 3 ||
	    read(m, b, sizeof(b)) != 4 || write(m, b, 4) != 4 ||
	    write(POLICY_RELAY_OUT_FD, c, 3) != 3 || close(m) == -1)
		_exit(1);
	_exit(0);
}

static void
test_relay_and_tell(void **state)
{
	char got[8] = "";
	int status;

	(void)state;
	assert_int_equal(write(master[1], "\x05\x64\x05\xc9", 4), 4);
	assert_int_equal(write(chan[1], "rec", 3), 3);
	status = kid_run(do_allowed, NULL, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(read(master[1], got, sizeof(got)), 4);
	assert_memory_equal(got, "\x05\x64\x05\xc9", 4);
	assert_int_equal(read(news[0], got, sizeof(got)), 3);
	assert_memory_equal(got, "rec", 3);
}

/* The forbidden call the next kid makes (index into forbidden[]). */
static size_t which;
static const char *const forbidden[] = {
	"read(3)", "recvmsg(master)", "sendmsg", "shutdown", "setsockopt",
	"socket", "close(3)", "close(4)",
};

static void
do_forbidden(struct kid *k)
{
	int m = kid_relay(k), one = 1;
	char b;
	struct iovec v = { &b, 1 };
	struct msghdr h = { .msg_iov = &v, .msg_iovlen = 1 };
	ssize_t r;

	switch (which) {
	case 0:
		r = read(POLICY_RELAY_CHAN_FD, &b, 1);
		break;
	case 1:
		r = recvmsg(m, &h, MSG_DONTWAIT);
		break;
	case 2:
		r = sendmsg(m, &h, MSG_NOSIGNAL);
		break;
	case 3:
		r = shutdown(m, SHUT_RDWR);
		break;
	case 4:
		r = setsockopt(m, SOL_SOCKET, SO_KEEPALIVE, &one,
		    sizeof(one));
		break;
	case 5:
		r = socket(AF_UNIX, SOCK_STREAM, 0);
		break;
	case 6:
		r = close(POLICY_RELAY_CHAN_FD);
		break;
	default:
		r = close(POLICY_RELAY_OUT_FD);
	}
	_exit(r < 0 ? 1 : 0);
}

static void
test_forbidden(void **state)
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
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, chan) == -1 ||
	    pipe2(news, O_DIRECT) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	int fds[] = { master[0], master[1], chan[0], chan[1], news[0],
	    news[1] };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		close(fds[i]);
	return kid_group_teardown(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_lists),
		cmocka_unit_test(test_relay_and_tell),
		cmocka_unit_test(test_forbidden),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
