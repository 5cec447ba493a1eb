/*
 * Starting the multi-drop relays, handing them their sockets, and
 * supervising them (see relay.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/filter.h"
#include "listener/proc.h"
#include "listener/relay.h"

struct relay_table relays = { .epfd = -1 };

static bool
needed(void)
{
	for (uint32_t i = 0; relays.cfg != NULL && i < relays.cfg->server_count; i++)
		if (relays.cfg->servers[i].multidrop)
			return true;
	return false;
}

int
relays_find_program(void)
{
	return supervise_find_program_once("dnp3d-relay", "DNP3D_RELAY",
	    relays.path, sizeof(relays.path));
}

int
relays_init(const struct dnp3d_config *cfg, struct supervisor *sup,
    int verbose)
{
	relays.cfg = cfg;
	relays.sup = sup;
	relays.verbose = verbose;
	if ((relays.epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_warn("relays: epoll_create1");
		return -1;
	}
	return needed() ? relays_find_program() : 0;
}

void
relays_pollfd(struct pollfd *p)
{
	*p = (struct pollfd){ .fd = relays.count > 0 ? relays.epfd : -1,
	    .events = POLLIN };
}

/* Stops reading it; SIGCHLD reaps it. */
static void
kill_relay(struct relay_proc *r, const char *why)
{
	log_warnx("multi-drop relay (pid %d) for %s: %s, killing it",
	    (int)r->pid, r->peer, why);
	r->killed_for = why;
	if (r->in >= 0)
		close(r->in);
	r->in = -1;
	kill(r->pid, SIGKILL);
}

void
relays_events(short revents)
{
	struct epoll_event ev[16];
	const char *why = NULL;
	int n;

	if (revents == 0 || (n = epoll_wait(relays.epfd, ev, 16, 0)) <= 0)
		return;
	for (int i = 0; i < n; i++) {
		struct relay_proc *r = &relays.r[ev[i].data.u32 % RELAY_CONNS_MAX];
		if (r->pid > 0 && r->in >= 0 && !relays_read_news(r, &why))
			kill_relay(r, why);
	}
}

void
relays_tick(uint64_t now)
{
	for (size_t i = 0; relays.count > 0 && i < RELAY_CONNS_MAX; i++) {
		struct relay_proc *r = &relays.r[i];
		if (r->pid > 0 && !r->ready && r->in >= 0 &&
		    now >= r->started_at + SUPERVISE_START_WAIT_MS)
			kill_relay(r, "not ready in time");
	}
}

int
relays_timeout(uint64_t now)
{
	uint64_t at = UINT64_MAX;

	for (size_t i = 0; relays.count > 0 && i < RELAY_CONNS_MAX; i++) {
		const struct relay_proc *r = &relays.r[i];
		if (r->pid > 0 && !r->ready && r->in >= 0 &&
		    r->started_at + SUPERVISE_START_WAIT_MS < at)
			at = r->started_at + SUPERVISE_START_WAIT_MS;
	}
	return at == UINT64_MAX ? -1 : at <= now ? 0 : (int)(at - now);
}

static void
release(struct relay_proc *r)
{
	if (r->chan >= 0)
		close(r->chan);
	if (r->in >= 0)
		close(r->in);
	memset(r, 0, sizeof(*r));
	r->chan = r->in = -1;
	relays.count--;
}

bool
relays_reaped(pid_t pid, int status)
{
	char how[64];

	for (size_t i = 0; pid > 0 && relays.count > 0 && i < RELAY_CONNS_MAX;
	    i++) {
		struct relay_proc *r = &relays.r[i];
		if (r->pid != pid)
			continue;
		supervise_status_str(status, how, sizeof(how));
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			log_info("multi-drop relay (pid %d) for %s on %s ended",
			    (int)pid, r->peer, r->endpoint);
		else
			log_warnx("multi-drop relay (pid %d) for %s on %s %s%s%s"
			    "%s; its connection is closed", (int)pid, r->peer,
			    r->endpoint, how, r->killed_for ? " (" : "",
			    r->killed_for ? r->killed_for : "",
			    r->killed_for ? ")" : "");
		release(r);
		return true;
	}
	return false;
}

void
relays_stop(void)
{
	int status;

	for (size_t i = 0; relays.count > 0 && i < RELAY_CONNS_MAX; i++) {
		struct relay_proc *r = &relays.r[i];
		if (r->pid <= 0)
			continue;
		/* It keeps nothing: gone before the listener is. */
		kill(r->pid, SIGKILL);
		if (waitpid(r->pid, &status, 0) == r->pid)
			log_debug("multi-drop relay (pid %d) stopped",
			    (int)r->pid);
		release(r);
	}
	if (relays.epfd >= 0)
		close(relays.epfd);
	relays.epfd = -1;
}
