/* libs: policynanomsg */
/*
 * nanomsg's own thread keeps working under the worker filter: a kid joins
 * a bus hub and waits until it is connected (as worker_bus_open() does),
 * locks down, sends and receives, then survives the hub going away while
 * nanomsg's thread tries to reconnect: its socket(AF_UNIX) gets EPERM and
 * it backs off (a thread that existed before the filter: TSYNC).
 *
 * nanomsg is not fork-safe: the kid is forked before the parent makes its
 * first nanomsg socket, and this file holds only this one test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <nanomsg/nn.h>
#include <nanomsg/bus.h>

#include "test_policy_kid.h"

static char url[160];

static void
do_bus_member(struct kid *k)
{
	struct timespec pause = { 1, 500 * 1000 * 1000 };
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int s, n = -1, i, tmo = 100;
	char c, buf[16];

	if (read(k->in, &c, 1) != 1)	/* the hub is up */
		_exit(2);
	if ((s = nn_socket(AF_SP, NN_BUS)) < 0 || nn_connect(s, url) < 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo,
	    sizeof(tmo)) < 0)
		_exit(3);
	for (i = 0; i < 500 && nn_get_statistic(s,
	    NN_STAT_CURRENT_CONNECTIONS) < 1; i++)
		nanosleep(&tick, NULL);
	kid_lockdown(k);
	/* A bus drops what it sends before the connection is up: repeat. */
	for (i = 0; i < 50 && n != 4; i++) {
		if (nn_send(s, "ping", 4, 0) != 4)
			_exit(4);
		n = nn_recv(s, buf, sizeof(buf), 0);
	}
	if (n != 4 || memcmp(buf, "pong", 4) != 0)
		_exit(5);
	/* The hub closes now; nanomsg reconnects every 100 ms meanwhile. */
	kid_say(k, "R");
	if (read(k->in, &c, 1) != 1)
		_exit(6);
	nanosleep(&pause, NULL);
	nn_close(s);
	_exit(0);
}

static void
test_nanomsg_under_filter(void **state)
{
	char sock[128], buf[16], said[4], how[64];
	int hub, n, tmo = KID_WAIT_MS / 2, status;
	struct kid k;

	(void)state;
	snprintf(sock, sizeof(sock), "%s/bus.ipc", kid_tmp);
	snprintf(url, sizeof(url), "ipc://%s", sock);
	kid_spawn(&k, do_bus_member);
	assert_true((hub = nn_socket(AF_SP_RAW, NN_BUS)) >= 0);
	assert_true(nn_bind(hub, url) >= 0);
	assert_int_equal(chmod(sock, 0666), 0);	/* the kid is nobody */
	assert_int_equal(nn_setsockopt(hub, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo,
	    sizeof(tmo)), 0);
	kid_tell(&k, 'g');
	n = nn_recv(hub, buf, sizeof(buf), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "ping", 4);
	assert_int_equal(nn_send(hub, "pong", 4, 0), 4);
	kid_read(&k, said, 2);
	assert_string_equal(said, "R");
	nn_close(hub);
	unlink(sock);
	kid_tell(&k, 'c');
	status = kid_wait(&k);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		kid_describe(status, how, sizeof(how));
		fail_msg("bus member ended with %s", how);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nanomsg_under_filter),
	};

	return cmocka_run_group_tests(tests, kid_group_setup,
	    kid_group_teardown);
}
