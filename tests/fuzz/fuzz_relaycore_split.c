/*
 * The relay's frame splitter on arbitrary bytes from the network (the
 * master's or a worker's): split as the relay does, a buffer at a time.
 * A whole frame is 10..292 bytes, within what was there, starts 05 64 and
 * is exactly the size its LEN byte gives; MORE never comes with a whole
 * buffer (a frame always fits); nothing reads beyond the bytes given.
 * fuzz-options: -max_len=2000 (several buffers of the relay)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relay/relay.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct relay_rx rx;
	const uint8_t *frame;
	size_t len, off = 0;
	enum relay_frame f;

	rx.len = 0;
	/* Bounded: each round takes bytes in or a frame out, or ends. */
	while (off < size || rx.len > 0) {
		size_t n = size - off;
		if (n > sizeof(rx.buf) - rx.len)
			n = sizeof(rx.buf) - rx.len;
		memcpy(rx.buf + rx.len, data + off, n);
		rx.len += n;
		off += n;
		f = relay_rx_next(&rx, &frame, &len);
		if (f == RELAY_FRAME_BAD)
			return 0;
		if (f == RELAY_FRAME_MORE) {
			if (rx.len >= LINK_MAX_FRAME)
				abort();
			if (off == size)
				return 0;
			continue;
		}
		if (frame != rx.buf || len < LINK_HEADER_LEN ||
		    len > LINK_MAX_FRAME || len > rx.len ||
		    frame[0] != 0x05 || frame[1] != 0x64 ||
		    len != 10 + (size_t)(frame[2] - 5) +
		    2 * (((size_t)frame[2] - 5 + 15) / 16))
			abort();
		relay_rx_consume(&rx, len);
	}
	return 0;
}
