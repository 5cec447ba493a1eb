/*
 * What the listener makes of a worker's CHAN_MASTER records (a real
 * SOCK_SEQPACKET pair): the master it serves is remembered, a record out
 * of place or malformed, or about a peer never handed to it, gets the
 * worker dropped, records left unread by a dead worker are still taken,
 * and a worker that dies with a master connected is reported as
 * "disconnected (worker died)" before its exit. And liveness: a worker
 * that leaves its channel unread for its bound is killed, one that reads
 * is pinged when idle. CHAN_STATE (whether a worker resumed its state)
 * and the crash-loop rule that counts only workers that resumed. And
 * server_hand_off() at a worker's bound of hand-offs pending: a worker
 * that has taken them and said so, in records not read yet, gets the
 * next master (integration_listener_storm found a master that reconnects
 * as soon as it is served refused); one that has said nothing is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <poll.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipc/channel.h"
#include "listener/server.h"
#include "listener/status.h"
#include "listener/supervise.h"

static struct outstation_config oc;
static struct wproc wp;
static struct supervisor sup;
static int worker_end = -1;	/* the worker's end of its pipe */
static int worker_in = -1;	/* the worker's end of the socketpair */
static const struct handoff peer = { .family = 4, .port = 40000,
    .addr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 2 } };

static int
setup(void **state)
{
	struct chan_pair p;

	(void)state;
	assert_int_equal(chan_pair_open(&p), 0);
	assert_int_equal(fcntl(p.from_worker, F_SETFL, O_NONBLOCK), 0);
	worker_in = p.worker_in;
	memset(&oc, 0, sizeof(oc));
	strcpy(oc.name, "solo");
	strcpy(oc.endpoint, "127.0.0.1:20000");
	supervise_wproc_init(&wp);
	wp.cfg = &oc;
	wp.chan = p.to_worker;
	wp.chan_in = p.from_worker;
	wp.state = WPROC_READY;
	wp.backoff_ms = SUPERVISE_BACKOFF_MIN_MS;
	ledger_init(&wp.ledger, 8);
	assert_int_equal(ledger_add(&wp.ledger, &peer), 0);
	memset(&sup, 0, sizeof(sup));
	sup.w = &wp;
	sup.count = 1;
	sup.announced = true;
	worker_end = p.worker_out;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ledger_clear(&wp.ledger);	/* closes the copies kept */
	supervise_chan_close(&wp);
	close(worker_end);
	close(worker_in);
	return 0;
}

static void
send_master(bool connected, const struct handoff *h)
{
	uint8_t pl[CHAN_MASTER_LEN];

	chan_master_encode(pl, connected, h);
	assert_int_equal(chan_send(worker_end, CHAN_MASTER, pl, sizeof(pl)), 0);
}

static void
master_remembered(void **state)
{
	(void)state;
	send_master(true, &peer);
	supervise_chan_event(&sup, &wp);
	assert_non_null(ledger_open(&wp.ledger));
	assert_int_equal(ledger_open(&wp.ledger)->port, 40000);
	assert_memory_equal(ledger_open(&wp.ledger)->addr, peer.addr, 16);
	assert_int_equal(wp.state, WPROC_READY);
	send_master(false, &peer);
	supervise_chan_event(&sup, &wp);
	assert_null(ledger_open(&wp.ledger));
	assert_int_equal(wp.state, WPROC_READY);
}

/*
 * The listener's loop reads the workers' pipes through one epoll set, by
 * their index in the table: a worker's record reaches that worker's
 * ledger, also after a reload has moved the workers in the table.
 */
