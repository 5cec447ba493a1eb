/* libs: workercore listenercore */
/*
 * The worker's side of the channel and its master connection, in one
 * process: the configuration must arrive whole and valid; a master socket
 * (one end of a socketpair standing in for TCP) gets its link replies as
 * bytes, is replaced by the next one (the old peer sees EOF), and is closed
 * or not on a malformed frame according to the link error mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>
#include <cmocka.h>

#include "dnp3/link/crc.h"
#include "ipc/channel.h"
#include "listener/config_load.h"
#include "worker/worker.h"

static struct dnp3d_config dflt;
static struct worker w;

static int
load_default(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(config_load(NULL, &dflt, err, sizeof(err)), 0);
	assert_true(dflt.outstation_count >= 1);
	return 0;
}

static int
free_default(void **state)
{
	(void)state;
	worker_free(&w);
	config_free(&dflt);
	return 0;
}

static void
chanpair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
	    0, sv), 0);
}

static void
config_accepted_when_whole_and_valid(void **state)
{
	struct outstation_config got;
	int sv[2];
	(void)state;

	chanpair(sv);
	assert_int_equal(chan_send(sv[0], CHAN_CONFIG, &dflt.outstations[0],
	    sizeof(got)), 0);
	assert_int_equal(worker_recv_config(sv[1], &got), 0);
	assert_memory_equal(&got, &dflt.outstations[0], sizeof(got));
	close(sv[0]);
	close(sv[1]);
}

static void
config_refused_otherwise(void **state)
{
	struct outstation_config got, bad = dflt.outstations[0];
	int sv[2];
	(void)state;

	chanpair(sv);
	/* One byte short. */
	chan_send(sv[0], CHAN_CONFIG, &bad, sizeof(bad) - 1);
	assert_int_equal(worker_recv_config(sv[1], &got), -1);
	/* Not a config at all. */
	chan_send(sv[0], CHAN_READY, NULL, 0);
	assert_int_equal(worker_recv_config(sv[1], &got), -1);
	/* Right size, invalid content: a name that is not [A-Za-z0-9_-]. */
	strcpy(bad.name, "no spaces");
	chan_send(sv[0], CHAN_CONFIG, &bad, sizeof(bad));
	assert_int_equal(worker_recv_config(sv[1], &got), -1);
	/* Unterminated string. */
	bad = dflt.outstations[0];
	memset(bad.endpoint, 'x', sizeof(bad.endpoint));
	chan_send(sv[0], CHAN_CONFIG, &bad, sizeof(bad));
	assert_int_equal(worker_recv_config(sv[1], &got), -1);
	/* The listener went away. */
	close(sv[0]);
	assert_int_equal(worker_recv_config(sv[1], &got), -1);
	close(sv[1]);
}

static void
fresh_worker(enum link_error_mode mode)
{
	struct outstation_config cfg = dflt.outstations[0];

	cfg.link_error_mode = mode;
	worker_free(&w);	/* the one before, if any */
	worker_init(&w, -1, &cfg, -1, NULL);
}

/* A master 127.0.0.N: one end of a stream socketpair, the other adopted. */
static int
master(const char *ip_last)
{
	struct handoff h = { .family = 4, .port = 40000,
	    .addr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 0 } };
	int sv[2];

	h.addr[15] = (uint8_t)(ip_last[0] - '0');
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	worker_conn_adopt(&w, sv[1], &h);
	assert_int_equal(w.conn.fd, sv[1]);
	return sv[0];
}

static void
request_link_status(uint8_t f[10], uint16_t dest)
{
	const uint8_t hdr[8] = { 0x05, 0x64, 0x05, 0xC9,
	    (uint8_t)dest, (uint8_t)(dest >> 8), 0x01, 0x00 };
	memcpy(f, hdr, 8);
	crc_dnp_append(f, 8);
}

/* The peer's next bytes within a second; 0 means EOF. */
static ssize_t
peer_read(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 1000) != 1)
		return -1;
	return read(fd, buf, cap);
}

