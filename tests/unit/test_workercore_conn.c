/* libs: dnp3os dnp3link bus */
/*
 * The worker's master connection over a real socket pair, and its bus
 * socket as the hub sees it: a frame with a wrong destination or source
 * is logged and published once per connection, naming both addresses;
 * a control answered from the bus reaches the master as link frames
 * through the same path as every other response (worker_app_send).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus.h"
#include "dnp3/app/app.h"
#include "dnp3/link/link.h"
#include "ipc/channel.h"
#include "worker/hub_link.h"
#include "worker/worker.h"
#include "test_bus_fixture.h"

#define OS_ADDR		10
#define MASTER_ADDR	1

static char dir[64], logpath[96];
static int app = -1;		/* the hub's end of the worker's bus socket */
static struct worker w;
static int master = -1;		/* the master's end of the socket pair */
static int saved_stderr = -1;

/* The next message the worker publishes, NULL after ms. */
static json_t *
next_within(int ms)
{
	return bus_fixture_next(app, ms);
}

static json_t *
next(void)
{
	json_t *o = next_within(2000);

	if (o == NULL)
		fail_msg("no message within 2 s");
	return o;
}

/* A new master: the worker adopts one end, the test keeps the other. */
static void
connect_master(uint8_t last_octet)
{
	struct handoff h;
	json_t *o;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	memset(&h, 0, sizeof(h));
	h.family = 4;
	h.port = 40000;
	h.addr[10] = h.addr[11] = 0xff;
	h.addr[12] = 127;
	h.addr[15] = last_octet;
	if (master >= 0)
		close(master);
	master = sv[1];
	worker_conn_adopt(&w, sv[0], &h);
	/* "disconnected" (replaced) of the old one first, then "connected" */
	while ((o = next()) != NULL) {
		int conn = strcmp(str(o, "event"), "connected") == 0;
		json_decref(o);
		if (conn)
			break;
	}
}

/* A link header-only frame (request link status) from src to dest. */
static void
send_status_request(uint16_t dest, uint16_t src)
{
	struct link_header hd = { .dir = true, .prm = true,
	    .func = LINK_PRI_REQUEST_LINK_STATUS, .dest = dest, .src = src };
	uint8_t f[LINK_HEADER_LEN];

	assert_int_equal(link_frame_encode(f, sizeof(f), &hd, NULL, 0),
	    LINK_HEADER_LEN);
	assert_int_equal(write(master, f, sizeof(f)), sizeof(f));
	worker_app_read(&w, timer_now());
}

/* What the worker sent the master, at most cap bytes (0: nothing). */
static size_t
master_recv(uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, 200) != 1)
		return 0;
	n = read(master, buf, cap);
	assert_true(n > 0);
	return (size_t)n;
}

/* Times the log (this process's stderr) has the line. */
static int
log_count(const char *needle)
{
	static char text[65536];
	const char *p = text;
	ssize_t n;
	int fd, count = 0;

	assert_true((fd = open(logpath, O_RDONLY)) >= 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	assert_true(n >= 0);
	text[n] = '\0';
	while ((p = strstr(p, needle)) != NULL) {
		count++;
		p++;
	}
	return count;
}

static int
setup(void **state)
{
	struct outstation_config cfg;
	int fd, sv[2];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/dnp3d-wconn.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	assert_true((fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) >= 0);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	close(fd);
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "feeder-1");
	strcpy(cfg.endpoint, "127.0.0.1:20000");
	for (int t = 0; t < PT_COUNT; t++) {
		cfg.db[t].count = t == PT_OCTET_STRING ? 0 : 4;
		cfg.db[t].class = 1;
		cfg.db[t].event_buffer = 10;
	}
	cfg.confirm_ms = cfg.select_ms = 5000;
	cfg.frag_rx = cfg.frag_tx = 2048;
	cfg.max_controls = 8;
	cfg.controls = CONTROL_BUS;
	cfg.link_error_mode = LINK_ERROR_DISCARD;
	cfg.address = OS_ADDR;
	cfg.master = MASTER_ADDR;
	worker_init(&w, -1, &cfg, -1, NULL);
	assert_int_equal(worker_bus_open(&w), 0);
	worker_bus_control_init(&w);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	worker_bus_attach(sv[0]);
	app = sv[1];
	return 0;
}

static int
teardown(void **state)
{
	char path[160];
	ssize_t n;
	int fd;

	(void)state;
	worker_conn_close(&w, WDISC_SHUTDOWN);
	if (master >= 0)
		close(master);
	master = -1;
	worker_bus_close();
	close(app);
	worker_free(&w);
	/* Everything logged (and cmocka's messages) to the real stderr. */
	dup2(saved_stderr, STDERR_FILENO);
	if ((fd = open(logpath, O_RDONLY)) >= 0) {
		while ((n = read(fd, path, sizeof(path))) > 0)
			if (write(STDERR_FILENO, path, (size_t)n) != n)
				break;
		close(fd);
	}
	close(saved_stderr);
	unlink(logpath);
	rmdir(dir);
	return 0;
}

