/*
 * Starting workers and listening to them (see supervise.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/classify.h"
#include "listener/relay.h"
#include "listener/hub.h"
#include "listener/notify.h"
#include "listener/proc.h"
#include "listener/supervise.h"

_Static_assert(sizeof(struct outstation_config) <= CHAN_PAYLOAD_MAX,
    "an outstation_config must fit one channel message");

uint64_t
supervise_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("%s: clock_gettime", __func__);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
try_path(char *path, size_t len, const char *dir, const char *rel)
{
	int n = snprintf(path, len, "%s%s", dir, rel);

	if (n < 0 || (size_t)n >= len)
		return -1;
	return access(path, X_OK);
}

int
supervise_find_worker(char *path, char *tls, size_t len)
{
	return supervise_find_program("dnp3d-worker", "DNP3D_WORKER", path,
	    len) == -1 ? -1 : supervise_find_program("dnp3d-worker-tls",
	    "DNP3D_WORKER_TLS", tls, len);
}

int
supervise_find_program(const char *name, const char *var, char *path,
    size_t len)
{
	const char *env = getenv(var);
	char rel[64];
	char self[PATH_MAX];
	ssize_t n;

	if (env != NULL && env[0] != '\0') {
		if (try_path(path, len, env, "") == 0)
			return 0;
		log_error("%s=%s", var, env);
		return -1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		log_error("%s: readlink /proc/self/exe", __func__);
		return -1;
	}
	self[n] = '\0';
	*strrchr(self, '/') = '\0';	/* an absolute path has a '/' */
	snprintf(rel, sizeof(rel), "/%s", name);
	if (try_path(path, len, self, rel) == 0)
		return 0;
	snprintf(rel, sizeof(rel), "/../libexec/dnp3d/%s", name);
	if (try_path(path, len, self, rel) == 0)
		return 0;
	log_errorx("cannot find %s in %s or %s/../libexec/dnp3d (set %s)",
	    name, self, self, var);
	return -1;
}

/*
 * Descriptors in flight (sent, not yet received) count against the
 * sender's RLIMIT_NOFILE, for all of root's processes together
 * (ETOOMANYREFS). Half of that is shared out among the workers, between
 * 4 and LEDGER_PENDING_MAX each: workers that stop reading cannot take
 * it all, and are killed within their liveness bound.
 */
static uint32_t
pending_share(size_t workers)
{
	struct rlimit rl;
	uint64_t share = LEDGER_PENDING_MAX;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		share = rl.rlim_cur / 2 / (workers ? workers : 1);
	if (share < 4)
		share = 4;
	return share > LEDGER_PENDING_MAX ? LEDGER_PENDING_MAX :
	    (uint32_t)share;
}

int
supervise_find_program_once(const char *name, const char *var, char *path,
    size_t len)
{
	if (path[0] != '\0')
		return 0;
	if (supervise_find_program(name, var, path, len) == -1) {
		path[0] = '\0';
		return -1;
	}
	return 0;
}

