/*
 * The payload of a CHAN_MASTER record (see channel.h): a worker tells the
 * listener that its master connected or went away, or that it refused a
 * new one at once (accept = "keep").
 */
#include <string.h>

#include "ipc/channel.h"

void
chan_master_encode(uint8_t out[CHAN_MASTER_LEN], int state,
    const struct handoff *h)
{
	out[0] = (uint8_t)state;
	handoff_encode(h, out + 1);
}

int
chan_master_decode(const uint8_t *buf, size_t len, uint8_t *state,
    struct handoff *h, const char **why)
{
	if (len != CHAN_MASTER_LEN) {
		*why = "wrong length";
		return -1;
	}
	if (buf[0] > CHAN_MASTER_REFUSED) {
		*why = "state is not 0, 1 or 2";
		return -1;
	}
	if (handoff_decode(buf + 1, len - 1, h, why) == -1)
		return -1;
	*state = buf[0];
	return 0;
}
