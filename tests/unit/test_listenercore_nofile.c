/*
 * The listener's RLIMIT_NOFILE at start and reload: raised to what the
 * outstations need, never past the hard limit; a hard limit too low is an
 * error that says what to change. Each case runs in a child, which may
 * lower its hard limit for good.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "listener/nofile.h"

/* In a child with limits soft/hard: nofile_raise(n), then the soft limit
   it left (0 after an error) and its message. */
static void
raise_in_child(rlim_t soft, rlim_t hard, size_t n, rlim_t *left, char *msg,
    size_t len)
{
	int p[2];
	pid_t pid;
	ssize_t got;
	struct {
		rlim_t left;
		char msg[256];
	} r;

	assert_int_equal(pipe(p), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		struct rlimit rl = { soft, hard };

		memset(&r, 0, sizeof(r));
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    nofile_raise(n, r.msg, sizeof(r.msg)) == 0 &&
		    getrlimit(RLIMIT_NOFILE, &rl) == 0)
			r.left = rl.rlim_cur;
		_exit(write(p[1], &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	got = read(p[0], &r, sizeof(r));
	close(p[0]);
	assert_int_equal(got, sizeof(r));
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	*left = r.left;
	snprintf(msg, len, "%s", r.msg);
}

static void
test_need(void **state)
{
	(void)state;
	assert_int_equal(nofile_need(0), NOFILE_SPARE);
	assert_int_equal(nofile_need(10000), 10000 * NOFILE_PER_WORKER +
	    NOFILE_SPARE);
}

static void
test_raised_within_hard(void **state)
{
	rlim_t left;
	char msg[256];

	(void)state;
	raise_in_child(100, 1000, 10, &left, msg, sizeof(msg));
	assert_int_equal(left, nofile_need(10));
	assert_string_equal(msg, "");
	/* high enough already: left alone */
	raise_in_child(900, 1000, 10, &left, msg, sizeof(msg));
	assert_int_equal(left, 900);
}

static void
test_hard_too_low(void **state)
{
	rlim_t left = 1;
	char msg[256];

	(void)state;
	raise_in_child(100, 200, 10, &left, msg, sizeof(msg));
	assert_int_equal(left, 0);
	assert_string_equal(msg, "10 outstations need up to 306 open files, "
	    "and the hard limit is 200 (LimitNOFILE= in the service unit, or "
	    "ulimit -Hn)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_need),
		cmocka_unit_test(test_raised_within_hard),
		cmocka_unit_test(test_hard_too_low),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
