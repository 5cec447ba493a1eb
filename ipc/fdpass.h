#ifndef DNP3D_IPC_FDPASS_H
#define DNP3D_IPC_FDPASS_H

/*
 * One message, with at most one descriptor, over a SOCK_SEQPACKET socket
 * (SCM_RIGHTS). The receiver trusts nothing: a message longer than the
 * buffer, a truncated control message (MSG_CTRUNC: e.g. RLIMIT_NOFILE was
 * reached and the kernel dropped descriptors) or more than one descriptor
 * is an error, and every descriptor that did arrive is closed.
 */
#include <stddef.h>
#include <sys/types.h>

/* Room for a few descriptors so that extra ones arrive and get closed. */
#define FDPASS_MAX_FDS		4

enum fdpass_status {
	FDPASS_EOF	= 0,	/* peer closed */
	FDPASS_ESYS	= -1,	/* see errno (EAGAIN when nonblocking) */
	FDPASS_ETRUNC	= -2,	/* message longer than the buffer */
	FDPASS_ECTRUNC	= -3,	/* control data truncated (MSG_CTRUNC) */
	FDPASS_EFDS	= -4,	/* more than one descriptor */
	FDPASS_ECMSG	= -5	/* a control message other than SCM_RIGHTS */
};

/* Sends len bytes (len > 0) and fd when fd >= 0. 0, or -1 with errno. */
int	 fdpass_send(int sock, const void *buf, size_t len, int fd);

/*
 * Receives one message into buf. Returns its length (> 0) with *fd set to
 * the descriptor received (CLOEXEC) or -1, or an fdpass_status <= 0; on
 * every error *fd is -1 and nothing is left open.
 */
ssize_t	 fdpass_recv(int sock, void *buf, size_t cap, int *fd);

const char *fdpass_strerror(ssize_t status);

#endif