static void
events_reach_workers_by_index(void **state)
{
	static struct outstation_config c[2];
	struct chan_pair p[2];
	struct wproc t[2], tmp;
	struct supervisor s;
	uint8_t pl[CHAN_MASTER_LEN];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true((s.epfd = epoll_create1(EPOLL_CLOEXEC)) >= 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(chan_pair_open(&p[i]), 0);
		assert_int_equal(fcntl(p[i].from_worker, F_SETFL, O_NONBLOCK),
		    0);
		memset(&c[i], 0, sizeof(c[i]));
		strcpy(c[i].name, i == 0 ? "a" : "b");
		supervise_wproc_init(&t[i]);
		t[i].cfg = &c[i];
		t[i].chan = p[i].to_worker;
		t[i].chan_in = p[i].from_worker;
		t[i].state = WPROC_READY;
		ledger_init(&t[i].ledger, 8);
	}
	s.w = t;
	s.count = 2;
	s.announced = true;
	supervise_watch_all(&s);
	chan_master_encode(pl, true, &peer);
	/* b was handed peer and says so; a, handed nothing, would be
	   killed for a lie if b's record reached it */
	assert_int_equal(ledger_add(&t[1].ledger, &peer), 0);
	assert_int_equal(chan_send(p[1].worker_out, CHAN_MASTER, pl,
	    sizeof(pl)), 0);
	supervise_chan_events(&s);
	assert_non_null(ledger_open(&t[1].ledger));
	assert_int_equal(t[0].state, WPROC_READY);
	/* a reload swaps them: a is at index 1 now */
	tmp = t[0];
	t[0] = t[1];
	t[1] = tmp;
	supervise_watch_all(&s);
	assert_int_equal(ledger_add(&t[1].ledger, &peer), 0);
	assert_int_equal(chan_send(p[0].worker_out, CHAN_MASTER, pl,
	    sizeof(pl)), 0);
	supervise_chan_events(&s);
	assert_string_equal(t[1].cfg->name, "a");
	assert_non_null(ledger_open(&t[1].ledger));
	assert_int_equal(t[0].state, WPROC_READY);
	assert_int_equal(t[1].state, WPROC_READY);
	for (int i = 0; i < 2; i++) {
		supervise_chan_close(&t[i]);
		ledger_clear(&t[i].ledger);
		close(p[i].worker_out);
		close(p[i].worker_in);
	}
	/* a closed pipe: nothing to read, nothing read */
	supervise_chan_events(&s);
	close(s.epfd);
}

static void
master_before_ready_drops_worker(void **state)
{
	(void)state;
	wp.state = WPROC_STARTING;
	send_master(true, &peer);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_int_equal(wp.chan, -1);
	assert_null(ledger_open(&wp.ledger));
}

static void
malformed_master_drops_worker(void **state)
{
	uint8_t pl[CHAN_MASTER_LEN];

	(void)state;
	chan_master_encode(pl, true, &peer);
	pl[0] = 7;			/* neither connected nor gone */
	assert_int_equal(chan_send(worker_end, CHAN_MASTER, pl, sizeof(pl)), 0);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_null(ledger_open(&wp.ledger));
}

static void
short_master_drops_worker(void **state)
{
	uint8_t pl[CHAN_MASTER_LEN];

	(void)state;
	chan_master_encode(pl, true, &peer);
	assert_int_equal(chan_send(worker_end, CHAN_MASTER, pl,
	    sizeof(pl) - 2), 0);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
}

/* Only the listener hands over connections: a worker's one is fatal. */
static void
connection_from_worker_drops_worker(void **state)
{
	uint8_t hb[HANDOFF_LEN];

	(void)state;
	handoff_encode(&peer, hb);
	assert_int_equal(chan_send(worker_end, CHAN_CONNECTION, hb,
	    sizeof(hb)), 0);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_int_equal(wp.chan, -1);
	assert_int_equal(wp.chan_in, -1);
}

/* Finding 10: a report about a peer it was never handed is a lie. */
static void
forged_master_kills_worker(void **state)
{
	struct handoff forged = peer;

	(void)state;
	forged.port = 40001;
	send_master(true, &forged);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_string_equal(wp.killed_for, "protocol violation");
	assert_null(ledger_open(&wp.ledger));
}

/* A disconnect for a connection that is not open is a lie too. */
static void
gone_without_connection_kills_worker(void **state)
{
	(void)state;
	send_master(true, &peer);
	send_master(false, &peer);
	send_master(false, &peer);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_string_equal(wp.killed_for, "protocol violation");
}

/* CHAN_STATE: said once, before ready, 0 or 1; else the worker is
   dropped. */
static void
state_said_once(void **state)
{
	uint8_t kept = 1;

	(void)state;
	wp.state = WPROC_STARTING;
	wp.resumed = -1;
	assert_int_equal(chan_send(worker_end, CHAN_STATE, &kept, 1), 0);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_STARTING);
	assert_int_equal(wp.resumed, 1);
	kept = 0;
	assert_int_equal(chan_send(worker_end, CHAN_STATE, &kept, 1), 0);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
}

