/*
 * The listener-worker channel over a real SOCK_SEQPACKET socketpair: a
 * descriptor really arrives, and every malformed record is refused with
 * every descriptor that came with it closed (checked with a pipe: its read
 * end sees EOF only when no copy of the write end is left anywhere).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "ipc/channel.h"
#include "ipc/handoff.h"

struct pair {
	int tx, rx;
	int pipe_r, pipe_w;
};

static int
setup(void **state)
{
	static struct pair p;
	int sv[2], pf[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
	    0, sv), 0);
	assert_int_equal(pipe2(pf, O_CLOEXEC | O_NONBLOCK), 0);
	p = (struct pair){ sv[0], sv[1], pf[0], pf[1] };
	*state = &p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair *p = *state;
	close(p->tx);
	close(p->rx);
	close(p->pipe_r);
	if (p->pipe_w >= 0)
		close(p->pipe_w);
	return 0;
}

/* Drops the test's own write end; then EOF on the read end proves that
 * the receiver kept no copy. */
static void
assert_no_write_end_left(struct pair *p)
{
	char c;
	close(p->pipe_w);
	p->pipe_w = -1;
	assert_int_equal(read(p->pipe_r, &c, 1), 0);
}

static void
send_raw(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(16 * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds > 0) {
		memset(cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	assert_int_equal(sendmsg(sock, &msg, 0), (ssize_t)len);
}

/* A well-formed header for a record of the given type and payload. */
static size_t
record(uint8_t *buf, uint16_t type, uint32_t len)
{
	const uint8_t hdr[CHAN_HDR_LEN] = { 'D', '3', 'C', 'H', 1, 0,
	    (uint8_t)type, (uint8_t)(type >> 8), (uint8_t)len,
	    (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24) };
	memcpy(buf, hdr, sizeof(hdr));
	memset(buf + CHAN_HDR_LEN, 0xa5, len);
	return CHAN_HDR_LEN + len;
}

static void
descriptor_arrives_and_works(void **state)
{
	struct pair *p = *state;
	struct handoff h = { .family = 4, .port = 40000, .server = 1,
	    .addr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 2 } };
	uint8_t hb[HANDOFF_LEN];
	struct chan_msg m;
	char c = 0;

	handoff_encode(&h, hb);
	assert_int_equal(chan_send_fd(p->tx, CHAN_CONNECTION, hb, sizeof(hb), p->pipe_w), 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_CONNECTION);
	assert_int_equal(m.len, HANDOFF_LEN);
	assert_memory_equal(m.data, hb, HANDOFF_LEN);
	assert_true(m.fd >= 0);
	assert_int_not_equal(m.fd, p->pipe_w);
	assert_true(fcntl(m.fd, F_GETFD) & FD_CLOEXEC);

	assert_int_equal(write(m.fd, "x", 1), 1);
	assert_int_equal(read(p->pipe_r, &c, 1), 1);
	assert_int_equal(c, 'x');
	close(m.fd);
	assert_no_write_end_left(p);
}

static void
plain_messages_round_trip(void **state)
{
	struct pair *p = *state;
	struct chan_msg m;

	assert_int_equal(chan_send(p->rx, CHAN_READY, NULL, 0), 0);
	assert_int_equal(chan_recv(p->tx, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_READY);
	assert_int_equal(m.len, 0);
	assert_int_equal(m.fd, -1);

	assert_int_equal(chan_send(p->tx, CHAN_CONFIG, "abc", 3), 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_CONFIG);
	assert_int_equal(m.len, 3);
	assert_memory_equal(m.data, "abc", 3);
}

static void
oversized_record_refused_and_fd_closed(void **state)
{
	struct pair *p = *state;
	static uint8_t buf[CHAN_HDR_LEN + CHAN_PAYLOAD_MAX + 1];
	struct chan_msg m;

	size_t n = record(buf, CHAN_CONNECTION, CHAN_PAYLOAD_MAX + 1);
	send_raw(p->tx, buf, n, &p->pipe_w, 1);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_ETRUNC);
	assert_int_equal(m.fd, -1);
	assert_no_write_end_left(p);

	errno = 0;
	assert_int_equal(chan_send(p->tx, CHAN_CONFIG, buf,
	    CHAN_PAYLOAD_MAX + 1), -1);
	assert_int_equal(errno, EMSGSIZE);
}

static void
ctrunc_refused_and_nothing_left_open(void **state)
{
	struct pair *p = *state;
	uint8_t buf[64];
	int fds[12];
	struct chan_msg m;

	/* More descriptors than the receiver has room for: MSG_CTRUNC. */
	for (int i = 0; i < 12; i++)
		fds[i] = p->pipe_w;
	size_t n = record(buf, CHAN_CONNECTION, HANDOFF_LEN);
	send_raw(p->tx, buf, n, fds, 12);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_ECTRUNC);
	assert_int_equal(m.fd, -1);
	assert_string_equal(chan_strerror(CHAN_ECTRUNC),
	    "control data truncated (descriptors lost)");
	assert_no_write_end_left(p);
}

