/*
 * Starting, feeding and supervising the bus hub (see hub.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "common/log.h"
#include "ipc/channel.h"
#include "ipc/hubmsg.h"
#include "listener/bus_dir.h"
#include "listener/hub.h"
#include "listener/proc.h"
#include "listener/status.h"

enum hub_state { HUB_IDLE, HUB_STARTING, HUB_READY, HUB_BACKOFF };

static struct {
	const struct dnp3d_config *cfg;
	struct supervisor *sup;
	char		 path[4096];
	int		 verbose;
	int		 dirfd;
	enum hub_state	 state;
	pid_t		 pid;
	int		 chan;		/* to the hub; shut for reading */
	int		 ready;		/* the hub's pipe, read end */
	uint32_t	 gen;		/* hubs started so far */
	bool		 full;		/* chan had no room: poll POLLOUT */
	uint64_t	 started_at, restart_at;
	uint32_t	 backoff_ms;
	uint64_t	 seq;		/* the listener's events */
	bool		 renaming;	/* ended for a reload: restart now */
} hub = { .pid = 0, .chan = -1, .ready = -1, .dirfd = -1 };

/* The listener's events, in order, until the hub takes them. */
static struct {
	char		*msg[HUB_QUEUE_MAX];
	size_t		 len[HUB_QUEUE_MAX];
	size_t		 head, count;
	uint64_t	 lost;
} q;

int
listener_hub_init(const struct dnp3d_config *cfg, struct supervisor *sup,
    int dirfd, int verbose)
{
	if (supervise_find_program("dnp3d-hub", "DNP3D_HUB", hub.path,
	    sizeof(hub.path)) == -1)
		return -1;
	hub.cfg = cfg;
	hub.sup = sup;
	hub.dirfd = dirfd;
	hub.verbose = verbose;
	hub.backoff_ms = SUPERVISE_BACKOFF_MIN_MS;
	if (listener_status_init(sup->count) == -1)
		return -1;
	return hub_attach_init(sup->count);
}

static void
queue_push(const char *msg, size_t len)
{
	size_t tail = (q.head + q.count) % HUB_QUEUE_MAX;
	char *copy;

	if (q.count == HUB_QUEUE_MAX || (copy = malloc(len)) == NULL) {
		if (q.lost++ == 0)
			log_warnx("bus: the hub does not take the listener's "
			    "events; some are lost");
		return;
	}
	memcpy(copy, msg, len);
	q.msg[tail] = copy;
	q.len[tail] = len;
	q.count++;
}

/* -1 when the channel is full (or gone). */
static int
queue_flush(void)
{
	while (q.count > 0 && hub.chan >= 0) {
		if (chan_send(hub.chan, CHAN_HUB_PUBLISH, q.msg[q.head],
		    q.len[q.head]) == -1)
			return -1;
		free(q.msg[q.head]);
		q.head = (q.head + 1) % HUB_QUEUE_MAX;
		q.count--;
	}
	return 0;
}

void
listener_hub_emit(struct bus_event *ev)
{
	char buf[BUS_EVENT_MAX];
	int n;

	if ((n = bus_event_stamp(ev, "listener", &hub.seq, buf,
	    sizeof(buf))) < 0)
		return;
	queue_push(buf, (size_t)n);
	hub.full = queue_flush() == -1;
}

/* The hub's configuration and the outstations' names, in order. */
static int
send_setup(int chan)
{
	static struct hub_config c;
	uint8_t rec[CHAN_PAYLOAD_MAX];
	const struct dnp3d_config *cfg = hub.cfg;
	uint32_t i, k, n = cfg->outstation_count;

	memset(&c, 0, sizeof(c));
	memcpy(c.bus, cfg->bus, sizeof(c.bus));
	c.bus_count = cfg->bus_count;
	c.outstation_count = n;
	c.gid = listener_bus_gid() == (gid_t)-1 ? UINT32_MAX :
	    (uint32_t)listener_bus_gid();
	c.max_fds = n + HUB_CLIENTS_MAX + HUB_FDS_SPARE;
	c.rejoin_ms = hub.gen > 1 ? HUB_REJOIN_MS : 0;
	snprintf(c.runtime_dir, sizeof(c.runtime_dir), "%s", cfg->runtime_dir);
	snprintf(c.user, sizeof(c.user), "%s", cfg->user);
	if (chan_send(chan, CHAN_HUB_CONFIG, &c, sizeof(c)) == -1)
		return -1;
	for (i = 0; i < n; i += k) {
		memset(rec, 0, sizeof(rec));
		put_le32(rec, i);
		for (k = 0; k < HUB_NAMES_PER_MSG && i + k < n; k++)
			memcpy(rec + 4 + k * HUB_NAME_LEN,
			    cfg->outstations[i + k].name, CFG_NAME_MAX);
		if (chan_send(chan, CHAN_HUB_NAMES, rec,
		    4 + k * HUB_NAME_LEN) == -1)
			return -1;
	}
	return 0;
}