static void
bad_state_drops_worker(void **state)
{
	uint8_t kept = 2;

	(void)state;
	wp.state = WPROC_STARTING;
	wp.resumed = -1;
	assert_int_equal(chan_send(worker_end, CHAN_STATE, &kept, 1), 0);
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_int_equal(wp.resumed, -1);
}

/* A worker that dies at once after saying it resumed is still counted. */
static void
state_drained_after_death(void **state)
{
	uint8_t kept = 1;

	(void)state;
	wp.state = WPROC_STARTING;
	wp.resumed = -1;
	assert_int_equal(chan_send(worker_end, CHAN_STATE, &kept, 1), 0);
	supervise_chan_drain(&wp);
	assert_int_equal(wp.resumed, 1);
}

/* The crash-loop rule counts quick deaths of workers that resumed (or
   did not say), and nothing else. */
static void
crash_loop_counts_resumed(void **state)
{
	static const int8_t resumed[] = { 1, -1, 1 };

	(void)state;
	oc.state_crash_count = 3;
	oc.state_crash_window_ms = 1000;
	wp.started_at = 1000;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < 3; i++) {
			assert_false(state_crash_loop(&wp));
			wp.resumed = resumed[i];
			state_note_exit(&wp, 1999);
		}
		if (round == 0) {
			/* a clean start's quick death ends the count */
			wp.resumed = 0;
			state_note_exit(&wp, 1001);
			assert_int_equal(wp.quick_exits, 0);
		}
	}
	assert_true(state_crash_loop(&wp));
	assert_int_equal(wp.quick_exits, 0);
	/* a resumed worker that ran past the window ends it too */
	wp.resumed = 1;
	state_note_exit(&wp, 1999);
	state_note_exit(&wp, 2000);
	assert_int_equal(wp.quick_exits, 0);
}

/* Many good records are read in one event, up to the burst. */
static void
reports_read_in_a_burst(void **state)
{
	(void)state;
	for (int i = 1; i < 8; i++)
		assert_int_equal(ledger_add(&wp.ledger, &peer), 0);
	for (int i = 0; i < 8; i++) {
		send_master(true, &peer);
		send_master(false, &peer);
	}
	supervise_chan_event(&sup, &wp);
	assert_int_equal(wp.state, WPROC_READY);
	assert_int_equal(ledger_pending(&wp.ledger), 0);
	assert_null(ledger_open(&wp.ledger));
}

/* Finding 9: nothing read within the bound gets the worker killed. */
static void
unread_channel_kills_worker(void **state)
{
	uint64_t t0 = supervise_now();

	(void)state;
	oc.worker_liveness_ms = 200;
	supervise_live_start(&wp, t0);
	assert_int_equal(supervise_send(&wp, CHAN_PING, NULL, 0, -1), 0);
	assert_true(wp.stall_since >= t0);
	supervise_live_tick(&wp, wp.stall_since + 199);
	assert_int_equal(wp.state, WPROC_READY);
	supervise_live_tick(&wp, wp.stall_since + 200);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_string_equal(wp.killed_for, "unresponsive");
}

/* A worker that reads is never killed; an idle one gets a ping. */
static void
reading_worker_is_pinged(void **state)
{
	struct chan_msg *m = malloc(sizeof(*m));
	uint64_t t0 = supervise_now();

	(void)state;
	assert_non_null(m);
	oc.worker_liveness_ms = 200;
	supervise_live_start(&wp, t0);
	assert_int_equal(supervise_live_deadline(&wp), t0 + 100);
	supervise_live_tick(&wp, t0 + 100);
	assert_int_equal(chan_recv(worker_in, m), CHAN_OK);
	assert_int_equal(m->type, CHAN_PING);
	assert_true(wp.stall_since != 0);
	/* Read: at its deadline the queue is empty, and it is pinged again. */
	supervise_live_tick(&wp, wp.stall_since + 200);
	assert_int_equal(wp.state, WPROC_READY);
	assert_int_equal(chan_recv(worker_in, m), CHAN_OK);
	assert_int_equal(m->type, CHAN_PING);
	free(m);
}

/* An idle worker's ping goes up to liveness/10 early (with others due
   then), never earlier; a stalled worker's kill is never early. */
