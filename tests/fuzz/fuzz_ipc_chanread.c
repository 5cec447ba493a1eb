/*
 * The worker -> listener half of the channel as the listener reads it
 * (chan_read): whatever a worker writes into its packet-mode pipe. The
 * input is written at once; the kernel cuts it into packets of PIPE_BUF
 * bytes, and each packet is one chan_read().
 *
 * Aborts when chan_read returns something outside enum chan_status,
 * hands out a descriptor, accepts a packet whose header is not exactly
 * what was written, accepts a CHAN_CONNECTION (it needs a descriptor,
 * which a pipe cannot carry), or copies other bytes than the payload.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "ipc/channel.h"

#define INPUT_MAX	(3 * PIPE_BUF)

static int pp[2] = { -1, -1 };
static struct chan_msg msg;

static void
check_ok(const uint8_t *pkt, size_t len)
{
	if (len < CHAN_HDR_LEN || get_le32(pkt) != CHAN_MAGIC ||
	    get_le16(pkt + 4) != CHAN_VERSION ||
	    msg.type != get_le16(pkt + 6) || msg.len != get_le32(pkt + 8) ||
	    msg.len != len - CHAN_HDR_LEN || msg.len > CHAN_PAYLOAD_MAX ||
	    msg.type == CHAN_CONNECTION || msg.fd != -1)
		abort();
	if (memcmp(msg.data, pkt + CHAN_HDR_LEN, msg.len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off;
	int rc;

	if (size == 0 || size > INPUT_MAX)
		return 0;
	if (pp[0] == -1 && pipe2(pp, O_DIRECT | O_NONBLOCK) == -1)
		abort();
	if (write(pp[1], data, size) != (ssize_t)size)
		abort();
	for (off = 0; off < size; off += PIPE_BUF) {
		size_t len = size - off < PIPE_BUF ? size - off : PIPE_BUF;
		memset(&msg, 0xa5, sizeof(msg));
		rc = chan_read(pp[0], &msg);
		if (rc == CHAN_OK)
			check_ok(data + off, len);
		else if (rc > CHAN_OK || rc < CHAN_ETYPE || rc == CHAN_EOF ||
		    rc == CHAN_ESYS || msg.fd != -1)
			abort();
		if (strcmp(chan_strerror(rc), "unknown error") == 0)
			abort();
	}
	if (chan_read(pp[0], &msg) != CHAN_ESYS || errno != EAGAIN)
		abort();	/* one packet per PIPE_BUF, nothing left */
	return 0;
}
