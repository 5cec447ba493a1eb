/*
 * SCM_RIGHTS descriptor passing over SOCK_SEQPACKET.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc/fdpass.h"

int
fdpass_send(int sock, const void *buf, size_t len, int fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (fd >= 0) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/*
 * Collects the descriptors of every SCM_RIGHTS message into fds[] (closing
 * those beyond max) and returns how many there were in all; *bad tells
 * whether another kind of control message came along.
 */
static int
collect_fds(struct msghdr *msg, int *fds, int max, int *bad)
{
	struct cmsghdr *cmsg;
	int total = 0;

	*bad = 0;
	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS) {
			*bad = 1;
			continue;
		}
		size_t n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (total < max)
				fds[total] = fd;
			else
				close(fd);
			total++;
		}
	}
	return total;
}

ssize_t
fdpass_recv(int sock, void *buf, size_t cap, int *fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(FDPASS_MAX_FDS * sizeof(int))];
	} cmsgbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cmsgbuf.buf, .msg_controllen = sizeof(cmsgbuf.buf)
	};
	int fds[FDPASS_MAX_FDS];
	ssize_t n;
	int nfds, bad, i;

	*fd = -1;
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return FDPASS_ESYS;

	nfds = collect_fds(&msg, fds, FDPASS_MAX_FDS, &bad);
	ssize_t status = n;
	if (msg.msg_flags & MSG_CTRUNC)
		status = FDPASS_ECTRUNC;
	else if (bad)
		status = FDPASS_ECMSG;
	else if (nfds > 1)
		status = FDPASS_EFDS;
	else if (msg.msg_flags & MSG_TRUNC)
		status = FDPASS_ETRUNC;
	if (nfds > FDPASS_MAX_FDS)
		nfds = FDPASS_MAX_FDS;
	if (status <= 0) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		return status;
	}
	if (nfds == 1)
		*fd = fds[0];
	return n;
}

const char *
fdpass_strerror(ssize_t status)
{
	switch (status) {
	case FDPASS_EOF:
		return "end of file";
	case FDPASS_ESYS:
		return strerror(errno);
	case FDPASS_ETRUNC:
		return "message truncated";
	case FDPASS_ECTRUNC:
		return "control data truncated (descriptors lost)";
	case FDPASS_EFDS:
		return "more than one descriptor";
	case FDPASS_ECMSG:
		return "unexpected control message";
	default:
		return status > 0 ? "no error" : "unknown error";
	}
}
