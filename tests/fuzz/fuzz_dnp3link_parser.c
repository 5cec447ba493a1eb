/*
 * Link parser and station over arbitrary bytes. The first input byte picks
 * the error mode and the chunk size the stream is fed in, so frames split
 * across calls are exercised too. Every frame that comes out is encoded
 * again and must parse back identically; every reply the station writes
 * must itself be a well-formed frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnp3/link/link.h"
#include "dnp3/transport/transport.h"

static void
check_round_trip(const struct link_frame *f)
{
	uint8_t out[LINK_MAX_FRAME];
	struct link_parser p;
	struct link_frame g;
	enum link_err err;
	size_t used;
	int n = link_frame_encode(out, sizeof(out), &f->hdr, f->data, f->len);

	if (n < 0 || (size_t)n != link_frame_size(f->len))
		abort();
	link_parser_init(&p, LINK_ERROR_CLOSE);
	if (link_parser_feed(&p, out, (size_t)n, &used, &g, &err) !=
	    LINK_PARSE_FRAME || used != (size_t)n || g.len != f->len ||
	    link_ctrl_encode(&g.hdr) != link_ctrl_encode(&f->hdr) ||
	    g.hdr.dest != f->hdr.dest || g.hdr.src != f->hdr.src ||
	    (f->len > 0 && memcmp(g.data, f->data, f->len) != 0))
		abort();
}

static void
check_reply(const uint8_t *reply, size_t len)
{
	struct link_parser p;
	struct link_frame g;
	enum link_err err;
	size_t used;

	if (len == 0)
		return;
	link_parser_init(&p, LINK_ERROR_CLOSE);
	if (link_parser_feed(&p, reply, len, &used, &g, &err) !=
	    LINK_PARSE_FRAME || used != len || g.hdr.prm || g.len != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fragbuf[2048];
	struct link_parser p;
	struct link_station s;
	struct transport_rx t;
	uint8_t reply[LINK_MAX_FRAME];

	if (size < 2)
		return 0;
	enum link_error_mode mode = data[0] & 1 ? LINK_ERROR_DISCARD :
	    LINK_ERROR_CLOSE;
	size_t chunk = (data[0] >> 1) + 1;
	data++;
	size--;
	link_parser_init(&p, mode);
	link_station_init(&s, 1, 1024, false, data[0] & 0x80);
	transport_rx_init(&t, fragbuf, sizeof(fragbuf));

	/* Bounded: every call either consumes input or ends the loop. */
	for (size_t off = 0; off < size;) {
		size_t n = size - off < chunk ? size - off : chunk;
		size_t used;
		struct link_frame f;
		enum link_err err;
		enum link_parse r = link_parser_feed(&p, data + off, n, &used,
		    &f, &err);
		if (used > n)
			abort();
		off += used;
		if (r == LINK_PARSE_ERROR && mode == LINK_ERROR_CLOSE)
			return 0;
		if (r != LINK_PARSE_FRAME)
			continue;
		if (f.len > LINK_MAX_USER_DATA)
			abort();
		check_round_trip(&f);
		struct link_rx rx;
		link_station_rx(&s, &f, reply, sizeof(reply), &rx);
		check_reply(reply, rx.reply_len);
		if (rx.deliver) {
			const uint8_t *frag;
			size_t fraglen;
			if (transport_rx_segment(&t, rx.data, rx.len, &frag,
			    &fraglen) == TRANSPORT_RX_FRAGMENT &&
			    fraglen > sizeof(fragbuf))
				abort();
		}
	}
	return 0;
}
