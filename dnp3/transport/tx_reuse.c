/*
 * Segmentation that reuses the link frames of the last response (see
 * transport.h). A frame's bytes after its header are blocks of 16 bytes
 * of user data, each followed by its CRC; only the first block holds the
 * transport header (and, in a fragment's first frame, the application
 * control byte with its sequence number), so a frame whose later blocks
 * carry the same data as the slot's is the slot's frame with a new header
 * and a new first block.
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/link/crc.h"
#include "dnp3/transport/transport.h"

#define BODY_MAX	(LINK_MAX_FRAME - LINK_HEADER_LEN)
#define BLOCK_STEP	(LINK_BLOCK_LEN + CRC_DNP_LEN)
/* A slot: the frame's bytes after its header, then its segment's bytes
   after the first block's, whole, for one memcmp. */
#define SLOT_SEG	BODY_MAX
#define SLOT_SIZE	(BODY_MAX + TRANSPORT_MAX_PAYLOAD)

int
transport_reuse_init(struct transport_reuse *r)
{
	memset(r, 0, sizeof(*r));
	if ((r->body = malloc((size_t)TRANSPORT_REUSE_FRAMES * SLOT_SIZE)) ==
	    NULL)
		return -1;
	return 0;
}

void
transport_reuse_free(struct transport_reuse *r)
{
	free(r->body);
	r->body = NULL;
	transport_reuse_clear(r);
}

void
transport_reuse_clear(struct transport_reuse *r)
{
	memset(r->len, 0, sizeof(r->len));
	r->next = 0;
}

/*
 * One frame: transport header th, then the n bytes of seg, into out
 * (room for link_frame_size(n + 1) bytes); keeps it in slot when there
 * is one. Returns the frame's size.
 */
static size_t
frame(struct transport_reuse *r, const struct link_header *h, uint8_t th,
    const uint8_t *seg, size_t n, uint8_t *out)
{
	size_t data = n + 1, first = data < LINK_BLOCK_LEN ? data :
	    LINK_BLOCK_LEN;
	size_t size = link_frame_size(data), slot = r->next;
	uint8_t *kept = slot < TRANSPORT_REUSE_FRAMES ?
	    r->body + slot * SLOT_SIZE : NULL;
	uint8_t *body = out + LINK_HEADER_LEN, block[LINK_BLOCK_LEN];

	link_header_encode(out, h, data);
	block[0] = th;
	if (first > 1)
		memcpy(block + 1, seg, first - 1);
	crc_dnp_copy_append(body, block, first);
	if (kept != NULL && r->len[slot] == data &&
	    (data == first ||
	    memcmp(kept + SLOT_SEG, seg + first - 1, data - first) == 0)) {
		if (data > LINK_BLOCK_LEN)
			memcpy(body + BLOCK_STEP, kept + BLOCK_STEP,
			    size - LINK_HEADER_LEN - BLOCK_STEP);
		r->reused++;
	} else {
		size_t d, o;

		for (d = LINK_BLOCK_LEN, o = BLOCK_STEP; d < data;
		    d += LINK_BLOCK_LEN, o += BLOCK_STEP) {
			size_t k = data - d < LINK_BLOCK_LEN ? data - d :
			    LINK_BLOCK_LEN;

			crc_dnp_copy_append(body + o, seg + d - 1, k);
		}
		if (kept != NULL) {
			memcpy(kept, body, size - LINK_HEADER_LEN);
			if (data > first)
				memcpy(kept + SLOT_SEG, seg + first - 1,
				    data - first);
			r->len[slot] = (uint8_t)data;
		}
		r->built++;
	}
	if (slot < TRANSPORT_REUSE_FRAMES)
		r->next++;
	return size;
}

int
transport_tx_frames_reuse(struct transport_tx *t, struct transport_reuse *r,
    const struct link_station *s, const uint8_t *frag, size_t len,
    bool first, uint8_t *out, size_t cap)
{
	struct link_header h;
	size_t off = 0, o = 0;

	if (!transport_tx_fits(frag, len, cap))
		return -1;
	if (first)
		r->next = 0;
	link_station_data_header(s, &h);
	do {
		size_t n;
		uint8_t th = transport_tx_next(t, off, len, &n);

		o += frame(r, &h, th, n > 0 ? frag + off : NULL, n, out + o);
		off += n;
	} while (off < len);
	return (int)o;
}