int
supervise_init(struct supervisor *s, const struct dnp3d_config *cfg,
    const char *path, const char *path_tls, int verbose)
{
	memset(s, 0, sizeof(*s));
	s->epfd = -1;
	if (snprintf(s->path, sizeof(s->path), "%s", path) >=
	    (int)sizeof(s->path) || snprintf(s->path_tls,
	    sizeof(s->path_tls), "%s", path_tls) >= (int)sizeof(s->path_tls))
		return -1;
	s->verbose = verbose;
	s->count = cfg->outstation_count;
	s->max_pending = pending_share(s->count);
	s->w = calloc(s->count ? s->count : 1, sizeof(*s->w));
	if (s->w == NULL) {
		log_error("%s: calloc", __func__);
		return -1;
	}
	if ((s->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_error("%s: epoll_create1", __func__);
		free(s->w);
		s->w = NULL;
		return -1;
	}
	for (size_t i = 0; i < s->count; i++) {
		supervise_wproc_init(&s->w[i]);
		s->w[i].cfg = &cfg->outstations[i];
	}
	return 0;
}

void
supervise_wproc_init(struct wproc *w)
{
	memset(w, 0, sizeof(*w));
	w->chan = -1;
	w->chan_in = -1;
	w->state_fd = -1;
	w->held_fd = -1;
	w->backoff_ms = SUPERVISE_BACKOFF_MIN_MS;
	ledger_init(&w->ledger, 1);
}

void
supervise_free(struct supervisor *s)
{
	for (size_t i = 0; i < s->count; i++) {
		state_region_close(&s->w[i]);
		supervise_drop_masters(&s->w[i]);
	}
	free(s->w);
	s->w = NULL;
	s->count = 0;
	if (s->epfd >= 0)
		close(s->epfd);
	s->epfd = -1;
}

/* w's pipe in epfd under its index (op: EPOLL_CTL_ADD or _MOD). */
static int
watch(struct supervisor *s, struct wproc *w, int op)
{
	struct epoll_event ev = { .events = EPOLLIN,
	    .data.u64 = (uint64_t)(w - s->w) };

	return epoll_ctl(s->epfd, op, w->chan_in, &ev);
}

void
supervise_watch_all(struct supervisor *s)
{
	for (size_t i = 0; i < s->count; i++) {
		struct wproc *w = &s->w[i];

		if (w->chan_in >= 0 && watch(s, w, EPOLL_CTL_MOD) == -1 &&
		    (errno != ENOENT || watch(s, w, EPOLL_CTL_ADD) == -1))
			log_warn("worker %s: epoll_ctl", w->cfg->name);
	}
}

/* Forks and execs one worker and sends it its configuration. */
static int
spawn(struct supervisor *s, struct wproc *w)
{
	struct chan_pair p;
	pid_t pid;
	bool clean, refused, tls = w->cfg->tls;
	/* Only a server with tls pays for OpenSSL in its workers. */
	char *argv[5] = { tls ? "dnp3d-worker-tls" : "dnp3d-worker" },
	    **a = argv + 1;
	int extra[2];

	if (state_region_create(w, false) == -1)
		return -1;
	clean = supervise_crash_loop(w);
	refused = w->state_refused;
	w->state_refused = false;
	if (chan_pair_open(&p) == -1) {
		log_warn("%s: channel", __func__);
		return -1;
	}
	if (clean)
		*a++ = "-c";
	else if (refused)
		*a++ = "-s";
	if (s->verbose)
		*a++ = "-d";
	extra[0] = p.worker_out;
	extra[1] = w->state_fd;
	if ((pid = proc_spawn(tls ? s->path_tls : s->path, argv, p.worker_in,
	    extra, 2)) == -1) {
		log_warn("%s: spawn", __func__);
		chan_pair_close(&p);
		return -1;
	}
	close(p.worker_in);
	close(p.worker_out);
	w->pid = pid;
	w->chan = p.to_worker;
	w->chan_in = p.from_worker;
	w->state = WPROC_STARTING;
	ledger_clear(&w->ledger);
	ledger_init(&w->ledger, s->max_pending);
	w->killed_for = NULL;
	w->resumed = -1;
	w->started_at = supervise_now();
	/* The first message fits the empty socket buffer; then nonblocking. */
	if (chan_send(w->chan, CHAN_CONFIG, w->cfg, sizeof(*w->cfg)) == -1)
		log_warn("worker %s: send config", w->cfg->name);
	if (fcntl(w->chan, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(w->chan_in, F_SETFL, O_NONBLOCK) == -1)
		log_warn("%s: fcntl", __func__);
	/* Unheard, it would only be killed as not ready: kill it now. */
	if (watch(s, w, EPOLL_CTL_ADD) == -1) {
		log_warn("worker %s: epoll_ctl", w->cfg->name);
		supervise_kill(w, "cannot watch its channel");
	}
	proc_event_worker_started(w->cfg, pid);
	return 0;
}

void
supervise_start(struct supervisor *s, struct wproc *w)
{
	if (spawn(s, w) == -1) {
		/* Try again later, as if it had died at once. */
		w->state = WPROC_BACKOFF;
		w->restart_at = supervise_now() + w->backoff_ms;
	}
}

void
supervise_start_all(struct supervisor *s)
{
	for (size_t i = 0; i < s->count; i++)
		supervise_start(s, &s->w[i]);
}

void
supervise_chan_close(struct wproc *w)
{
	if (w->chan >= 0)
		close(w->chan);
	if (w->chan_in >= 0)
		close(w->chan_in);
	w->chan = -1;
	w->chan_in = -1;
}

/* The worker is of no more use: close its channel, let SIGCHLD reap it. */
static void
drop(struct wproc *w, bool kill_it)
{
	supervise_chan_close(w);
	w->state = WPROC_DEAD;
	if (kill_it && w->pid > 0)
		kill(w->pid, SIGKILL);
}

void
supervise_kill(struct wproc *w, const char *why)
{
	w->killed_for = why;
	drop(w, true);
}

void
supervise_announce_ready(struct supervisor *s)
{
	char status[64];

	/* The bus is part of being ready: its hub has bound it; so is the
	   classifier where a server routes by link address. */
	if (s->announced || !supervise_all_ready(s) || !listener_hub_ready() ||
	    !classify_ready())
		return;
	s->announced = true;
	snprintf(status, sizeof(status), "%zu outstation%s ready", s->count,
	    s->count == 1 ? "" : "s");
	log_info("%s", status);
	notify_ready(status);
}

/* enum chan_master_state, for the log. */
static const char *const master_state[] = { "gone", "connected", "refused" };

/*
 * CHAN_MASTER: which master the worker serves now, checked against the
 * hand-offs it was given (listener/ledger.h). -1: a bad message or a lie.
 */
static int
master_msg(struct wproc *w, const struct chan_msg *m)
{
	struct handoff h;
	const char *why;
	char peer[HANDOFF_ADDRSTR_MAX];
	uint8_t state;

	if (chan_master_decode(m->data, m->len, &state, &h, &why) == -1) {
		log_warnx("worker %s: master message: %s", w->cfg->name, why);
		return -1;
	}
	handoff_addrstr(&h, peer, sizeof(peer));
	if (ledger_report(&w->ledger, state, &h) == -1) {
		log_warnx("worker %s: master %s %s: no such hand-off open or "
		    "pending", w->cfg->name, peer, master_state[state]);
		return -1;
	}
	log_debug("worker %s: master %s %s", w->cfg->name, peer,
	    master_state[state]);
	return 0;
}

/* One good record. -1: not what this worker may send now. */
static int
handle(struct supervisor *s, struct wproc *w, const struct chan_msg *m)
{
	if (m->type == CHAN_READY && m->len == 0 &&
	    w->state == WPROC_STARTING) {
		w->state = WPROC_READY;
		supervise_live_start(w, supervise_now());
		log_info("worker %s ready (pid %d)", w->cfg->name,
		    (int)w->pid);
		supervise_hand_back(w);
		supervise_announce_ready(s);
		relays_worker_ready(s, (size_t)(w - s->w));
		return 0;
	}
	if (m->type == CHAN_MASTER && w->state == WPROC_READY)
		return master_msg(w, m);
	if (m->type == CHAN_STATE)
		return state_told(w, m->data, m->len);
	return -1;
}

/* One record. false: nothing more to read now, or the worker is gone. */
static bool
chan_one(struct supervisor *s, struct wproc *w)
{
	static struct chan_msg m;	/* 4 KiB: keep it off the stack */
	int rc = chan_read(w->chan_in, &m);

	if (rc == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
		return false;
	if (rc == CHAN_EOF || rc == CHAN_ESYS) {
		log_debug("worker %s: channel closed", w->cfg->name);
		drop(w, false);
		return false;
	}
	/* Anything else is a broken worker. */
	if (rc != CHAN_OK || handle(s, w, &m) == -1) {
		log_warnx("worker %s (pid %d): bad message (%s), killing it",
		    w->cfg->name, (int)w->pid, rc != CHAN_OK ?
		    chan_strerror(rc) : chan_type_name(m.type));
		supervise_kill(w, "protocol violation");
		return false;
	}
	return true;
}

void
supervise_chan_event(struct supervisor *s, struct wproc *w)
{
	for (int i = 0; i < SUPERVISE_CHAN_BURST && w->chan >= 0; i++)
		if (!chan_one(s, w))
			return;
}

void
supervise_chan_events(struct supervisor *s)
{
	struct epoll_event ev[SUPERVISE_EVENTS_MAX];
	int n = epoll_wait(s->epfd, ev, SUPERVISE_EVENTS_MAX, 0);

	/* A closed pipe can still be reported while a child forked before
	   its close has not yet exec'd: only a worker with a pipe is read. */
	for (int i = 0; i < n; i++)
		if (ev[i].data.u64 < s->count &&
		    s->w[ev[i].data.u64].chan_in >= 0)
			supervise_chan_event(s, &s->w[ev[i].data.u64]);
}

/*
 * A worker that ended may have told us more than we have read: its last
 * CHAN_MASTER records are taken before the channel is closed (bounded;
 * nothing else is acted on, the process is gone).
 */
void
supervise_chan_drain(struct wproc *w)
{
	static struct chan_msg m;

	for (int i = 0; i < SUPERVISE_DRAIN_MAX && w->chan_in >= 0; i++) {
		if (chan_read(w->chan_in, &m) != CHAN_OK)
			return;
		if (m.type == CHAN_MASTER && w->state == WPROC_READY &&
		    master_msg(w, &m) == -1)
			return;
		/* It may have died soon after saying how it started. */
		if (m.type == CHAN_STATE && state_told(w, m.data, m.len) == -1)
			return;
	}
}

bool
supervise_all_ready(const struct supervisor *s)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->w[i].state != WPROC_READY)
			return false;
	return true;
}

void
supervise_tick(struct supervisor *s, uint64_t now)
{
	if (s->stopping)
		return;
	for (size_t i = 0; i < s->count; i++) {
		struct wproc *w = &s->w[i];
		if (w->state == WPROC_BACKOFF && now >= w->restart_at) {
			w->restarts++;
			supervise_start(s, w);
		} else if (w->state == WPROC_STARTING &&
		    now - w->started_at >= SUPERVISE_START_WAIT_MS) {
			log_warnx("worker %s (pid %d) not ready after %d ms, "
			    "killing it", w->cfg->name, (int)w->pid,
			    SUPERVISE_START_WAIT_MS);
			supervise_kill(w, "not ready in time");
		} else
			supervise_live_tick(w, now);
	}
}

int
supervise_timeout(const struct supervisor *s, uint64_t now)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < s->count; i++) {
		const struct wproc *w = &s->w[i];
		if (w->state == WPROC_BACKOFF && w->restart_at < best)
			best = w->restart_at;
		if (w->state == WPROC_STARTING &&
		    w->started_at + SUPERVISE_START_WAIT_MS < best)
			best = w->started_at + SUPERVISE_START_WAIT_MS;
		if (w->state == WPROC_READY && w->chan >= 0 &&
		    supervise_live_deadline(w) < best)
			best = supervise_live_deadline(w);
	}
	if (best == UINT64_MAX)
		return -1;
	return best <= now ? 0 : (int)(best - now);
}
