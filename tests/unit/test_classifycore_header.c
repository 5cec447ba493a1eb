/*
 * The classifier's reading of a connection's first bytes (classify/
 * header.c) and of its table (classify/conns.c) over real sockets: the
 * verdict and destination it answers, that it never consumes a byte, and
 * the listener's check of an answer (ipc/classify_msg.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "classify/classify.h"
#include "dnp3/link/crc.h"
#include "dnp3/link/link.h"

/* A request link status from master 1 to dest, as a master sends it. */
static void
frame_to(uint8_t out[LINK_HEADER_LEN], uint16_t dest)
{
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_REQUEST_LINK_STATUS, .dest = dest, .src = 1 };

	assert_int_equal(link_frame_encode(out, LINK_HEADER_LEN, &h, NULL, 0),
	    LINK_HEADER_LEN);
}

static void
test_header_verdicts(void **state)
{
	struct classify_answer a;
	uint8_t f[LINK_HEADER_LEN];

	(void)state;
	frame_to(f, 20);
	assert_int_equal(classify_header(f, sizeof(f), false, &a), 1);
	assert_int_equal(a.verdict, CLASSIFY_ROUTE);
	assert_int_equal(a.address, 20);
	/* A part of the header: wait, unless the peer has closed. */
	assert_int_equal(classify_header(f, 9, false, &a), 0);
	assert_int_equal(classify_header(f, 9, true, &a), 1);
	assert_int_equal(a.verdict, CLASSIFY_CLOSED);
	assert_int_equal(classify_header(f, 0, true, &a), 1);
	assert_int_equal(a.verdict, CLASSIFY_CLOSED);
	frame_to(f, LINK_ADDR_BCAST_OPT);
	assert_int_equal(classify_header(f, sizeof(f), false, &a), 1);
	assert_int_equal(a.verdict, CLASSIFY_BROADCAST);
	assert_int_equal(a.address, 0xFFFF);
	/* Garbage shows at its first byte. */
	assert_int_equal(classify_header((const uint8_t *)"G", 1, false, &a),
	    1);
	assert_int_equal(a.verdict, CLASSIFY_BAD_START);
	frame_to(f, 20);
	f[8] ^= 1;
	assert_int_equal(classify_header(f, sizeof(f), false, &a), 1);
	assert_int_equal(a.verdict, CLASSIFY_BAD_CRC);
	frame_to(f, 20);
	f[2] = 4;
	crc_dnp_append(f, 8);
	assert_int_equal(classify_header(f, sizeof(f), false, &a), 1);
	assert_int_equal(a.verdict, CLASSIFY_BAD_LENGTH);
}

static void
test_answer_decode(void **state)
{
	struct classify_answer a = { .id = 7, .verdict = CLASSIFY_ROUTE,
	    .address = 30 }, b;
	uint8_t rec[CLASSIFY_ANSWER_LEN];
	const char *why = NULL;

	(void)state;
	classify_answer_encode(rec, &a);
	assert_int_equal(classify_answer_decode(rec, sizeof(rec), &b, &why), 0);
	assert_int_equal(b.id, 7);
	assert_int_equal(b.address, 30);
	assert_int_equal(classify_answer_decode(rec, 7, &b, &why), -1);
	assert_string_equal(why, "wrong length");
	rec[4] = CLASSIFY_VERDICT_END;
	assert_int_equal(classify_answer_decode(rec, sizeof(rec), &b, &why),
	    -1);
	assert_string_equal(why, "unknown verdict");
	rec[4] = CLASSIFY_ROUTE;
	rec[5] = 1;
	assert_int_equal(classify_answer_decode(rec, sizeof(rec), &b, &why),
	    -1);
	assert_string_equal(why, "padding not zero");
	a.address = 0xFFFD;	/* routed to a broadcast address: a lie */
	classify_answer_encode(rec, &a);
	assert_int_equal(classify_answer_decode(rec, sizeof(rec), &b, &why),
	    -1);
	assert_string_equal(why, "address does not fit the verdict");
	a.verdict = CLASSIFY_TIMEOUT;
	a.address = 10;
	classify_answer_encode(rec, &a);
	assert_int_equal(classify_answer_decode(rec, sizeof(rec), &b, &why),
	    -1);
}

/* One step of the loop after poll: what the table answered on out. */
static void
step(struct classifier *c, uint64_t now)
{
	int ms;
	nfds_t n = classify_poll_setup(c, now, &ms);

	assert_true(poll(c->pfd, n, 0) >= 0);
	classify_step(c, now);
}

static void
expect_answer(int in, uint32_t id, uint8_t verdict, uint16_t address)
{
	static struct chan_msg m;
	struct classify_answer a;
	const char *why;

	assert_int_equal(chan_read(in, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_CLASSIFY_ANSWER);
	assert_int_equal(classify_answer_decode(m.data, m.len, &a, &why), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(a.verdict, verdict);
	assert_int_equal(a.address, address);
}

/* Real sockets: the bytes stay for the worker; a silent one times out. */
static void
test_table(void **state)
{
	static struct classifier c;
	uint8_t f[LINK_HEADER_LEN], got[LINK_HEADER_LEN];
	int sv[2], quiet[2], pp[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, quiet), 0);
	assert_int_equal(pipe2(pp, O_DIRECT | O_NONBLOCK), 0);
	c.out = pp[1];
	c.chan = -1;
	assert_int_equal(classify_table_init(&c, 2), 0);
	frame_to(f, 30);
	assert_int_equal(write(sv[1], f, 5), 5);
	/* The worker's copy of the socket stays: the table closes its own. */
	assert_int_equal(classify_add(&c, dup(sv[0]), 1, 1000, 0), 0);
	assert_int_equal(classify_add(&c, dup(quiet[0]), 2, 100, 0), 0);
	assert_int_equal(classify_add(&c, dup(quiet[0]), 3, 100, 0), -1);
	step(&c, 1);
	assert_int_equal(c.count, 2);	/* half a header: look again */
	assert_int_equal(write(sv[1], f + 5, 5), 5);
	step(&c, 1 + CLASSIFY_RETRY_MS);
	expect_answer(pp[0], 1, CLASSIFY_ROUTE, 30);
	assert_int_equal(read(sv[0], got, sizeof(got)), sizeof(got));
	assert_memory_equal(got, f, sizeof(f));
	step(&c, 100);
	expect_answer(pp[0], 2, CLASSIFY_TIMEOUT, 0);
	assert_int_equal(c.count, 0);
	/* A new connection carries no news from the slot's last one (that
	   one had data): it waits for poll, answered nothing yet. */
	assert_int_equal(write(sv[1], f, sizeof(f)), sizeof(f));
	assert_int_equal(classify_add(&c, dup(sv[0]), 3, 100, 200), 0);
	step(&c, 200);
	expect_answer(pp[0], 3, CLASSIFY_ROUTE, 30);
	assert_int_equal(classify_add(&c, dup(quiet[0]), 4, 100, 200), 0);
	classify_step(&c, 200);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.conn[0].retry_at, 0);
	step(&c, 300);
	expect_answer(pp[0], 4, CLASSIFY_TIMEOUT, 0);
	close(sv[0]);
	close(sv[1]);
	close(quiet[0]);
	close(quiet[1]);
	close(pp[0]);
	close(pp[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_verdicts),
		cmocka_unit_test(test_answer_decode),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
