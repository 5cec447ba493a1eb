/*
 * The hand-off ledger (listener/ledger.h): which CHAN_MASTER reports a
 * worker may send, given the hand-offs the listener made to it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ipc/channel.h"
#include "listener/ledger.h"

static struct handoff
peer(uint16_t port)
{
	struct handoff h = { .family = 4, .port = port,
	    .addr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 2 } };

	return h;
}

static void
connect_then_gone(void **state)
{
	struct ledger l;
	struct handoff a = peer(1000);

	(void)state;
	ledger_init(&l, 4);
	assert_null(ledger_open(&l));
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_pending(&l), 1);
	assert_int_equal(ledger_report(&l, true, &a), 0);
	assert_int_equal(ledger_pending(&l), 0);
	assert_int_equal(ledger_open(&l)->port, 1000);
	/* The same connection cannot be connected twice. */
	assert_int_equal(ledger_report(&l, true, &a), -1);
	assert_int_equal(ledger_report(&l, false, &a), 0);
	assert_null(ledger_open(&l));
	/* Nor gone twice. */
	assert_int_equal(ledger_report(&l, false, &a), -1);
}

static void
never_handed_is_a_lie(void **state)
{
	struct ledger l;
	struct handoff a = peer(1000), b = peer(1001), c = peer(1000);

	(void)state;
	ledger_init(&l, 4);
	assert_int_equal(ledger_report(&l, true, &a), -1);
	assert_int_equal(ledger_report(&l, false, &a), -1);
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_report(&l, true, &b), -1);
	c.server = 1;			/* same peer, other endpoint */
	assert_int_equal(ledger_report(&l, true, &c), -1);
	c = a;
	c.addr[15] = 3;
	assert_int_equal(ledger_report(&l, false, &c), -1);
	/* A lie changes nothing. */
	assert_int_equal(ledger_pending(&l), 1);
	assert_null(ledger_open(&l));
}

/*
 * accept = "keep": refusals settle the pending entries up to the refused
 * one and leave the open master open; the open one cannot be refused.
 */
static void
refused_keeps_the_open_master(void **state)
{
	struct ledger l;
	struct handoff a = peer(1000), b = peer(1001), c = peer(1002),
	    d = peer(1003);

	(void)state;
	ledger_init(&l, 4);
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_CONNECTED, &a), 0);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_REFUSED, &a), -1);
	assert_int_equal(ledger_add(&l, &b), 0);
	assert_int_equal(ledger_add(&l, &c), 0);
	assert_int_equal(ledger_add(&l, &d), 0);
	assert_int_equal(ledger_pending(&l), 3);
	/* c's report carries b's refusal too */
	assert_int_equal(ledger_report(&l, CHAN_MASTER_REFUSED, &c), 0);
	assert_int_equal(ledger_pending(&l), 1);
	assert_int_equal(ledger_open(&l)->port, 1000);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_REFUSED, &b), -1);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_GONE, &a), 0);
	assert_null(ledger_open(&l));
	/* without an open master a refusal just settles */
	assert_int_equal(ledger_report(&l, CHAN_MASTER_REFUSED, &d), 0);
	assert_int_equal(ledger_pending(&l), 0);
	assert_null(ledger_open(&l));
}

/* A replaced master's reports may be folded into the latest one. */
static void
folded_reports_settle_older_entries(void **state)
{
	struct ledger l;
	struct handoff a = peer(1), b = peer(2), c = peer(3);

	(void)state;
	ledger_init(&l, 4);
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_report(&l, true, &a), 0);
	assert_int_equal(ledger_add(&l, &b), 0);
	assert_int_equal(ledger_add(&l, &c), 0);
	assert_int_equal(ledger_pending(&l), 2);
	/* b's connected and gone never came; c's connected did. */
	assert_int_equal(ledger_report(&l, true, &c), 0);
	assert_int_equal(ledger_open(&l)->port, 3);
	assert_int_equal(ledger_pending(&l), 0);
	/* a and b are settled: reports about them are lies now. */
	assert_int_equal(ledger_report(&l, false, &a), -1);
	assert_int_equal(ledger_report(&l, true, &b), -1);
	/* gone for a pending one (its connected folded in) */
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_report(&l, false, &a), 0);
	assert_null(ledger_open(&l));
	assert_int_equal(ledger_pending(&l), 0);
}

/* A port used again: the oldest entry is the one reported. */
static void
same_peer_twice(void **state)
{
	struct ledger l;
	struct handoff a = peer(7);

	(void)state;
	ledger_init(&l, 4);
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_add(&l, &a), 0);
	assert_int_equal(ledger_report(&l, true, &a), 0);
	assert_int_equal(ledger_pending(&l), 1);
	/* the second one replaces the first */
	assert_int_equal(ledger_report(&l, true, &a), 0);
	assert_int_equal(ledger_pending(&l), 0);
	assert_non_null(ledger_open(&l));
	assert_int_equal(ledger_report(&l, true, &a), -1);
}