static void
test_wrong_addresses_reported_once(void **state)
{
	static const char dest_msg[] = "127.0.0.2:40000: frame for link "
	    "address 11, this outstation is 10 (dropped; further ones not "
	    "logged on this connection)";
	static const char src_msg[] = "127.0.0.3:40000: frame from link "
	    "address 2, expected master 1 (dropped; further ones not logged "
	    "on this connection)";
	uint8_t buf[64];
	json_t *o;

	(void)state;
	connect_master(2);
	send_status_request(11, MASTER_ADDR);
	send_status_request(11, MASTER_ADDR);	/* not reported again */
	send_status_request(OS_ADDR, 2);	/* nor this one */
	/* Dropped: no reply. A good frame is answered all the same. */
	assert_int_equal(master_recv(buf, sizeof(buf)), 0);
	send_status_request(OS_ADDR, MASTER_ADDR);
	assert_int_equal(master_recv(buf, sizeof(buf)), LINK_HEADER_LEN);
	assert_int_equal(buf[3] & 0x0F, 11);	/* LINK_STATUS */

	o = next();
	assert_string_equal(str(o, "event"), "link_error");
	assert_string_equal(str(o, "what"),
	    "frame for link address 11, this outstation is 10");
	assert_string_equal(str(o, "action"), "discarded");
	assert_int_equal(num(o, "discarded"), LINK_HEADER_LEN);
	assert_string_equal(str(o, "peer"), "127.0.0.2:40000");
	json_decref(o);
	assert_null(next_within(300));
	assert_int_equal(log_count(dest_msg), 1);
	assert_int_equal(log_count("further ones not logged"), 1);

	/* The next connection is reported afresh. */
	connect_master(3);
	send_status_request(OS_ADDR, 2);
	send_status_request(OS_ADDR, 2);
	o = next();
	assert_string_equal(str(o, "event"), "link_error");
	assert_string_equal(str(o, "what"),
	    "frame from link address 2, expected master 1");
	assert_int_equal(num(o, "discarded"), LINK_HEADER_LEN);
	assert_string_equal(str(o, "peer"), "127.0.0.3:40000");
	json_decref(o);
	assert_null(next_within(300));
	assert_int_equal(log_count(src_msg), 1);
	assert_int_equal(w.session.station.stats.unknown_source, 2);
}

/* DIRECT_OPERATE of CROB 1 (latch on) as one link frame from the master. */
static void
send_direct_operate(void)
{
	static const uint8_t apdu[] = {
		0xC0,			/* transport: FIR FIN seq 0 */
		0xC0, DNP3_FC_DIRECT_OPERATE,
		12, 1, 0x28, 1, 0, 1, 0,	/* g12v1, 1 object, index 1 */
		0x03, 1, 100, 0, 0, 0, 0, 0, 0, 0, 0
	};
	struct link_station m;
	uint8_t f[LINK_MAX_FRAME];
	int n;

	link_station_init(&m, MASTER_ADDR, OS_ADDR, true, false);
	n = link_station_encode_data(&m, apdu, sizeof(apdu), f, sizeof(f));
	assert_true(n > 0);
	assert_int_equal(write(master, f, (size_t)n), n);
	worker_app_read(&w, timer_now());
}

static void
test_bus_answer_goes_through_app_send(void **state)
{
	uint8_t buf[512];
	json_t *o;
	json_int_t id;
	size_t n;

	(void)state;
	connect_master(2);
	send_direct_operate();
	o = next();
	assert_string_equal(str(o, "event"), "control_request");
	id = num(o, "id");
	json_decref(o);
	/* The master waits for the application. */
	assert_int_equal(master_recv(buf, sizeof(buf)), 0);
	assert_int_equal(w.session.stats.responses, 0);

	worker_bus_control_answer(&w, id, 0, timer_now());
	n = master_recv(buf, sizeof(buf));
	assert_true(n > LINK_HEADER_LEN + 3);
	assert_int_equal(buf[0], 0x05);
	assert_int_equal(buf[1], 0x64);
	assert_int_equal(buf[3], 0x44);		/* unconfirmed user data */
	assert_int_equal(buf[4] | buf[5] << 8, MASTER_ADDR);
	assert_int_equal(buf[6] | buf[7] << 8, OS_ADDR);
	assert_int_equal(buf[12], DNP3_FC_RESPONSE);
	/* Counted as every response is: one path for all output. */
	assert_int_equal(w.session.stats.responses, 1);
	assert_int_equal(w.conn.responses, 1);
	o = next();
	assert_string_equal(str(o, "event"), "control");
	assert_string_equal(str(o, "status"), "SUCCESS");
	json_decref(o);
}

/*
 * A control the outstation answered itself is held back until the
 * response is out: nothing on the bus or in the log before the flush; an
 * event published meanwhile goes after it (seq order kept); the master
 * it came from is named even when the connection has gone since.
 */