static void
event_started(pid_t pid)
{
	struct bus_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_HUB_STARTED;
	ev.u.worker_started.pid = pid;
	listener_hub_emit(&ev);
}

/* The pipe's write end goes to the hub; the channel is one-way. */
static int
spawn(void)
{
	int sv[2], rp[2], extra[2];
	struct timeval tv = { HUB_SEND_WAIT_MS / 1000, 0 };
	pid_t pid;
	char *argv[] = { "dnp3d-hub", hub.verbose ? "-d" : NULL, NULL };

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("hub: socketpair");
		return -1;
	}
	if (pipe2(rp, O_CLOEXEC) == -1) {
		log_warn("hub: pipe");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	extra[0] = hub.dirfd;
	extra[1] = rp[1];
	if ((pid = proc_spawn(hub.path, argv, sv[1], extra, 2)) == -1)
		log_warn("hub: spawn");
	close(sv[1]);
	close(rp[1]);
	if (pid == -1) {
		close(sv[0]);
		close(rp[0]);
		return -1;
	}
	hub.pid = pid;
	hub.chan = sv[0];
	hub.ready = rp[0];
	hub.gen++;
	hub.state = HUB_STARTING;
	hub.started_at = supervise_now();
	/* Nothing may come back on the channel: the hub's sends fail. */
	if (shutdown(hub.chan, SHUT_RD) == -1 ||
	    setsockopt(hub.chan, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof(tv)) == -1 || send_setup(hub.chan) == -1 ||
	    fcntl(hub.chan, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(hub.ready, F_SETFL, O_NONBLOCK) == -1) {
		log_warn("hub (pid %d): set-up", (int)pid);
		kill(pid, SIGKILL);
	}
	log_debug("hub started (pid %d)", (int)pid);
	event_started(pid);
	return 0;
}

void
listener_hub_start(void)
{
	if (spawn() == -1) {
		hub.state = HUB_BACKOFF;
		hub.restart_at = supervise_now() + hub.backoff_ms;
	}
}

/* Of no more use: the channel and the pipe close, SIGCHLD reaps it. */
static void
drop(bool kill_it)
{
	if (hub.chan >= 0)
		close(hub.chan);
	if (hub.ready >= 0)
		close(hub.ready);
	hub.chan = hub.ready = -1;
	hub.full = false;
	if (kill_it && hub.pid > 0)
		kill(hub.pid, SIGKILL);
}

void
listener_hub_pollfds(struct pollfd *ready, struct pollfd *chan)
{
	*ready = (struct pollfd){ .fd = hub.ready, .events = POLLIN };
	*chan = (struct pollfd){ .fd = hub.full ? hub.chan : -1,
	    .events = POLLOUT };
}

/* The pipe: one HUB_READY_BYTE once, then nothing until the hub ends (EOF). */
static void
read_ready(void)
{
	char buf[16];
	ssize_t n = read(hub.ready, buf, sizeof(buf));

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == 1 && buf[0] == HUB_READY_BYTE && hub.state == HUB_STARTING) {
		hub.state = HUB_READY;
		log_info("bus hub ready (pid %d)", (int)hub.pid);
		supervise_announce_ready(hub.sup);
		return;
	}
	if (n != 0)
		log_warnx("hub (pid %d): unexpected %zd bytes on its pipe, "
		    "killing it", (int)hub.pid, n);
	drop(n != 0);
}

void
listener_hub_events(short ready_revents, short chan_revents)
{
	if (ready_revents && hub.ready >= 0)
		read_ready();
	if (chan_revents)
		listener_hub_tick(supervise_now());
}

bool
listener_hub_ready(void)
{
	return hub.state == HUB_READY;
}

void
listener_hub_tick(uint64_t now)
{
	if (hub.state == HUB_BACKOFF && now >= hub.restart_at &&
	    !hub.sup->stopping)
		listener_hub_start();
	/* started_at may be later than now: the restart just above. */
	if (hub.state == HUB_STARTING && hub.chan >= 0 &&
	    now >= hub.started_at + SUPERVISE_START_WAIT_MS) {
		log_warnx("hub (pid %d) not ready after %d ms, killing it",
		    (int)hub.pid, SUPERVISE_START_WAIT_MS);
		drop(true);
	}
	if (hub.chan < 0)
		return;
	hub.full = queue_flush() == -1 ||
	    hub_attach_all(hub.sup, hub.chan, hub.gen, now) == -1 ||
	    listener_status_send(hub.sup, hub.chan, hub.gen, now) == -1;
}