static void
expect_link_status(int m)
{
	uint8_t want[10] = { 0x05, 0x64, 0x05, 0x0B, 0x01, 0x00,
	    (uint8_t)dflt.outstations[0].address,
	    (uint8_t)(dflt.outstations[0].address >> 8) };
	uint8_t got[64];

	crc_dnp_append(want, 8);
	assert_int_equal(peer_read(m, got, sizeof(got)), 10);
	assert_memory_equal(got, want, 10);
}

static void
answers_and_is_replaced(void **state)
{
	uint8_t f[10], b[16];
	(void)state;

	fresh_worker(LINK_ERROR_CLOSE);
	int a = master("2");
	request_link_status(f, dflt.outstations[0].address);
	assert_int_equal(write(a, f, sizeof(f)), 10);
	worker_app_read(&w, timer_now());
	expect_link_status(a);
	assert_string_equal(w.conn.peer, "127.0.0.2:40000");

	int b2 = master("3");
	assert_int_equal(peer_read(a, b, sizeof(b)), 0);	/* EOF */
	assert_string_equal(w.conn.peer, "127.0.0.3:40000");
	/* Two frames in one write: both answered, in one write. */
	uint8_t two[20];
	memcpy(two, f, 10);
	memcpy(two + 10, f, 10);
	assert_int_equal(write(b2, two, sizeof(two)), 20);
	worker_app_read(&w, timer_now());
	uint8_t got[64];
	assert_int_equal(peer_read(b2, got, sizeof(got)), 20);
	assert_memory_equal(got, got + 10, 10);

	/* Many frames in one read: every one answered. */
	static uint8_t many[100 * 10], replies[100 * 10 + 1];
	for (int i = 0; i < 100; i++)
		memcpy(many + 10 * i, f, 10);
	assert_int_equal(write(b2, many, sizeof(many)), (ssize_t)sizeof(many));
	worker_app_read(&w, timer_now());
	assert_int_equal(peer_read(b2, replies, sizeof(replies)), 1000);
	for (int i = 1; i < 100; i++)
		assert_memory_equal(replies + 10 * i, replies, 10);

	/* A frame for another link address gets no answer. */
	request_link_status(f, dflt.outstations[0].address + 1);
	assert_int_equal(write(b2, f, sizeof(f)), 10);
	worker_app_read(&w, timer_now());
	assert_int_equal(peer_read(b2, got, sizeof(got)), -1);

	close(b2);
	worker_app_read(&w, timer_now());
	assert_int_equal(w.conn.fd, -1);
	close(a);
}

static void
close_mode_closes_on_bad_crc(void **state)
{
	uint8_t f[10], b[16];
	(void)state;

	fresh_worker(LINK_ERROR_CLOSE);
	int m = master("4");
	request_link_status(f, dflt.outstations[0].address);
	f[9] ^= 0x55;
	assert_int_equal(write(m, f, sizeof(f)), 10);
	worker_app_read(&w, timer_now());
	assert_int_equal(w.conn.fd, -1);
	assert_int_equal(peer_read(m, b, sizeof(b)), 0);
	close(m);
}

static void
discard_mode_skips_bad_bytes(void **state)
{
	uint8_t in[3 + 10 + 10], f[10];
	(void)state;

	fresh_worker(LINK_ERROR_DISCARD);
	int m = master("5");
	request_link_status(f, dflt.outstations[0].address);
	memcpy(in, "\x01\x02\x03", 3);
	memcpy(in + 3, f, 10);
	in[3 + 9] ^= 0x55;		/* bad header CRC */
	memcpy(in + 13, f, 10);		/* then a good frame */
	assert_int_equal(write(m, in, sizeof(in)), (ssize_t)sizeof(in));
	worker_app_read(&w, timer_now());
	assert_true(w.conn.fd >= 0);
	expect_link_status(m);
	assert_true(w.session.parser.stats.discarded >= 13);
	worker_conn_close(&w, WDISC_SHUTDOWN);
	close(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_accepted_when_whole_and_valid),
		cmocka_unit_test(config_refused_otherwise),
		cmocka_unit_test(answers_and_is_replaced),
		cmocka_unit_test(close_mode_closes_on_bad_crc),
		cmocka_unit_test(discard_mode_skips_bad_bytes),
	};
	return cmocka_run_group_tests(tests, load_default, free_default);
}
