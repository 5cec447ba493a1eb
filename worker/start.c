/*
 * The worker's start-up, from exec to "ready": shared by dnp3d-worker's
 * main() and the compromised-worker harness (tests/attack/), which must
 * run exactly these steps before it attacks.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/child.h"
#include "common/log.h"
#include "ipc/channel.h"
#include "worker/hub_link.h"
#include "worker/tls.h"
#include "worker/worker.h"

/* The channel must be inherited: a SOCK_SEQPACKET socket on fd 3 (from
   the listener) and a pipe on fd 4 (to it). */
static void
check_channel(int in, int out)
{
	int type;
	socklen_t len = sizeof(type);
	struct stat st;

	if (getsockopt(in, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET || fstat(out, &st) == -1 ||
	    !S_ISFIFO(st.st_mode))
		fatalx("descriptors %d and %d are not the listener's channel; "
		    "dnp3d-worker is started by dnp3d", in, out);
	if (fcntl(in, F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(out, F_SETFD, FD_CLOEXEC) == -1)
		fatal("%s: fcntl", __func__);
}

/* The listener passes a state region after the channel (fstat: seccomp
   is not loaded yet, and stdio already uses it). */
static bool
has_state(void)
{
	struct stat st;

	return fstat(CHAN_WORKER_STATE_FD, &st) == 0 && S_ISREG(st.st_mode);
}

/* Keeps the other flags: the pipe's O_DIRECT makes a record a packet. */
static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void
worker_start(struct worker *w, const struct worker_tls_ops *tls,
    void (*hook)(struct worker *), const char *discard)
{
	struct outstation_config cfg;

	child_bind_to_parent();
	check_channel(CHAN_WORKER_FD, CHAN_WORKER_OUT_FD);

	if (worker_recv_config(CHAN_WORKER_FD, &cfg) == -1)
		exit(1);
	log_procname(cfg.name);
	worker_init(w, CHAN_WORKER_FD, &cfg, has_state() ?
	    CHAN_WORKER_STATE_FD : -1, discard);
	w->chan_out = CHAN_WORKER_OUT_FD;
	/* First, so that the listener knows it even if this one dies. */
	worker_state_tell(w);
	if (hook != NULL)
		hook(w);
	/* Certificates and keys can only be read before the lockdown. */
	if (cfg.tls) {
		if (tls == NULL)
			fatalx("outstation %s is on a server with tls: "
			    "dnp3d-worker-tls serves it, not this program",
			    cfg.name);
		w->tls_ops = tls;
		tls->setup(w);
	}

	/* What the bus code would read from files on first use, now. */
	worker_bus_open(w);
	worker_bus_control_init(w);
	worker_bus_set_status(worker_status_answer);
	worker_lockdown(w);
	/* Building the seccomp filter and reading the configuration left
	   freed heap pages dirty: give them back (a worker's private memory
	   is what 10,000 of them cost). */
	(void)malloc_trim(0);

	log_info("ready: link address %u, master %u, link errors: %s",
	    (unsigned)cfg.address, (unsigned)cfg.master,
	    cfg.link_error_mode == LINK_ERROR_CLOSE ? "close" : "discard");
	if (chan_send(w->chan_out, CHAN_READY, NULL, 0) == -1)
		fatal("%s: send ready", __func__);
	/* A busy listener must never stall the outstation (CHAN_MASTER). */
	if (set_nonblock(w->chan) == -1 || set_nonblock(w->chan_out) == -1)
		fatal("%s: fcntl", __func__);
}