int
listener_hub_timeout(uint64_t now)
{
	uint64_t at = UINT64_MAX;
	int t;

	if (hub.state == HUB_BACKOFF)
		at = hub.restart_at;
	else if (hub.state == HUB_STARTING && hub.chan >= 0)
		at = hub.started_at + SUPERVISE_START_WAIT_MS;
	t = at == UINT64_MAX ? -1 : at <= now ? 0 : (int)(at - now);
	if (hub.chan >= 0) {
		int a = hub_attach_timeout(hub.sup, hub.gen, now);
		int b = listener_status_timeout(now);
		if (a >= 0 && (t < 0 || a < t))
			t = a;
		if (b >= 0 && (t < 0 || b < t))
			t = b;
	}
	return t;
}

static uint32_t
plan_restart(uint64_t now)
{
	uint32_t delay;

	if (now - hub.started_at >= SUPERVISE_STABLE_MS)
		hub.backoff_ms = SUPERVISE_BACKOFF_MIN_MS;
	delay = hub.backoff_ms;
	hub.backoff_ms = delay * 2 > SUPERVISE_BACKOFF_MAX_MS ?
	    SUPERVISE_BACKOFF_MAX_MS : delay * 2;
	hub.restart_at = now + delay;
	hub.state = HUB_BACKOFF;
	return delay;
}

bool
listener_hub_reaped(pid_t pid, int status)
{
	struct bus_event ev;
	char how[64];
	uint32_t delay = 0;

	if (pid <= 0 || pid != hub.pid)
		return false;
	drop(false);
	hub.pid = 0;
	supervise_status_str(status, how, sizeof(how));
	if (hub.sup->stopping) {
		hub.state = HUB_IDLE;
		log_debug("hub (pid %d) %s", (int)pid, how);
		return true;
	}
	memset(&ev, 0, sizeof(ev));
	if (hub.renaming) {
		hub.renaming = false;
		hub.state = HUB_BACKOFF;
		hub.restart_at = supervise_now();
		log_info("hub (pid %d) %s; restarting with the new outstations",
		    (int)pid, how);
		ev.u.worker_exited.reason = "reconfigured";
	} else {
		delay = plan_restart(supervise_now());
		log_warnx("hub (pid %d) %s; restarting in %u ms", (int)pid,
		    how, (unsigned)delay);
	}
	/* Queued: the next hub publishes it. */
	ev.type = BUS_EV_HUB_EXITED;
	ev.u.worker_exited.pid = pid;
	ev.u.worker_exited.status = status;
	ev.u.worker_exited.restart_ms = delay;
	listener_hub_emit(&ev);
	return true;
}

/* Until the hub is reaped or deadline. 0 when it was. */
static int
wait_hub(int sigfd, uint64_t deadline)
{
	struct signalfd_siginfo si;
	struct pollfd p = { .fd = sigfd, .events = POLLIN };
	uint64_t now;
	int status;
	pid_t pid = hub.pid;

	while ((now = supervise_now()) < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			listener_hub_reaped(pid, status);
			return 0;
		}
		if (poll(&p, 1, (int)(deadline - now)) > 0 &&
		    read(sigfd, &si, sizeof(si)) < 0 && errno != EAGAIN)
			log_warn("%s: read signalfd", __func__);
	}
	return -1;
}

/* Blocking (SO_SNDTIMEO bounds each send): the last events go out. */
static void
flush_blocking(void)
{
	if (hub.chan < 0 || fcntl(hub.chan, F_SETFL, 0) == -1)
		return;
	if (queue_flush() == -1)
		log_warnx("bus: %zu listener events not sent at shutdown",
		    q.count);
}

void
listener_hub_stop(int sigfd)
{
	uint64_t end;

	flush_blocking();
	if (hub.pid <= 0)
		return;
	drop(false);	/* EOF: the hub drains and exits */
	end = supervise_now() + SUPERVISE_STOP_WAIT_MS;
	if (wait_hub(sigfd, end) == 0)
		return;
	log_warnx("hub (pid %d) did not stop, killing it", (int)hub.pid);
	kill(hub.pid, SIGKILL);
	wait_hub(sigfd, supervise_now() + SUPERVISE_STOP_WAIT_MS);
}

void
listener_hub_reconfigure(size_t count)
{
	if (hub_attach_init(count) == -1 || listener_status_init(count) == -1)
		fatal("%s", __func__);
	if (hub.pid <= 0) {
		/* Not running: the next start has the new list. */
		if (hub.state == HUB_BACKOFF)
			hub.restart_at = supervise_now();
		return;
	}
	/* EOF: it forwards what it has and exits; reaped, it restarts. */
	hub.full = queue_flush() == -1;
	hub.renaming = true;
	drop(false);
}
