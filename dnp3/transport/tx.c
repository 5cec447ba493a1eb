/*
 * Transport segmentation: an application fragment into segments of at
 * most 249 bytes, FIR on the first, FIN on the last, SEQ rolling mod 64
 * across fragments.
 */
#include <string.h>

#include "dnp3/transport/transport.h"

void
transport_tx_init(struct transport_tx *t, uint8_t seq)
{
	t->seq = seq & TRANSPORT_SEQ_MASK;
}

uint8_t
transport_tx_next(struct transport_tx *t, size_t off, size_t len, size_t *n)
{
	uint8_t h = t->seq;

	*n = off < len ? len - off : 0;
	if (*n > TRANSPORT_MAX_PAYLOAD)
		*n = TRANSPORT_MAX_PAYLOAD;
	if (off == 0)
		h |= TRANSPORT_FIR;
	if (off + *n >= len)
		h |= TRANSPORT_FIN;
	t->seq = (t->seq + 1) & TRANSPORT_SEQ_MASK;
	return h;
}

bool
transport_tx_fits(const uint8_t *frag, size_t len, size_t cap)
{
	return len <= TRANSPORT_FRAG_MAX && (len == 0 || frag != NULL) &&
	    transport_tx_frames_size(len) <= cap;
}

size_t
transport_tx_segment(struct transport_tx *t, const uint8_t *frag, size_t len,
    size_t *off, uint8_t *out)
{
	size_t n;

	out[0] = transport_tx_next(t, *off, len, &n);
	if (n > 0)
		memcpy(out + 1, frag + *off, n);
	*off += n;
	return n + 1;
}

size_t
transport_tx_frames_size(size_t len)
{
	size_t full = len / TRANSPORT_MAX_PAYLOAD;
	size_t rest = len % TRANSPORT_MAX_PAYLOAD;
	size_t size = full * link_frame_size(TRANSPORT_MAX_PAYLOAD + 1);

	if (rest > 0 || len == 0)
		size += link_frame_size(rest + 1);
	return size;
}

int
transport_tx_frames(struct transport_tx *t, const struct link_station *s,
    const uint8_t *frag, size_t len, uint8_t *out, size_t cap)
{
	uint8_t seg[TRANSPORT_MAX_PAYLOAD + 1];
	struct transport_tx save = *t;
	size_t off = 0, o = 0;

	if (!transport_tx_fits(frag, len, cap))
		return -1;
	do {
		size_t n = transport_tx_segment(t, frag, len, &off, seg);
		int w = link_station_encode_data(s, seg, n, out + o, cap - o);
		if (w < 0) {
			*t = save;
			return -1;
		}
		o += (size_t)w;
	} while (off < len);
	return (int)o;
}
