/*
 * The records between the listener and the classifier (classifymsg.h).
 */
#include "dnp3/app/le.h"
#include "ipc/classifymsg.h"

/* Broadcast destinations (IEEE 1815 9.2.5.3), as dnp3/link/link.h. */
#define BROADCAST_MIN	0xFFFDu

void
classify_conn_encode(uint8_t out[CLASSIFY_CONN_LEN], uint32_t id,
    uint32_t timeout_ms)
{
	put_le32(out, id);
	put_le32(out + 4, timeout_ms);
}

int
classify_conn_decode(const uint8_t *buf, size_t len, uint32_t *id,
    uint32_t *timeout_ms)
{
	if (len != CLASSIFY_CONN_LEN)
		return -1;
	*id = get_le32(buf);
	*timeout_ms = get_le32(buf + 4);
	if (*timeout_ms < CFG_ROUTE_TIMEOUT_MIN ||
	    *timeout_ms > CFG_ROUTE_TIMEOUT_MAX)
		return -1;
	return 0;
}

void
classify_answer_encode(uint8_t out[CLASSIFY_ANSWER_LEN],
    const struct classify_answer *a)
{
	put_le32(out, a->id);
	out[4] = a->verdict;
	out[5] = 0;
	put_le16(out + 6, a->address);
}

int
classify_answer_decode(const uint8_t *buf, size_t len,
    struct classify_answer *a, const char **why)
{
	if (len != CLASSIFY_ANSWER_LEN) {
		*why = "wrong length";
		return -1;
	}
	a->id = get_le32(buf);
	a->verdict = buf[4];
	a->address = get_le16(buf + 6);
	if (a->verdict >= CLASSIFY_VERDICT_END) {
		*why = "unknown verdict";
		return -1;
	}
	if (buf[5] != 0) {
		*why = "padding not zero";
		return -1;
	}
	if ((a->verdict == CLASSIFY_ROUTE && a->address >= BROADCAST_MIN) ||
	    (a->verdict == CLASSIFY_BROADCAST && a->address < BROADCAST_MIN) ||
	    (a->verdict > CLASSIFY_BROADCAST && a->address != 0)) {
		*why = "address does not fit the verdict";
		return -1;
	}
	return 0;
}

const char *
classify_verdict_str(uint8_t verdict)
{
	switch (verdict) {
	case CLASSIFY_ROUTE:
		return "routed";
	case CLASSIFY_BROADCAST:
		return "first frame to a broadcast address";
	case CLASSIFY_TIMEOUT:
		return "no link frame in time";
	case CLASSIFY_CLOSED:
		return "closed before its first frame";
	case CLASSIFY_BAD_START:
		return "malformed first frame: bad start";
	case CLASSIFY_BAD_LENGTH:
		return "malformed first frame: bad length";
	case CLASSIFY_BAD_CRC:
		return "malformed first frame: bad header CRC";
	default:
		return "unknown verdict";
	}
}
