/*
 * The payload of a CHAN_MASTER record (see channel.h): a worker tells the
 * listener that its master connected or went away.
 */
#include <string.h>

#include "ipc/channel.h"

void
chan_master_encode(uint8_t out[CHAN_MASTER_LEN], bool connected,
    const struct handoff *h)
{
	out[0] = connected ? 1 : 0;
	handoff_encode(h, out + 1);
}

int
chan_master_decode(const uint8_t *buf, size_t len, bool *connected,
    struct handoff *h, const char **why)
{
	if (len != CHAN_MASTER_LEN) {
		*why = "wrong length";
		return -1;
	}
	if (buf[0] > 1) {
		*why = "state is neither 0 nor 1";
		return -1;
	}
	if (handoff_decode(buf + 1, len - 1, h, why) == -1)
		return -1;
	*connected = buf[0] == 1;
	return 0;
}
