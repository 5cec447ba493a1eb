/*
 * Starting, feeding and supervising the link address classifier (see
 * classify.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/classify.h"
#include "listener/proc.h"

/* DEAD: its channel is closed, SIGCHLD will reap it. */
enum cl_state { CL_IDLE, CL_STARTING, CL_READY, CL_DEAD, CL_BACKOFF };

static struct {
	const struct dnp3d_config *cfg;
	struct supervisor *sup;
	char		 path[4096];	/* "": not looked for yet */
	int		 verbose;
	enum cl_state	 state;
	pid_t		 pid;
	int		 chan;		/* to it: records and sockets */
	int		 in;		/* its answers (a pipe) */
	uint32_t	 max_conns;
	uint64_t	 started_at, restart_at;
	uint32_t	 backoff_ms;
	const char	*killed_for;
} cl = { .chan = -1, .in = -1 };

static bool
needed(void)
{
	for (uint32_t i = 0; cl.cfg != NULL && i < cl.cfg->server_count;
	    i++)
		if (cl.cfg->servers[i].route == ROUTE_LINK_ADDRESS &&
		    !cl.cfg->servers[i].multidrop)	/* a relay's */
			return true;
	return false;
}

/* A quarter of root's descriptors at most wait, the rest serve. */
static uint32_t
wait_share(void)
{
	struct rlimit rl;
	uint64_t n = CLASSIFY_WAIT_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		n = rl.rlim_cur / 4;
	if (n < 8)
		n = 8;
	return n > CLASSIFY_WAIT_MAX ? CLASSIFY_WAIT_MAX : (uint32_t)n;
}

static int
find_program(void)
{
	return supervise_find_program_once("dnp3d-classify", "DNP3D_CLASSIFY",
	    cl.path, sizeof(cl.path));
}

int
classify_init(const struct dnp3d_config *cfg, struct supervisor *sup,
    int verbose)
{
	cl.cfg = cfg;
	cl.sup = sup;
	cl.verbose = verbose;
	cl.backoff_ms = SUPERVISE_BACKOFF_MIN_MS;
	cl.max_conns = wait_share();
	return needed() ? find_program() : 0;
}

static int
send_config(void)
{
	struct classify_config c;

	memset(&c, 0, sizeof(c));
	snprintf(c.h.user, sizeof(c.h.user), "%s", cl.cfg->user);
	snprintf(c.h.runtime_dir, sizeof(c.h.runtime_dir), "%s",
	    cl.cfg->runtime_dir);
	c.max_conns = cl.max_conns;
	return chan_send(cl.chan, CHAN_CLASSIFY_CONFIG, &c, sizeof(c));
}