static void
two_descriptors_refused(void **state)
{
	struct pair *p = *state;
	uint8_t buf[64];
	int fds[2] = { p->pipe_w, p->pipe_w };
	struct chan_msg m;

	size_t n = record(buf, CHAN_CONNECTION, HANDOFF_LEN);
	send_raw(p->tx, buf, n, fds, 2);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_EFDS);
	assert_no_write_end_left(p);
}

static void
wrong_magic_refused_and_fd_closed(void **state)
{
	struct pair *p = *state;
	uint8_t buf[64];
	struct chan_msg m;

	size_t n = record(buf, CHAN_CONNECTION, HANDOFF_LEN);
	buf[0] = 'X';
	send_raw(p->tx, buf, n, &p->pipe_w, 1);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_EMAGIC);
	assert_int_equal(m.fd, -1);
	assert_string_equal(chan_strerror(CHAN_EMAGIC), "bad magic");
	assert_no_write_end_left(p);
}

static void
header_fields_checked(void **state)
{
	struct pair *p = *state;
	uint8_t buf[64];
	struct chan_msg m;
	size_t n;

	n = record(buf, CHAN_READY, 0);
	buf[4] = 2;
	send_raw(p->tx, buf, n, NULL, 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_EVERSION);

	n = record(buf, CHAN_CONFIG, 8);
	buf[8] = 9;		/* says 9, carries 8 */
	send_raw(p->tx, buf, n, NULL, 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_ELENGTH);

	n = record(buf, 99, 0);
	send_raw(p->tx, buf, n, NULL, 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_ETYPE);

	send_raw(p->tx, buf, CHAN_HDR_LEN - 1, NULL, 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_ESHORT);
}

static void
descriptor_only_with_connection(void **state)
{
	struct pair *p = *state;
	uint8_t buf[64];
	struct chan_msg m;

	/* A descriptor on a READY is refused (and closed). */
	size_t n = record(buf, CHAN_READY, 0);
	send_raw(p->rx, buf, n, &p->pipe_w, 1);
	assert_int_equal(chan_recv(p->tx, &m), CHAN_EFDS);
	assert_int_equal(m.fd, -1);

	/* A CONNECTION without one is refused too. */
	n = record(buf, CHAN_CONNECTION, HANDOFF_LEN);
	send_raw(p->tx, buf, n, NULL, 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_EFDS);
	assert_no_write_end_left(p);
}

/* CHAN_MASTER: the worker's news about its master, checked byte by byte. */
static void
master_message_round_trip_and_checks(void **state)
{
	struct pair *p = *state;
	struct handoff h = { .family = 6, .port = 5000, .server = 2,
	    .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 } }, got;
	uint8_t pl[CHAN_MASTER_LEN], bad[CHAN_MASTER_LEN + 1];
	struct chan_msg m;
	const char *why = NULL;
	uint8_t connected = 0;

	chan_master_encode(pl, true, &h);
	assert_int_equal(pl[0], 1);
	assert_int_equal(chan_send(p->tx, CHAN_MASTER, pl, sizeof(pl)), 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_MASTER);
	assert_int_equal(m.fd, -1);
	assert_string_equal(chan_type_name(m.type), "master");
	assert_int_equal(chan_master_decode(m.data, m.len, &connected, &got,
	    &why), 0);
	assert_true(connected);
	assert_int_equal(got.family, 6);
	assert_int_equal(got.port, 5000);
	assert_int_equal(got.server, 2);
	assert_memory_equal(got.addr, h.addr, 16);

	chan_master_encode(pl, false, &h);
	assert_int_equal(chan_master_decode(pl, sizeof(pl), &connected, &got,
	    &why), 0);
	assert_false(connected);

	/* Length must be exact. */
	assert_int_equal(chan_master_decode(pl, sizeof(pl) - 1, &connected,
	    &got, &why), -1);
	assert_string_equal(why, "wrong length");
	memcpy(bad, pl, sizeof(pl));
	bad[CHAN_MASTER_LEN] = 0;
	assert_int_equal(chan_master_decode(bad, sizeof(bad), &connected,
	    &got, &why), -1);
	/* State byte: 0, 1 or 2 (refused) only. */
	chan_master_encode(pl, CHAN_MASTER_REFUSED, &h);
	assert_int_equal(chan_master_decode(pl, sizeof(pl), &connected, &got,
	    &why), 0);
	assert_int_equal(connected, CHAN_MASTER_REFUSED);
	pl[0] = 3;
	assert_int_equal(chan_master_decode(pl, sizeof(pl), &connected, &got,
	    &why), -1);
	assert_string_equal(why, "state is not 0, 1 or 2");
	/* The hand-off header inside is checked as the worker checks it. */
	chan_master_encode(pl, true, &h);
	pl[1] ^= 0xff;			/* magic */
	assert_int_equal(chan_master_decode(pl, sizeof(pl), &connected, &got,
	    &why), -1);
	chan_master_encode(pl, true, &h);
	pl[1 + 5] = 5;			/* family */
	assert_int_equal(chan_master_decode(pl, sizeof(pl), &connected, &got,
	    &why), -1);

	/* A descriptor never comes with it. */
	chan_master_encode(pl, true, &h);
	assert_int_equal(chan_send_fd(p->tx, CHAN_MASTER, pl, sizeof(pl), p->pipe_w), 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_EFDS);
	assert_int_equal(m.fd, -1);
	assert_no_write_end_left(p);
	/* Types from CHAN_TYPE_END on are unknown. */
	assert_int_equal(chan_send(p->tx, CHAN_TYPE_END, NULL, 0), 0);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_ETYPE);
}

