/*
 * Workers a reload ends (see supervise.h): told why, waited for, killed
 * if they outstay SUPERVISE_STOP_WAIT_MS. Each is waited for through a
 * pidfd and reaped by its own pid, so the signalfd is left alone: a
 * SIGTERM or SIGHUP that comes meanwhile, and the SIGCHLD of any other
 * child, are still there for the main loop.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/proc.h"
#include "listener/supervise.h"

static const char *
why_name(uint8_t why)
{
	return why == CHAN_STOP_REMOVED ? "removed" : "reconfigured";
}

static void
retired(struct wproc *w, int status, uint8_t why)
{
	char how[64];

	log_info("worker %s (pid %d) stopped (%s): %s", w->cfg->name,
	    (int)w->pid, why_name(why),
	    supervise_status_str(status, how, sizeof(how)));
	proc_event_worker_exited(w->cfg, w->pid, status, 0, why_name(why));
	w->pid = 0;
	w->state = WPROC_IDLE;
	supervise_drop_masters(w);
}

/* Reaps those of w[] that have ended; how many still run. */
static size_t
reap_some(struct wproc *const *w, const uint8_t *why, int *pidfd, size_t n)
{
	size_t left = 0;
	int status;

	for (size_t i = 0; i < n; i++) {
		if (w[i]->pid <= 0)
			continue;
		if (waitpid(w[i]->pid, &status, WNOHANG) == w[i]->pid) {
			retired(w[i], status, why[i]);
			if (pidfd[i] >= 0)
				close(pidfd[i]);
			pidfd[i] = -1;
		} else
			left++;
	}
	return left;
}

/* Polls the pidfds until every worker is reaped or deadline. */
static size_t
wait_some(struct wproc *const *w, const uint8_t *why, int *pidfd,
    struct pollfd *pfd, size_t n, uint64_t deadline)
{
	size_t left;
	uint64_t now;

	while ((left = reap_some(w, why, pidfd, n)) > 0 &&
	    (now = supervise_now()) < deadline) {
		for (size_t i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = pidfd[i],
			    .events = POLLIN };
		if (poll(pfd, n, (int)(deadline - now)) == -1 &&
		    errno != EINTR)
			log_warn("%s: poll", __func__);
	}
	return left;
}

static void
tell_stop(struct wproc *w, uint8_t why)
{
	if (w->chan >= 0 && chan_send(w->chan, CHAN_STOP, &why, 1) == -1 &&
	    w->pid > 0)
		kill(w->pid, SIGTERM);
	supervise_chan_close(w);
	if (w->pid > 0 && w->state == WPROC_DEAD)
		kill(w->pid, SIGTERM);
	if (w->pid <= 0)
		w->state = WPROC_IDLE;
}

void
supervise_retire(struct wproc *const *w, const uint8_t *why, size_t n)
{
	int *pidfd = calloc(n ? n : 1, sizeof(*pidfd));
	struct pollfd *pfd = calloc(n ? n : 1, sizeof(*pfd));

	if (pidfd == NULL || pfd == NULL)
		fatal("%s: calloc", __func__);
	for (size_t i = 0; i < n; i++) {
		/* A pidfd failure only costs promptness: poll times out. */
		pidfd[i] = w[i]->pid > 0 ? pidfd_open(w[i]->pid, 0) : -1;
		tell_stop(w[i], why[i]);
	}
	if (wait_some(w, why, pidfd, pfd, n,
	    supervise_now() + SUPERVISE_STOP_WAIT_MS) > 0) {
		for (size_t i = 0; i < n; i++)
			if (w[i]->pid > 0) {
				log_warnx("worker %s (pid %d) did not stop, "
				    "killing it", w[i]->cfg->name,
				    (int)w[i]->pid);
				kill(w[i]->pid, SIGKILL);
			}
		wait_some(w, why, pidfd, pfd, n,
		    supervise_now() + SUPERVISE_STOP_WAIT_MS);
	}
	for (size_t i = 0; i < n; i++)
		if (pidfd[i] >= 0)
			close(pidfd[i]);
	free(pidfd);
	free(pfd);
}
