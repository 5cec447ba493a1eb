/*
 * The two halves of a listener-worker channel (see channel.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc/channel.h"

int
chan_pair_open(struct chan_pair *p)
{
	int sv[2], pp[2], saved;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	/* SHUT_RD here is SEND_SHUTDOWN for the worker's end: whatever it
	   sends there, with or without descriptors, fails with EPIPE. */
	if (shutdown(sv[0], SHUT_RD) == -1 ||
	    pipe2(pp, O_DIRECT | O_CLOEXEC) == -1) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
		errno = saved;
		return -1;
	}
	p->to_worker = sv[0];
	p->worker_in = sv[1];
	p->from_worker = pp[0];
	p->worker_out = pp[1];
	return 0;
}

void
chan_pair_close(struct chan_pair *p)
{
	int *fds[] = { &p->to_worker, &p->from_worker, &p->worker_in,
	    &p->worker_out };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}