static int
spawn(void)
{
	struct chan_pair p;
	pid_t pid;
	char *argv[] = { "dnp3d-classify", cl.verbose ? "-d" : NULL, NULL };

	if (find_program() == -1)
		return -1;
	if (chan_pair_open(&p) == -1) {
		log_warn("classifier: channel");
		return -1;
	}
	if ((pid = proc_spawn(cl.path, argv, p.worker_in, &p.worker_out,
	    1)) == -1) {
		log_warn("classifier: spawn");
		chan_pair_close(&p);
		return -1;
	}
	close(p.worker_in);
	close(p.worker_out);
	cl.pid = pid;
	cl.chan = p.to_worker;
	cl.in = p.from_worker;
	cl.state = CL_STARTING;
	cl.killed_for = NULL;
	cl.started_at = supervise_now();
	if (send_config() == -1 || fcntl(cl.chan, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(cl.in, F_SETFL, O_NONBLOCK) == -1) {
		log_warn("classifier (pid %d): set-up", (int)pid);
		kill(pid, SIGKILL);
	}
	log_info("link address classifier started (pid %d)", (int)pid);
	return 0;
}

static void
start(void)
{
	if (spawn() == -1) {
		cl.state = CL_BACKOFF;
		cl.restart_at = supervise_now() + cl.backoff_ms;
	}
}

/* Of no more use: its ends close, SIGCHLD reaps it. */
static void
drop(const char *why)
{
	if (cl.chan >= 0)
		close(cl.chan);
	if (cl.in >= 0)
		close(cl.in);
	cl.chan = cl.in = -1;
	if (cl.state == CL_STARTING || cl.state == CL_READY)
		cl.state = CL_DEAD;
	if (why != NULL && cl.pid > 0) {
		log_warnx("link address classifier (pid %d): %s, killing it",
		    (int)cl.pid, why);
		cl.killed_for = why;
		kill(cl.pid, SIGKILL);
	}
}

bool
classify_ready(void)
{
	return cl.state == CL_READY || !needed();
}

void
classify_pollfd(struct pollfd *p)
{
	*p = (struct pollfd){ .fd = cl.in, .events = POLLIN };
}

/* One record from the pipe: -1 when there is no more (or it is gone). */
static int
read_one(void)
{
	static struct chan_msg m;
	struct classify_answer a;
	const char *why;
	int st = chan_read(cl.in, &m);

	if (st == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
		return -1;
	if (st == CHAN_EOF) {
		drop(NULL);
		return -1;
	}
	if (st != CHAN_OK)
		why = chan_strerror(st);
	else if (m.type == CHAN_READY && m.len == 0 &&
	    cl.state == CL_STARTING) {
		cl.state = CL_READY;
		log_info("link address classifier ready (pid %d)", (int)cl.pid);
		supervise_announce_ready(cl.sup);
		return 0;
	} else if (m.type != CHAN_CLASSIFY_ANSWER || cl.state != CL_READY)
		why = "unexpected record";
	else if (classify_answer_decode(m.data, m.len, &a, &why) == 0) {
		if (classify_wait_answer(cl.cfg, cl.sup, &a) == 0)
			return 0;
		why = "answer for a connection it was not given";
	}
	drop(why);
	return -1;
}

void
classify_events(short revents)
{
	if (revents == 0 || cl.in < 0)
		return;
	for (int i = 0; i < CLASSIFY_ANSWER_BURST; i++)
		if (read_one() == -1)
			break;
}

void
classify_tick(uint64_t now)
{
	if (cl.sup->stopping)
		return;
	if ((cl.state == CL_IDLE && needed()) ||
	    (cl.state == CL_BACKOFF && now >= cl.restart_at))
		start();
	if (cl.state == CL_STARTING && cl.chan >= 0 &&
	    now >= cl.started_at + SUPERVISE_START_WAIT_MS)
		drop("not ready in time");
	classify_wait_tick(now);
}

int
classify_timeout(uint64_t now)
{
	uint64_t at = UINT64_MAX;
	int t, w = classify_wait_timeout(now);

	if (cl.state == CL_BACKOFF)
		at = cl.restart_at;
	else if (cl.state == CL_STARTING && cl.chan >= 0)
		at = cl.started_at + SUPERVISE_START_WAIT_MS;
	t = at == UINT64_MAX ? -1 : at <= now ? 0 : (int)(at - now);
	return t < 0 || (w >= 0 && w < t) ? w : t;
}

bool
classify_reaped(pid_t pid, int status)
{
	char how[64];
	uint32_t delay;

	if (pid <= 0 || pid != cl.pid)
		return false;
	drop(NULL);
	cl.pid = 0;
	supervise_status_str(status, how, sizeof(how));
	classify_wait_reject_all("link address classifier exited");
	if (cl.sup->stopping) {
		cl.state = CL_IDLE;
		log_debug("link address classifier (pid %d) %s", (int)pid, how);
		return true;
	}
	delay = supervise_backoff(&cl.backoff_ms, cl.started_at,
	    supervise_now());
	cl.restart_at = supervise_now() + delay;
	cl.state = CL_BACKOFF;
	log_warnx("link address classifier (pid %d) %s%s%s%s; restarting in "
	    "%u ms", (int)pid, how, cl.killed_for ? " (" : "",
	    cl.killed_for ? cl.killed_for : "", cl.killed_for ? ")" : "",
	    (unsigned)delay);
	return true;
}

void
classify_stop(void)
{
	int status;

	classify_wait_reject_all("shutdown");
	drop(NULL);
	cl.state = CL_IDLE;
	if (cl.pid <= 0)
		return;
	/* It keeps nothing worth a drain: gone before the listener is. */
	kill(cl.pid, SIGKILL);
	if (waitpid(cl.pid, &status, 0) == cl.pid)
		log_debug("link address classifier (pid %d) stopped",
		    (int)cl.pid);
	cl.pid = 0;
}

bool
classify_submit(const struct listen_sock *ls, int fd, const struct handoff *h,
    const struct sockaddr_storage *ss, const char *peer)
{
	const struct server_config *srv = &cl.cfg->servers[ls->server];
	uint8_t rec[CLASSIFY_CONN_LEN];
	char why[96];
	uint32_t id;

	if (cl.state != CL_READY) {
		proc_event_rejected(peer, ls->name, "link address classifier "
		    "is not running");
		return false;
	}
	if (classify_wait_count() >= cl.max_conns ||
	    classify_wait_add(ls, fd, h, ss, srv->route_timeout_ms,
	    supervise_now(), &id) == -1) {
		snprintf(why, sizeof(why), "%zu connections wait for their "
		    "first frame", classify_wait_count());
		proc_event_rejected(peer, ls->name, why);
		return false;
	}
	classify_conn_encode(rec, id, srv->route_timeout_ms);
	if (chan_send_fd(cl.chan, CHAN_CLASSIFY_CONN, rec, sizeof(rec),
	    fd) == -1) {
		snprintf(why, sizeof(why), "hand-off to the link address "
		    "classifier: %s", strerror(errno));
		classify_wait_drop(id);
		proc_event_rejected(peer, ls->name, why);
		return false;
	}
	log_debug("%s on %s: to the link address classifier (connection %u)",
	    peer, ls->name, (unsigned)id);
	return true;
}
