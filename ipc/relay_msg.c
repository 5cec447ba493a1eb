/*
 * The records between the listener and a multi-drop relay (relaymsg.h).
 */
#include "dnp3/app/le.h"
#include "ipc/relaymsg.h"

/* As dnp3/link/link.h: the highest station address, then the reserved
   ones and the broadcasts (0xFFFD..0xFFFF). */
#define STATION_MAX	0xFFEFu
#define BROADCAST_MIN	0xFFFDu

void
relay_link_encode(uint8_t out[RELAY_LINK_LEN], uint16_t address)
{
	put_le16(out, address);
	put_le16(out + 2, 0);
}

int
relay_link_decode(const uint8_t *buf, size_t len, uint16_t *address)
{
	if (len != RELAY_LINK_LEN || get_le16(buf + 2) != 0)
		return -1;
	*address = get_le16(buf);
	return *address <= STATION_MAX ? 0 : -1;
}

void
relay_news_encode(uint8_t out[RELAY_NEWS_LEN], const struct relay_news *n)
{
	out[0] = n->kind;
	out[1] = 0;
	put_le16(out + 2, n->address);
}

int
relay_news_decode(const uint8_t *buf, size_t len, struct relay_news *n,
    const char **why)
{
	if (len != RELAY_NEWS_LEN) {
		*why = "wrong length";
		return -1;
	}
	n->kind = buf[0];
	n->address = get_le16(buf + 2);
	if (n->kind >= RELAY_NEWS_END) {
		*why = "unknown kind";
		return -1;
	}
	if (buf[1] != 0) {
		*why = "padding not zero";
		return -1;
	}
	/* Broadcasts always go to every link: never unknown, never one's. */
	if ((n->kind == RELAY_NEWS_MASTER_BAD && n->address != 0) ||
	    (n->kind != RELAY_NEWS_MASTER_BAD && n->address >= BROADCAST_MIN) ||
	    (n->kind > RELAY_NEWS_UNKNOWN && n->kind < RELAY_NEWS_MASTER_BAD &&
	    n->address > STATION_MAX)) {
		*why = "address does not fit the kind";
		return -1;
	}
	return 0;
}

const char *
relay_news_str(uint8_t kind)
{
	switch (kind) {
	case RELAY_NEWS_UNKNOWN:
		return "frame to a link address with no outstation on this "
		    "connection";
	case RELAY_NEWS_OVERRUN:
		return "frame dropped: the worker does not keep up";
	case RELAY_NEWS_LINK_GONE:
		return "the worker closed its link";
	case RELAY_NEWS_WORKER_BAD:
		return "the worker sent a malformed frame";
	case RELAY_NEWS_MASTER_BAD:
		return "malformed frame from the master";
	default:
		return "unknown news";
	}
}
