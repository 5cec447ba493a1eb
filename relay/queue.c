/*
 * The merger: frames go into a destination's queue whole or not at all,
 * so whatever order the sources come in, the byte stream out is one
 * whole frame after another.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "relay/relay.h"

bool
relay_tx_put(struct relay_tx *tx, const uint8_t *frame, size_t len)
{
	if (tx->off > 0 && tx->off == tx->len)
		tx->off = tx->len = 0;
	if (len > sizeof(tx->buf) - tx->len && tx->off > 0) {
		memmove(tx->buf, tx->buf + tx->off, tx->len - tx->off);
		tx->len -= tx->off;
		tx->off = 0;
	}
	if (len > sizeof(tx->buf) - tx->len)
		return false;
	memcpy(tx->buf + tx->len, frame, len);
	tx->len += len;
	return true;
}

bool
relay_tx_pending(const struct relay_tx *tx)
{
	return tx->off < tx->len;
}

int
relay_tx_flush(struct relay_tx *tx, int fd)
{
	/* Bounded: each round writes bytes or ends. */
	while (tx->off < tx->len) {
		ssize_t n = write(fd, tx->buf + tx->off, tx->len - tx->off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		tx->off += (size_t)n;
	}
	tx->off = tx->len = 0;
	return 0;
}