/* Hand-offs in flight are bounded; the open one does not count. */
static void
pending_is_bounded(void **state)
{
	struct ledger l;
	struct handoff h;

	(void)state;
	ledger_init(&l, LEDGER_PENDING_MAX + 100);
	assert_int_equal(l.max_pending, LEDGER_PENDING_MAX);
	ledger_init(&l, 0);
	assert_int_equal(l.max_pending, 1);
	ledger_init(&l, 3);
	for (uint16_t i = 0; i < 3; i++) {
		h = peer(i);
		assert_int_equal(ledger_add(&l, &h), 0);
	}
	h = peer(99);
	assert_int_equal(ledger_add(&l, &h), -1);
	h = peer(0);
	assert_int_equal(ledger_report(&l, true, &h), 0);
	h = peer(99);
	assert_int_equal(ledger_add(&l, &h), 0);
	assert_int_equal(ledger_add(&l, &h), -1);
	/* Around the ring many times, settling as a worker would. */
	ledger_init(&l, LEDGER_PENDING_MAX);
	for (uint16_t i = 0; i < 1000; i++) {
		h = peer(i);
		assert_int_equal(ledger_add(&l, &h), 0);
		if (i % 5 == 4) {
			assert_int_equal(ledger_report(&l, true, &h), 0);
			assert_int_equal(ledger_pending(&l), 0);
		}
	}
}

/* A descriptor standing for a master's socket: one end of a pipe (the
   other end is closed at once). */
static int
sock(void)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	close(p[1]);
	return p[0];
}

static bool
is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/*
 * The listener's copies of the sockets: closed as their entries settle
 * (refused, replaced, gone); the open one is taken at the worker's death
 * and the rest closed by ledger_clear().
 */
static void
copies_closed_as_settled(void **state)
{
	struct ledger l;
	struct handoff a = peer(1), b = peer(2), c = peer(3), h;
	int fa = sock(), fb = sock(), fc = sock(), fd;

	(void)state;
	ledger_init(&l, 4);
	assert_int_equal(ledger_add_fd(&l, &a, fa), 0);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_CONNECTED, &a), 0);
	assert_int_equal(ledger_add_fd(&l, &b, fb), 0);
	assert_int_equal(ledger_add_fd(&l, &c, fc), 0);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_REFUSED, &c), 0);
	assert_false(is_open(fb));
	assert_false(is_open(fc));
	assert_true(is_open(fa));
	fd = ledger_take(&l, &h);
	assert_int_equal(fd, fa);
	assert_int_equal(h.port, 1);
	ledger_clear(&l);
	assert_true(is_open(fa));	/* taken: the caller's now */
	close(fa);

	fa = sock();
	fb = sock();
	ledger_init(&l, 4);
	assert_int_equal(ledger_add_fd(&l, &a, fa), 0);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_CONNECTED, &a), 0);
	assert_int_equal(ledger_add_fd(&l, &b, fb), 0);
	assert_int_equal(ledger_report(&l, CHAN_MASTER_CONNECTED, &b), 0);
	assert_false(is_open(fa));	/* replaced */
	assert_int_equal(ledger_report(&l, CHAN_MASTER_GONE, &b), 0);
	assert_false(is_open(fb));
	assert_int_equal(ledger_take(&l, &h), -1);

	/* Pending, never taken: closed by clear; none to keep. */
	fa = sock();
	ledger_init(&l, 4);
	assert_int_equal(ledger_add_fd(&l, &a, fa), 0);
	assert_int_equal(ledger_take(&l, &h), -1);
	ledger_clear(&l);
	assert_false(is_open(fa));
}

/* The socket handed back to a worker that died before taking it is
   still the master's connection: kept again. */
static void
resumed_pending_is_kept(void **state)
{
	struct ledger l;
	struct handoff a = peer(1), h;
	int fa = sock();

	(void)state;
	a.resumed = true;
	ledger_init(&l, 4);
	assert_int_equal(ledger_add_fd(&l, &a, fa), 0);
	assert_int_equal(ledger_take(&l, &h), fa);
	assert_true(h.resumed);
	ledger_clear(&l);
	assert_true(is_open(fa));
	close(fa);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_then_gone),
		cmocka_unit_test(never_handed_is_a_lie),
		cmocka_unit_test(folded_reports_settle_older_entries),
		cmocka_unit_test(refused_keeps_the_open_master),
		cmocka_unit_test(same_peer_twice),
		cmocka_unit_test(pending_is_bounded),
		cmocka_unit_test(copies_closed_as_settled),
		cmocka_unit_test(resumed_pending_is_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
