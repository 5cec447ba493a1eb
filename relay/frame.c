/*
 * The frame splitter: a whole DNP3 link frame at the head of a buffer,
 * every length checked before it is used and every CRC (header and each
 * block) before the frame is whole. The relay forwards frames unchanged,
 * so it only measures and checks them.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "dnp3/link/crc.h"
#include "relay/relay.h"

/* Header bytes before its CRC: start (2), LEN, control, dest, src. */
#define HDR_BODY	(LINK_HEADER_LEN - CRC_DNP_LEN)

enum relay_frame
relay_frame_check(const uint8_t *buf, size_t n, size_t *flen)
{
	size_t user, size, off;

	if ((n >= 1 && buf[0] != LINK_START1) ||
	    (n >= 2 && buf[1] != LINK_START2) ||
	    (n >= 3 && buf[2] < LINK_MIN_LEN))
		return RELAY_FRAME_BAD;
	if (n < LINK_HEADER_LEN)
		return RELAY_FRAME_MORE;
	if (!crc_dnp_check(buf, HDR_BODY))
		return RELAY_FRAME_BAD;
	/* LEN <= 255, so user <= LINK_MAX_USER_DATA: no overflow. */
	user = (size_t)buf[2] - LINK_MIN_LEN;
	size = LINK_HEADER_LEN + user +
	    CRC_DNP_LEN * ((user + LINK_BLOCK_LEN - 1) / LINK_BLOCK_LEN);
	if (n < size)
		return RELAY_FRAME_MORE;
	for (off = LINK_HEADER_LEN; off < size; ) {
		size_t blk = user < LINK_BLOCK_LEN ? user : LINK_BLOCK_LEN;
		if (!crc_dnp_check(buf + off, blk))
			return RELAY_FRAME_BAD;
		off += blk + CRC_DNP_LEN;
		user -= blk;
	}
	*flen = size;
	return RELAY_FRAME_WHOLE;
}

enum relay_frame
relay_rx_next(const struct relay_rx *rx, const uint8_t **frame, size_t *len)
{
	enum relay_frame f = relay_frame_check(rx->buf, rx->len, len);

	if (f == RELAY_FRAME_WHOLE)
		*frame = rx->buf;
	return f;
}

void
relay_rx_consume(struct relay_rx *rx, size_t len)
{
	if (len > rx->len)
		len = rx->len;
	memmove(rx->buf, rx->buf + len, rx->len - len);
	rx->len -= len;
}

ssize_t
relay_rx_read(struct relay_rx *rx, int fd)
{
	ssize_t n;

	if (rx->len >= sizeof(rx->buf)) {
		errno = EAGAIN;
		return -1;
	}
	n = read(fd, rx->buf + rx->len, sizeof(rx->buf) - rx->len);
	if (n > 0)
		rx->len += (size_t)n;
	return n;
}

uint16_t
relay_frame_dest(const uint8_t *frame)
{
	return get_le16(frame + 4);
}

uint16_t
relay_frame_src(const uint8_t *frame)
{
	return get_le16(frame + 6);
}