static void
test_control_published_after_response(void **state)
{
	struct os_control c = { .request = false, .func =
	    DNP3_FC_DIRECT_OPERATE, .type = PT_BINARY_OUTPUT, .index = 3,
	    .crob = { .code = DNP3_CROB_OP_LATCH_ON, .count = 1 } };
	struct bus_event ev = { .type = BUS_EV_DISCONNECTED };
	json_t *o;
	json_int_t seq;

	(void)state;
	connect_master(7);
	worker_bus_control_hook(&w, &c);
	assert_null(next_within(100));
	assert_int_equal(log_count("control from 127.0.0.7:40000"), 0);
	worker_bus_control_flush();
	o = next();
	assert_string_equal(str(o, "event"), "control");
	assert_string_equal(str(o, "peer"), "127.0.0.7:40000");
	json_decref(o);
	assert_int_equal(log_count("control from 127.0.0.7:40000: "
	    "direct_operate binary_output[3]: SUCCESS"), 1);

	worker_bus_control_hook(&w, &c);
	strcpy(w.conn.peer, "gone");	/* the peer string is reused */
	ev.outstation = w.cfg.name;
	assert_int_equal(worker_bus_emit(&ev), 0);
	o = next();
	assert_string_equal(str(o, "event"), "control");
	assert_string_equal(str(o, "peer"), "127.0.0.7:40000");
	seq = num(o, "seq");
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "event"), "disconnected");
	assert_int_equal(num(o, "seq"), seq + 1);
	json_decref(o);
	assert_null(next_within(100));	/* published once */
}

/*
 * Masters replacing each other in a loop: the first WORKER_REPLACE_BURST
 * replacements of a second are logged line by line, the rest once a
 * second as a count; the bus gets every event all the same.
 */
static void
test_replacement_storm_log_limited(void **state)
{
	uint64_t now;
	int events = 0;
	json_t *o;

	(void)state;
	for (int i = 0; i < 30; i++)
		connect_master((uint8_t)(2 + i % 2));
	/* connect_master waited for each "connected"; the 29 replacements
	   were each published too. */
	while ((o = next_within(300)) != NULL) {
		events++;
		json_decref(o);
	}
	assert_int_equal(events, 0);	/* all seen by connect_master */
	assert_int_equal(w.connections, 30);
	assert_int_equal(log_count("info: disconnected (replaced)"),
	    WORKER_REPLACE_BURST);
	assert_int_equal(log_count("info: connected 127.0.0."),
	    WORKER_REPLACE_BURST + 1);
	assert_int_equal(log_count("more replacements"), 0);

	/* A second later: one summary line with the count. */
	now = timer_now() + WORKER_REPLACE_WINDOW_MS;
	worker_report_tick(&w, now);
	assert_int_equal(log_count("info: 19 more replacements in the last "
	    "second (masters matching the same filter?); latest "
	    "127.0.0.3:40000"), 1);
	/* Still in the storm: counted, not logged. */
	connect_master(2);
	assert_int_equal(log_count("info: disconnected (replaced)"),
	    WORKER_REPLACE_BURST);
	worker_report_tick(&w, now + WORKER_REPLACE_WINDOW_MS);
	assert_int_equal(log_count("info: 1 more replacement in the last second"), 1);
	/* A quiet second ends it: the next replacement is logged again. */
	worker_report_tick(&w, now + 2 * WORKER_REPLACE_WINDOW_MS);
	w.replace_log.window_start = 0;		/* long ago */
	connect_master(3);
	assert_int_equal(log_count("info: disconnected (replaced)"),
	    WORKER_REPLACE_BURST + 1);
	assert_int_equal(log_count("more replacement"), 2);
}

/* The listener hears of every master adopted and lost (CHAN_MASTER). */
static void
test_listener_told_of_masters(void **state)
{
	static struct chan_msg m;
	struct handoff h;
	const char *why;
	char peer[HANDOFF_ADDRSTR_MAX];
	uint8_t connected;
	struct chan_pair p;

	(void)state;
	assert_int_equal(chan_pair_open(&p), 0);
	assert_int_equal(fcntl(p.from_worker, F_SETFL, O_NONBLOCK), 0);
	w.chan_out = p.worker_out;
	connect_master(2);
	connect_master(3);
	worker_conn_close(&w, WDISC_PEER_CLOSED);
	static const struct { bool connected; const char *peer; } want[] = {
		{ true, "127.0.0.2:40000" }, { false, "127.0.0.2:40000" },
		{ true, "127.0.0.3:40000" }, { false, "127.0.0.3:40000" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(chan_read(p.from_worker, &m), CHAN_OK);
		assert_int_equal(m.type, CHAN_MASTER);
		assert_int_equal(chan_master_decode(m.data, m.len, &connected,
		    &h, &why), 0);
		assert_int_equal(connected, want[i].connected);
		assert_string_equal(handoff_addrstr(&h, peer, sizeof(peer)),
		    want[i].peer);
	}
	assert_int_equal(chan_read(p.from_worker, &m), CHAN_ESYS);
	assert_int_equal(errno, EAGAIN);
	w.chan_out = -1;
	chan_pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_wrong_addresses_reported_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_bus_answer_goes_through_app_send, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_control_published_after_response, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_replacement_storm_log_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_listener_told_of_masters, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
