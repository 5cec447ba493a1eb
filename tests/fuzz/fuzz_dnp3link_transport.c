/*
 * Transport reassembly over arbitrary segments, then segmentation back:
 * input is [cap lo][cap hi] then records of [len][len bytes]. Every
 * fragment that comes out must fit the buffer, and must survive
 * transport_tx_frames -> link parser -> station -> transport_rx intact.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnp3/link/link.h"
#include "dnp3/transport/transport.h"

static uint8_t fragbuf[TRANSPORT_FRAG_MAX];
static uint8_t backbuf[TRANSPORT_FRAG_MAX];
static uint8_t wire[(TRANSPORT_FRAG_MAX / TRANSPORT_MAX_PAYLOAD + 2) *
    LINK_MAX_FRAME];

static void
round_trip(const uint8_t *frag, size_t len, uint8_t seq)
{
	struct link_station out, in;
	struct transport_tx tx;
	struct transport_rx rx;
	struct link_parser p;
	uint8_t reply[LINK_MAX_FRAME];

	link_station_init(&out, 10, 1, false, false);
	link_station_init(&in, 1, 10, true, false);
	transport_tx_init(&tx, seq);
	transport_rx_init(&rx, backbuf, sizeof(backbuf));
	link_parser_init(&p, LINK_ERROR_CLOSE);
	int n = transport_tx_frames(&tx, &out, frag, len, wire, sizeof(wire));
	if (n < 0 || (size_t)n != transport_tx_frames_size(len))
		abort();

	size_t off = 0, got = 0;
	while (off < (size_t)n) {
		struct link_frame f;
		struct link_rx r;
		enum link_err err;
		const uint8_t *back;
		size_t used, backlen;
		if (link_parser_feed(&p, wire + off, (size_t)n - off, &used, &f,
		    &err) != LINK_PARSE_FRAME)
			abort();
		off += used;
		link_station_rx(&in, &f, reply, sizeof(reply), &r);
		if (!r.deliver || r.reply_len != 0)
			abort();
		if (transport_rx_segment(&rx, r.data, r.len, &back, &backlen) ==
		    TRANSPORT_RX_FRAGMENT) {
			if (backlen != len || memcmp(back, frag, len) != 0)
				abort();
			got++;
		}
	}
	if (got != 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct transport_rx t;

	if (size < 2)
		return 0;
	size_t cap = data[0] | (size_t)data[1] << 8;
	if (transport_rx_init(&t, fragbuf, cap) != 0) {
		if (cap >= TRANSPORT_FRAG_MIN && cap <= TRANSPORT_FRAG_MAX)
			abort();
		cap = TRANSPORT_FRAG_MIN + cap % 1024;
		if (transport_rx_init(&t, fragbuf, cap) != 0)
			abort();
	}
	for (size_t off = 2; off < size;) {
		size_t len = data[off++];
		if (len > size - off)
			len = size - off;
		const uint8_t *frag;
		size_t fraglen;
		if (transport_rx_segment(&t, data + off, len, &frag,
		    &fraglen) == TRANSPORT_RX_FRAGMENT) {
			if (fraglen > cap || frag != fragbuf)
				abort();
			round_trip(frag, fraglen, len ? data[off] : 0);
		}
		off += len;
	}
	return 0;
}
