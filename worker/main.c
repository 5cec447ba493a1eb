/*
 * dnp3d-worker: one outstation, started by dnp3d (fork + exec) with its
 * end of the channel on descriptor CHAN_WORKER_FD. Not meant to be run by
 * hand.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "worker/bus.h"
#include "worker/worker.h"

static void
usage(void)
{
	fprintf(stderr, "usage: dnp3d-worker [-d]  (started by dnp3d)\n");
	exit(1);
}

/* The channel must be an inherited SOCK_SEQPACKET socket on fd 3. */
static void
check_channel(int fd)
{
	int type;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET)
		fatalx("descriptor %d is not the listener's channel; "
		    "dnp3d-worker is started by dnp3d", fd);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		fatal("%s: fcntl", __func__);
}

int
main(int argc, char **argv)
{
	static struct worker w;
	struct outstation_config cfg;
	int ch, verbose = 0;

	while ((ch = getopt(argc, argv, "d")) != -1) {
		switch (ch) {
		case 'd':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("dnp3d-worker", verbose);

	/* Also set by the listener before exec; harmless twice. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		fatal("prctl(PR_SET_PDEATHSIG)");
	signal(SIGPIPE, SIG_IGN);
	check_channel(CHAN_WORKER_FD);

	if (worker_recv_config(CHAN_WORKER_FD, &cfg) == -1)
		exit(1);
	log_procname(cfg.name);
	worker_init(&w, CHAN_WORKER_FD, &cfg);

	worker_bus_open(&w);
	worker_lockdown(&w);

	log_info("ready: link address %u, master %u, link errors: %s",
	    (unsigned)cfg.address, (unsigned)cfg.master,
	    cfg.link_error_mode == LINK_ERROR_CLOSE ? "close" : "discard");
	if (chan_send(w.chan, CHAN_READY, NULL, 0, -1) == -1)
		fatal("%s: send ready", __func__);
	/* A busy listener must never stall the outstation (CHAN_MASTER). */
	if (fcntl(w.chan, F_SETFL, O_NONBLOCK) == -1)
		fatal("%s: fcntl", __func__);
	return worker_loop(&w) == 0 ? 0 : 1;
}