static void
eof_reported(void **state)
{
	struct pair *p = *state;
	struct chan_msg m;

	shutdown(p->tx, SHUT_WR);
	assert_int_equal(chan_recv(p->rx, &m), CHAN_EOF);
}

/*
 * Issue 21, finding 1: nothing, and above all no descriptor, travels from
 * the worker to the listener on the socketpair (the listener's end is shut
 * for reading: EPIPE), and the worker's pipe cannot carry one (ENOTSOCK).
 * The records the worker does send arrive on the pipe, one per packet.
 */
static void
worker_sends_no_descriptor(void **state)
{
	struct pair *p = *state;
	struct chan_pair cp;
	struct chan_msg m;
	uint8_t buf[64];
	size_t n = record(buf, CHAN_READY, 0);

	assert_int_equal(chan_pair_open(&cp), 0);
	errno = 0;
	assert_int_equal(send(cp.worker_in, buf, n, MSG_NOSIGNAL), -1);
	assert_int_equal(errno, EPIPE);
	errno = 0;
	assert_int_equal(chan_send_fd(cp.worker_in, CHAN_READY, NULL, 0,
	    p->pipe_w), -1);
	assert_int_equal(errno, EPIPE);
	errno = 0;
	assert_int_equal(chan_send_fd(cp.worker_out, CHAN_READY, NULL, 0,
	    p->pipe_w), -1);
	assert_int_equal(errno, ENOTSOCK);
	assert_no_write_end_left(p);	/* no copy arrived anywhere */

	/* Two records, two packets; then a bad one is refused. */
	assert_int_equal(chan_send(cp.worker_out, CHAN_READY, NULL, 0), 0);
	assert_int_equal(chan_send(cp.worker_out, CHAN_MASTER, "ab", 2), 0);
	assert_int_equal(write(cp.worker_out, "junk", 4), 4);
	assert_int_equal(chan_read(cp.from_worker, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_READY);
	assert_int_equal(m.fd, -1);
	assert_int_equal(chan_read(cp.from_worker, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_MASTER);
	assert_int_equal(m.len, 2);
	assert_int_equal(chan_read(cp.from_worker, &m), CHAN_ESHORT);
	/* The listener still sends to the worker. */
	assert_int_equal(chan_send(cp.to_worker, CHAN_STOP, NULL, 0), 0);
	assert_int_equal(chan_recv(cp.worker_in, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_STOP);
	close(cp.worker_out);
	cp.worker_out = -1;
	assert_int_equal(chan_read(cp.from_worker, &m), CHAN_EOF);
	chan_pair_close(&cp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(descriptor_arrives_and_works,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(plain_messages_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    oversized_record_refused_and_fd_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    ctrunc_refused_and_nothing_left_open, setup, teardown),
		cmocka_unit_test_setup_teardown(two_descriptors_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    wrong_magic_refused_and_fd_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(header_fields_checked,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(descriptor_only_with_connection,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    master_message_round_trip_and_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(eof_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(worker_sends_no_descriptor,
		    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
