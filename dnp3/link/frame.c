/*
 * Link frame codec: control byte and the encoder. Decoding of whole frames
 * happens in the parser (link_parser.c), which sees bytes as they come.
 */
#include "dnp3/link/crc.h"
#include "dnp3/link/link.h"

uint8_t
link_ctrl_encode(const struct link_header *h)
{
	uint8_t c = h->func & LINK_CTRL_FUNC;

	if (h->dir)
		c |= LINK_CTRL_DIR;
	if (h->prm)
		c |= LINK_CTRL_PRM;
	if (h->fcb)
		c |= LINK_CTRL_FCB;
	if (h->fcv)
		c |= LINK_CTRL_FCV;
	return c;
}

void
link_ctrl_decode(uint8_t c, struct link_header *h)
{
	h->dir = (c & LINK_CTRL_DIR) != 0;
	h->prm = (c & LINK_CTRL_PRM) != 0;
	h->fcb = (c & LINK_CTRL_FCB) != 0;
	h->fcv = (c & LINK_CTRL_FCV) != 0;
	h->func = c & LINK_CTRL_FUNC;
}

size_t
link_frame_size(size_t len)
{
	size_t blocks = (len + LINK_BLOCK_LEN - 1) / LINK_BLOCK_LEN;

	return LINK_HEADER_LEN + len + blocks * CRC_DNP_LEN;
}

void
link_header_encode(uint8_t *out, const struct link_header *h, size_t len)
{
	out[0] = LINK_START1;
	out[1] = LINK_START2;
	out[2] = (uint8_t)(LINK_MIN_LEN + len);
	out[3] = link_ctrl_encode(h);
	out[4] = h->dest & 0xff;
	out[5] = h->dest >> 8;
	out[6] = h->src & 0xff;
	out[7] = h->src >> 8;
	crc_dnp_append(out, 8);
}

int
link_frame_encode(uint8_t *out, size_t cap, const struct link_header *h,
    const uint8_t *data, size_t len)
{
	if (len > LINK_MAX_USER_DATA || (len > 0 && data == NULL))
		return -1;
	size_t size = link_frame_size(len);
	if (out == NULL || cap < size)
		return -1;

	link_header_encode(out, h, len);
	size_t o = LINK_HEADER_LEN;
	for (size_t i = 0; i < len; i += LINK_BLOCK_LEN) {
		size_t n = len - i < LINK_BLOCK_LEN ? len - i : LINK_BLOCK_LEN;
		crc_dnp_copy_append(out + o, data + i, n);
		o += n + CRC_DNP_LEN;
	}
	return (int)size;
}
