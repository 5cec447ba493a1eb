/*
 * Workers that end: reaping, reporting, restart with backoff, shutdown.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/classify.h"
#include "listener/relay.h"
#include "listener/hub.h"
#include "listener/proc.h"
#include "listener/supervise.h"

const char *
supervise_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(buf, len, "killed by seccomp (SIGSYS)");
	else if (WIFSIGNALED(status)) {
		const char *abbr = sigabbrev_np(WTERMSIG(status));
		if (abbr != NULL)
			snprintf(buf, len, "killed by signal SIG%s", abbr);
		else
			snprintf(buf, len, "killed by signal %d",
			    WTERMSIG(status));
	} else
		snprintf(buf, len, "ended with wait status 0x%x", status);
	return buf;
}

static struct wproc *
find_pid(struct supervisor *s, pid_t pid)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->w[i].pid == pid)
			return &s->w[i];
	return NULL;
}

uint32_t
supervise_backoff(uint32_t *backoff_ms, uint64_t started_at, uint64_t now)
{
	uint32_t delay;

	if (now - started_at >= SUPERVISE_STABLE_MS)
		*backoff_ms = SUPERVISE_BACKOFF_MIN_MS;
	delay = *backoff_ms;
	*backoff_ms = delay * 2 > SUPERVISE_BACKOFF_MAX_MS ?
	    SUPERVISE_BACKOFF_MAX_MS : delay * 2;
	return delay;
}

/*
 * Plans the restart: the delay doubles, unless the worker ran a while.
 * One that had resumed a kept state comes back after the least delay:
 * its master may be waiting on the connection kept for it, and the
 * crash-loop rule (state_note_exit()) bounds how often in a row.
 */
static uint32_t
plan_restart(struct wproc *w, uint64_t now)
{
	uint32_t delay = w->resumed == 1 ? SUPERVISE_BACKOFF_MIN_MS :
	    supervise_backoff(&w->backoff_ms, w->started_at, now);

	w->restart_at = now + delay;
	w->state = WPROC_BACKOFF;
	return delay;
}

static void
ended(struct supervisor *s, struct wproc *w, int status)
{
	char how[64];
	const char *why = w->killed_for;
	uint32_t delay = 0;
	pid_t pid = w->pid;

	supervise_chan_drain(w);
	supervise_chan_close(w);
	w->pid = 0;
	supervise_status_str(status, how, sizeof(how));
	supervise_keep_master(s, w);
	w->killed_for = NULL;
	if (s->stopping) {
		w->state = WPROC_IDLE;
		log_debug("worker %s (pid %d) %s", w->cfg->name, (int)pid, how);
	} else {
		state_note_exit(w, supervise_now());
		delay = plan_restart(w, supervise_now());
		log_warnx("worker %s (pid %d) %s%s%s%s; restarting in %u ms",
		    w->cfg->name, (int)pid, how, why ? " (" : "",
		    why ? why : "", why ? ")" : "", (unsigned)delay);
	}
	proc_event_worker_exited(w->cfg, pid, status, delay, why);
}

void
supervise_reap(struct supervisor *s)
{
	int status;
	pid_t pid;

	/* Bounded: each round reaps one child; there are count of them,
	   the hub, the classifier and the relays. */
	for (size_t n = 0; n <= s->count + 2 + RELAY_CONNS_MAX; n++) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0 || (pid == -1 && errno == ECHILD))
			return;
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s: waitpid", __func__);
			return;
		}
		struct wproc *w = find_pid(s, pid);
		if (w != NULL)
			ended(s, w, status);
		else if (!listener_hub_reaped(pid, status) &&
		    !classify_reaped(pid, status) &&
		    !relays_reaped(pid, status))
			log_debug("reaped unknown child %d", (int)pid);
	}
}

static size_t
running(const struct supervisor *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->count; i++)
		if (s->w[i].pid > 0)
			n++;
	return n;
}

/* Waits (bounded by deadline) for SIGCHLDs until no worker is running. */
static void
wait_until(struct supervisor *s, int sigfd, uint64_t deadline)
{
	struct signalfd_siginfo si;
	struct pollfd pfd = { .fd = sigfd, .events = POLLIN };
	uint64_t now;

	supervise_reap(s);
	while (running(s) > 0 && (now = supervise_now()) < deadline) {
		if (poll(&pfd, 1, (int)(deadline - now)) > 0 &&
		    read(sigfd, &si, sizeof(si)) < 0 && errno != EAGAIN)
			log_warn("%s: read signalfd", __func__);
		supervise_reap(s);
	}
}

void
supervise_shutdown(struct supervisor *s, int sigfd)
{
	s->stopping = true;
	for (size_t i = 0; i < s->count; i++) {
		struct wproc *w = &s->w[i];
		if (w->chan >= 0) {
			if (chan_send(w->chan, CHAN_STOP, NULL, 0) == -1 &&
			    w->pid > 0)
				kill(w->pid, SIGTERM);
			close(w->chan);
			w->chan = -1;
		} else if (w->pid > 0)
			kill(w->pid, SIGTERM);
		if (w->pid == 0)
			w->state = WPROC_IDLE;
	}
	wait_until(s, sigfd, supervise_now() + SUPERVISE_STOP_WAIT_MS);
	if (running(s) == 0)
		return;
	for (size_t i = 0; i < s->count; i++)
		if (s->w[i].pid > 0) {
			log_warnx("worker %s (pid %d) did not stop, killing it",
			    s->w[i].cfg->name, (int)s->w[i].pid);
			kill(s->w[i].pid, SIGKILL);
		}
	/* SIGKILL cannot be ignored: this ends quickly. */
	wait_until(s, sigfd, supervise_now() + SUPERVISE_STOP_WAIT_MS);
}