static void
idle_ping_goes_early(void **state)
{
	struct chan_msg *m = malloc(sizeof(*m));
	struct pollfd p = { .fd = worker_in, .events = POLLIN };
	uint64_t t0 = supervise_now();

	(void)state;
	assert_non_null(m);
	oc.worker_liveness_ms = 200;
	supervise_live_start(&wp, t0);
	supervise_live_tick(&wp, t0 + 100 - 21);
	assert_int_equal(poll(&p, 1, 0), 0);
	supervise_live_tick(&wp, t0 + 100 - 20);
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(chan_recv(worker_in, m), CHAN_OK);
	assert_int_equal(m->type, CHAN_PING);
	/* Left unread: killed at stall_since + liveness, not before. */
	assert_int_equal(supervise_send(&wp, CHAN_PING, NULL, 0, -1), 0);
	assert_true(wp.stall_since != 0);
	supervise_live_tick(&wp, wp.stall_since + 199);
	assert_int_equal(wp.state, WPROC_READY);
	supervise_live_tick(&wp, wp.stall_since + 200);
	assert_int_equal(wp.state, WPROC_DEAD);
	free(m);
}

static void
drain_takes_unread_records(void **state)
{
	(void)state;
	assert_int_equal(ledger_add(&wp.ledger, &peer), 0);
	send_master(true, &peer);
	send_master(false, &peer);
	send_master(true, &peer);
	supervise_chan_drain(&wp);
	assert_non_null(ledger_open(&wp.ledger));
	/* nothing left to read */
	assert_int_equal(wp.chan >= 0, 1);
}

/* Times the file has the text, and where the first one starts. */
static int
count_in(const char *path, const char *needle, long *first)
{
	static char text[16384];
	const char *p = text;
	ssize_t n;
	int fd, count = 0;

	assert_true((fd = open(path, O_RDONLY)) >= 0);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	assert_true(n >= 0);
	text[n] = '\0';
	*first = -1;
	while ((p = strstr(p, needle)) != NULL) {
		if (count++ == 0)
			*first = p - text;
		p++;
	}
	return count;
}

/*
 * The worker (wp) ends now with code, and the supervisor reaps it with
 * its stderr in a new temporary file whose name goes to path.
 */
