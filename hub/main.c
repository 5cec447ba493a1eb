/*
 * dnp3d-hub: the bus hub (hub/hub.h), started by dnp3d (fork + exec)
 * with its channel on descriptor HUB_CHAN_FD, the runtime directory on
 * HUB_DIR_FD and its ready pipe on HUB_READY_FD. Not meant to be run by
 * hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/child.h"
#include "common/log.h"
#include "hub/hub.h"

/* What the listener left on the fixed descriptors, or nothing to do. */
static void
check_fds(void)
{
	struct stat st;
	int type;
	socklen_t len = sizeof(type);

	if (getsockopt(HUB_CHAN_FD, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET || fstat(HUB_DIR_FD, &st) == -1 ||
	    !S_ISDIR(st.st_mode) || fstat(HUB_READY_FD, &st) == -1 ||
	    !S_ISFIFO(st.st_mode))
		fatalx("descriptors %d-%d are not the listener's channel, "
		    "runtime directory and pipe; dnp3d-hub is started by dnp3d",
		    HUB_CHAN_FD, HUB_READY_FD);
	for (int fd = HUB_CHAN_FD; fd <= HUB_READY_FD; fd++)
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
			fatal("%s: fcntl", __func__);
}

/*
 * After a restart: clients of the hub before reconnect on their own
 * (nanomsg retries every 100 ms); what is published before they are back
 * -- hub_exited, hub_started -- would be lost to them. So the hub binds,
 * then waits rejoin_ms before it publishes anything. Workers' and
 * clients' messages wait in their sockets meanwhile.
 */
static void
rejoin(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
start(struct hub *h)
{
	char err[256];

	/* before the lockdown, and before hub_clients_open() starts
	   nanomsg's threads */
	bus_preload();
	h->chan = HUB_CHAN_FD;
	h->dirfd = HUB_DIR_FD;
	h->sock = -1;
	if (hub_chan_setup(h, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if ((h->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("epoll_create1");
	if (hub_clients_open(h, err, sizeof(err)) == -1 ||
	    hub_bind_all(h, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (hub_epoll_add(h, h->chan, HUB_TAG_CHAN) == -1 ||
	    hub_epoll_add(h, h->rcvfd, HUB_TAG_CLIENTS) == -1)
		fatal("epoll_ctl");
	hub_lockdown(h);
	for (uint32_t i = 0; i < h->cfg.bus_count; i++)
		log_info("bus on %s", h->cfg.bus[i]);
	if (write(HUB_READY_FD, &(char){ HUB_READY_BYTE }, 1) != 1)
		fatal("write ready");
	if (fcntl(h->chan, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	rejoin(h->cfg.rejoin_ms);
}

int
main(int argc, char **argv)
{
	static struct hub h;

	child_options(argc, argv, "dnp3d-hub");
	child_bind_to_parent();
	check_fds();
	start(&h);
	hub_loop(&h);
	hub_drain(&h);
	/* No nn_close(): nanomsg would try to unlink its socket files. */
	return 0;
}
