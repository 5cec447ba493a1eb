/*
 * fuzz-options: -max_len=4600 (records up to the channel's limit and beyond)
 * The listener-worker channel as the receiving end sees it: whatever the
 * other process writes into the SOCK_SEQPACKET socketpair. The harness
 * sends one record through a real socketpair and calls chan_recv.
 *
 * Input: one byte, then the record.
 *	byte % 7: descriptors sent with the record (SCM_RIGHTS, copies of
 *	          /dev/null); 5 and 6 are more than fdpass receives, so the
 *	          kernel truncates the control data
 * Aborts when chan_recv returns something outside enum chan_status, hands
 * out a descriptor with anything but a CHAN_CONNECTION, accepts a record
 * whose header is not exactly what was sent, copies other bytes than the
 * payload, or leaves a descriptor open on any error (the lowest free
 * descriptor number must be the same before and after).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "ipc/channel.h"

#define SEND_FDS_MAX	6

static int sv[2] = { -1, -1 };
static int devnull = -1;
static struct chan_msg msg;

static void
setup(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		abort();
}

/* Sends the record with nfds copies of devnull; -1 if it did not go. */
static int
send_record(const uint8_t *rec, size_t len, int nfds)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(SEND_FDS_MAX * sizeof(int))];
	} cm;
	struct iovec iov = { (void *)rec, len };
	struct msghdr m;
	struct cmsghdr *c;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cm, 0, sizeof(cm));
		m.msg_control = cm.buf;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		for (int i = 0; i < nfds; i++)
			memcpy(CMSG_DATA(c) + i * sizeof(int), &devnull,
			    sizeof(int));
	}
	return sendmsg(sv[0], &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int
lowest_free_fd(void)
{
	int fd = dup(sv[0]);

	if (fd == -1)
		abort();
	close(fd);
	return fd;
}

/* A good record: exactly the header that was sent, and its payload. */
static void
check_ok(const uint8_t *rec, size_t len, int nfds)
{
	if (len < CHAN_HDR_LEN || get_le32(rec) != CHAN_MAGIC ||
	    get_le16(rec + 4) != CHAN_VERSION ||
	    msg.type != get_le16(rec + 6) || msg.len != get_le32(rec + 8) ||
	    msg.len != len - CHAN_HDR_LEN || msg.len > CHAN_PAYLOAD_MAX)
		abort();
	if (memcmp(msg.data, rec + CHAN_HDR_LEN, msg.len) != 0)
		abort();
	if (msg.type == CHAN_CONNECTION) {
		if (nfds != 1 || msg.fd < 0)
			abort();
		close(msg.fd);
	} else if (msg.fd != -1 || nfds != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int nfds, before, rc;

	if (size < 2)
		return 0;	/* an empty record reads as EOF */
	if (sv[0] == -1)
		setup();
	nfds = data[0] % (SEND_FDS_MAX + 1);
	before = lowest_free_fd();
	if (send_record(data + 1, size - 1, nfds) == -1)
		return 0;	/* e.g. longer than the socket buffer */
	memset(&msg, 0xa5, sizeof(msg));
	rc = chan_recv(sv[1], &msg);
	if (rc == CHAN_OK)
		check_ok(data + 1, size - 1, nfds);
	else if (rc > CHAN_OK || rc < CHAN_ETYPE || rc == CHAN_EOF ||
	    rc == CHAN_ESYS)
		abort();	/* a record was there to read */
	else if (msg.fd != -1)
		abort();
	if (strcmp(chan_strerror(rc), "unknown error") == 0)
		abort();
	if (lowest_free_fd() != before)
		abort();	/* a received descriptor was left open */
	return 0;
}