static void
worker_ends_reaped(int code, char *path)
{
	int fd, saved;
	pid_t pid;

	if ((pid = fork()) == 0)
		_exit(code);
	assert_true(pid > 0);
	/* Let it end, without reaping it. */
	assert_int_equal(waitid(P_PID, pid, NULL, WEXITED | WNOWAIT), 0);
	wp.pid = pid;
	wp.started_at = supervise_now();
	strcpy(path, "/tmp/dnp3d-sup.XXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	supervise_reap(&sup);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
}

/* A real child that exits: reaped, its master reported before its exit. */
static void
dead_worker_with_master_reported(void **state)
{
	char path[] = "/tmp/dnp3d-sup.XXXXXX";
	long lost, exited;

	(void)state;
	send_master(true, &peer);
	supervise_chan_event(&sup, &wp);
	assert_non_null(ledger_open(&wp.ledger));
	worker_ends_reaped(3, path);

	assert_int_equal(count_in(path, "solo: disconnected (worker died) "
	    "127.0.0.2:40000", &lost), 1);
	assert_int_equal(count_in(path, "worker solo (pid", &exited), 1);
	assert_true(lost < exited);
	assert_null(ledger_open(&wp.ledger));
	assert_int_equal(wp.pid, 0);
	assert_int_equal(wp.state, WPROC_BACKOFF);
	unlink(path);
}

/*
 * A plain TCP master (the ledger kept the listener's copy) outlives the
 * worker: kept, not reported lost, and handed to the next worker once it
 * is ready, flagged resumed, as its first hand-off.
 */
static void
dead_worker_keeps_master_for_next(void **state)
{
	char path[] = "/tmp/dnp3d-sup.XXXXXX";
	static struct chan_msg m;
	struct chan_pair p;
	struct handoff h;
	long at;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ledger_init(&wp.ledger, 8);
	assert_int_equal(ledger_add_fd(&wp.ledger, &peer, sv[0]), 0);
	send_master(true, &peer);
	supervise_chan_event(&sup, &wp);
	worker_ends_reaped(9, path);
	assert_int_equal(count_in(path, "solo: master 127.0.0.2:40000 kept "
	    "for the next worker", &at), 1);
	assert_int_equal(count_in(path, "worker died", &at), 0);
	unlink(path);
	assert_int_equal(wp.held_fd, sv[0]);
	assert_int_equal(fcntl(sv[0], F_GETFD) != -1, 1);

	/* The next worker is ready. */
	assert_int_equal(chan_pair_open(&p), 0);
	wp.chan = p.to_worker;
	wp.chan_in = p.from_worker;
	wp.state = WPROC_READY;
	supervise_hand_back(&wp);
	assert_int_equal(wp.held_fd, -1);
	assert_int_equal(ledger_pending(&wp.ledger), 1);
	assert_int_equal(chan_recv(p.worker_in, &m), CHAN_OK);
	assert_int_equal(m.type, CHAN_CONNECTION);
	assert_true(m.fd >= 0);
	assert_int_equal(handoff_decode(m.data, m.len, &h, NULL), 0);
	assert_true(h.resumed);
	assert_int_equal(h.port, 40000);
	/* The same connection: what one end writes the other reads. */
	assert_int_equal(write(sv[1], "x", 1), 1);
	assert_int_equal(read(m.fd, path, 1), 1);
	close(m.fd);
	close(p.worker_in);
	close(p.worker_out);

	/* That worker dies at once too: what the master sent may be the
	   cause, so it is not kept again; its connection ends. */
	worker_ends_reaped(9, path);
	assert_int_equal(count_in(path, "solo: master 127.0.0.2:40000 not "
	    "kept: the worker it was handed back to died too", &at), 1);
	unlink(path);
	assert_int_equal(wp.held_fd, -1);
	assert_int_equal(read(sv[1], path, 1), 0);
	supervise_drop_masters(&wp);
	close(sv[1]);
}

/*
 * Workers that keep dying after resuming: the next one starts clean and
 * the master kept for it is dropped (its bytes may be the cause): the
 * listener's copy closed, so the master sees the end; not before.
 */
static void
crash_loop_drops_kept_master(void **state)
{
	char c;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	oc.state_crash_count = 2;
	wp.held = peer;
	wp.held_fd = sv[0];
	wp.quick_exits = 1;
	assert_false(supervise_crash_loop(&wp));
	assert_int_equal(wp.held_fd, sv[0]);
	wp.quick_exits = 2;
	assert_true(supervise_crash_loop(&wp));
	assert_int_equal(wp.held_fd, -1);
	assert_int_equal(read(sv[1], &c, 1), 0);	/* the end */
	close(sv[1]);
}

/* Without a master nothing but the exit is said. */
static void
dead_worker_without_master_quiet(void **state)
{
	char path[] = "/tmp/dnp3d-sup.XXXXXX";
	long at;

	(void)state;
	send_master(true, &peer);
	send_master(false, &peer);
	worker_ends_reaped(0, path);
	assert_int_equal(count_in(path, "worker died", &at), 0);
	assert_int_equal(count_in(path, "worker solo (pid", &at), 1);
	unlink(path);
}

#define BOUND	4	/* hand-offs pending, in the tests of the bound */

/* The n-th master: 127.0.0.2, port 40000 + n. */
static struct handoff
master(int n)
{
	struct handoff h = { .family = 4, .port = (uint16_t)(40000 + n),
	    .addr = { [10] = 0xff, [11] = 0xff, 127, 0, 0, 2 } };

	return h;
}

/* Hands the n-th master's connection (any descriptor will do) over. */
static enum hand_off
hand_off(int n)
{
	struct handoff h = master(n);
	char name[HANDOFF_ADDRSTR_MAX];
	enum hand_off r;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	handoff_addrstr(&h, name, sizeof(name));
	r = server_hand_off(oc.endpoint, &sup, 0, &h, fd, name);
	if (r != HAND_OFF_KEPT)
		close(fd);
	return r;
}

/* Masters 0 .. BOUND-1 handed over to the worker, none of them taken
   yet; the worker's ends nonblocking. */
static void
at_bound_filled(void)
{
	ledger_clear(&wp.ledger);
	ledger_init(&wp.ledger, BOUND);
	assert_int_equal(fcntl(wp.chan, F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(fcntl(worker_in, F_SETFL, O_NONBLOCK), 0);
	memset(&listener_figures, 0, sizeof(listener_figures));
	for (int n = 0; n < BOUND; n++)
		assert_int_equal(hand_off(n), HAND_OFF_KEPT);
}

static struct chan_msg hm;	/* 4 KiB: keep it off the stack */

/* The worker takes one hand-off off its channel: the n-th master's. */
static void
worker_takes(int n)
{
	struct handoff h;
	const char *why;

	assert_int_equal(chan_recv(worker_in, &hm), CHAN_OK);
	assert_int_equal(hm.type, CHAN_CONNECTION);
	assert_int_equal(handoff_decode(hm.data, hm.len, &h, &why), 0);
	assert_int_equal(h.port, 40000 + n);
	assert_true(hm.fd >= 0);
	close(hm.fd);
}

static void
worker_says(bool connected, int n)
{
	struct handoff h = master(n);

	send_master(connected, &h);
}

static void
taken_and_told_is_not_refused(void **state)
{
	(void)state;
	at_bound_filled();
	assert_int_equal(ledger_pending(&wp.ledger), BOUND);
	/* Each master replaced the one before: all taken, all told, none
	   of it read by the listener yet. */
	for (int n = 0; n < BOUND; n++) {
		worker_takes(n);
		if (n > 0)
			worker_says(false, n - 1);
		worker_says(true, n);
	}
	assert_int_equal(hand_off(BOUND), HAND_OFF_KEPT);
	worker_takes(BOUND);
	assert_non_null(ledger_open(&wp.ledger));
	assert_int_equal(ledger_open(&wp.ledger)->port, 40000 + BOUND - 1);
	assert_int_equal(ledger_pending(&wp.ledger), 1);
	assert_int_equal(wp.state, WPROC_READY);
	assert_int_equal(listener_figures.rejected, 0);
	assert_int_equal(listener_figures.handed_off, BOUND + 1);
}

/* Only what it said counts: taken but not told is still pending. */
static void
untold_is_refused_at_the_bound(void **state)
{
	(void)state;
	at_bound_filled();
	for (int n = 0; n < BOUND; n++)
		worker_takes(n);
	assert_int_equal(hand_off(BOUND), HAND_OFF_FAILED);
	assert_int_equal(ledger_pending(&wp.ledger), BOUND);
	assert_int_equal(wp.state, WPROC_READY);
	assert_int_equal(listener_figures.rejected, 1);
	assert_int_equal(listener_figures.handed_off, BOUND);
	/* nothing more went to the worker */
	assert_int_equal(chan_recv(worker_in, &hm), CHAN_ESYS);
}

/* A worker that says only part of it: the bound stands for the rest. */
static void
partly_told_frees_what_it_told(void **state)
{
	(void)state;
	at_bound_filled();
	worker_takes(0);
	worker_says(true, 0);
	assert_int_equal(hand_off(BOUND), HAND_OFF_KEPT);
	assert_int_equal(hand_off(BOUND + 1), HAND_OFF_FAILED);
	assert_int_equal(ledger_pending(&wp.ledger), BOUND);
	assert_int_equal(listener_figures.rejected, 1);
}

/* A lie read at the bound is dealt with as anywhere: the worker goes,
   and the master is refused (its outstation is not running). */
static void
lie_read_at_the_bound_drops_worker(void **state)
{
	(void)state;
	at_bound_filled();
	worker_says(true, 99);
	assert_int_equal(hand_off(BOUND), HAND_OFF_FAILED);
	assert_int_equal(wp.state, WPROC_DEAD);
	assert_string_equal(wp.killed_for, "protocol violation");
	assert_int_equal(listener_figures.rejected, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(events_reach_workers_by_index),
		cmocka_unit_test_setup_teardown(master_remembered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    master_before_ready_drops_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_master_drops_worker,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(short_master_drops_worker,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    connection_from_worker_drops_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(drain_takes_unread_records,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(forged_master_kills_worker,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    gone_without_connection_kills_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(state_said_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(bad_state_drops_worker, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(state_drained_after_death,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(crash_loop_drops_kept_master,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(crash_loop_counts_resumed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(reports_read_in_a_burst,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(unread_channel_kills_worker,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(idle_ping_goes_early,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(reading_worker_is_pinged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    dead_worker_with_master_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    dead_worker_keeps_master_for_next, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    dead_worker_without_master_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(taken_and_told_is_not_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(untold_is_refused_at_the_bound,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(partly_told_frees_what_it_told,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    lie_read_at_the_bound_drops_worker, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
