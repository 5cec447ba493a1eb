/*
 * Transport reassembly: segments (link user data) into one application
 * fragment in the caller's buffer. Over TCP a segment is never duplicated,
 * so any gap or repeat in the sequence loses the fragment being built.
 */
#include <string.h>

#include "dnp3/transport/transport.h"

int
transport_rx_init(struct transport_rx *t, uint8_t *buf, size_t cap)
{
	if (buf == NULL || cap < TRANSPORT_FRAG_MIN || cap > TRANSPORT_FRAG_MAX)
		return -1;
	memset(t, 0, sizeof(*t));
	t->buf = buf;
	t->cap = cap;
	return 0;
}

void
transport_rx_reset(struct transport_rx *t)
{
	t->len = 0;
	t->open = false;
}

static enum transport_rx_result
rx_drop(struct transport_rx *t, uint64_t *counter)
{
	(*counter)++;
	transport_rx_reset(t);
	return TRANSPORT_RX_DROPPED;
}

enum transport_rx_result
transport_rx_segment(struct transport_rx *t, const uint8_t *seg, size_t len,
    const uint8_t **frag, size_t *fraglen)
{
	t->stats.segments++;
	if (len == 0) {
		t->stats.empty++;
		return TRANSPORT_RX_DROPPED;	/* the open fragment survives */
	}
	if (len > TRANSPORT_MAX_PAYLOAD + 1)	/* more than a link frame */
		return rx_drop(t, &t->stats.oversize);
	uint8_t hdr = seg[0], seq = hdr & TRANSPORT_SEQ_MASK;
	size_t n = len - 1;

	if (hdr & TRANSPORT_FIR) {
		if (t->open)
			t->stats.restarted++;
		t->len = 0;
		t->open = true;
	} else if (!t->open) {
		t->stats.no_fir++;
		return TRANSPORT_RX_DROPPED;
	} else if (seq != t->next_seq)
		return rx_drop(t, &t->stats.out_of_seq);

	if (n > t->cap - t->len)
		return rx_drop(t, &t->stats.oversize);
	if (n > 0)
		memcpy(t->buf + t->len, seg + 1, n);
	t->len += n;
	t->next_seq = (seq + 1) & TRANSPORT_SEQ_MASK;
	if (!(hdr & TRANSPORT_FIN))
		return TRANSPORT_RX_MORE;

	t->stats.fragments++;
	t->open = false;
	*frag = t->buf;
	*fraglen = t->len;
	return TRANSPORT_RX_FRAGMENT;
}
