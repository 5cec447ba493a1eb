/* libs: policy */
/*
 * bus_preload(): after it, a process whose every open() is fatal (the
 * sandboxes' seccomp) can do what the bus code and nanomsg's threads do.
 * Each case runs in a child with a filter that kills on open/openat and
 * allows all else; alarm() bounds it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <execinfo.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/event.h"

#define CHILD_BOUND_S	20

/* What nanomsg's thread does when hundreds of clients leave at once:
   frees much at once, enough for glibc to trim the arena it freed to. */
static void *
churn(void *arg)
{
	enum { N = 512, SIZE = 32 * 1024 };
	void **p = malloc(N * sizeof(*p));

	(void)arg;
	if (p == NULL)
		_exit(2);
	for (int i = 0; i < N; i++)
		if ((p[i] = malloc(SIZE)) == NULL)
			_exit(2);
	for (int i = 0; i < N; i++)
		free(p[i]);
	free(p);
	return NULL;
}

static void
open_is_fatal(void)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);

	if (c == NULL ||
	    seccomp_rule_add(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(open), 0) ||
	    seccomp_rule_add(c, SCMP_ACT_KILL_PROCESS, SCMP_SYS(openat), 0) ||
	    seccomp_load(c))
		_exit(3);
	seccomp_release(c);
}

/* What the bus code does after the lockdown: nanomsg's thread frees,
   an assertion's backtrace, an event stamped with the time and encoded
   (bus_event_stamp(): gmtime_r(), jansson's hash tables). */
static void
bus_work(void)
{
	pthread_t t;
	void *frame[8];
	struct bus_event ev;
	char buf[BUS_EVENT_MAX];
	uint64_t seq = 0;

	if (pthread_create(&t, NULL, churn, NULL) != 0 ||
	    pthread_join(t, NULL) != 0)
		_exit(4);
	(void)backtrace(frame, 8);
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_PONG;
	ev.u.pong.id = 1;
	if (bus_event_stamp(&ev, "hub", &seq, buf, sizeof(buf)) < 0)
		_exit(5);
}

/* How a child that ran bus_work() after the filter ended (waitpid's
   status); with_preload: bus_preload() first, as the processes do. */
static int
child_status(int with_preload)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		alarm(CHILD_BOUND_S);
		if (with_preload)
			bus_preload();
		open_is_fatal();
		bus_work();
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void
test_preloaded_bus_work_opens_nothing(void **state)
{
	int st = child_status(1);

	(void)state;
	if (WIFSIGNALED(st))
		fail_msg("killed by signal %d (SIGSYS: it opened a file)",
		    WTERMSIG(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

#ifndef __SANITIZE_ADDRESS__
/* The filter does catch what bus_preload() prevents: without it, the
   thread's free is fatal. (Not with ASan, whose malloc has no arenas.) */
static void
test_without_preload_a_free_is_fatal(void **state)
{
	int st = child_status(0);

	(void)state;
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preloaded_bus_work_opens_nothing),
#ifndef __SANITIZE_ADDRESS__
		cmocka_unit_test(test_without_preload_a_free_is_fatal),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
