/*
 * Link station: what one end of a link does with each received frame, and
 * the frames it originates. The secondary side follows the state table of
 * IEEE 1815 clause 9 (reset / FCB tracking); the primary side is what an
 * outstation or a simple master sends without waiting for link ACKs
 * (unconfirmed user data, request link status, reset, test).
 */
#include <string.h>

#include "dnp3/link/link.h"

void
link_station_init(struct link_station *s, uint16_t local, uint16_t remote,
    bool master, bool any_source)
{
	memset(s, 0, sizeof(*s));
	s->local = local;
	s->remote = remote;
	s->master = master;
	s->any_source = any_source;
	s->last_reply = LINK_SEC_NACK;
	s->tx_fcb = true;
}

/* A secondary frame (no user data) from us to dest. */
static void
station_reply(struct link_station *s, uint16_t dest, uint8_t func,
    uint8_t *reply, size_t cap, struct link_rx *r)
{
	struct link_header h = {
		.dir = s->master, .prm = false, .func = func,
		.dest = dest, .src = s->local,
	};
	int n = link_frame_encode(reply, cap, &h, NULL, 0);

	if (n > 0) {
		r->reply_len = (size_t)n;
		s->last_reply = func;
	}
}

static void
station_deliver(struct link_station *s, const struct link_frame *f,
    struct link_rx *r)
{
	if (f->len == 0)
		return;
	r->data = f->data;
	r->len = f->len;
	r->deliver = true;
	s->stats.delivered++;
}

/*
 * Test link states and confirmed user data: the frame is new when its FCB
 * is the one expected; a repeat (our ACK was lost) is answered again but
 * not acted on twice. Before any reset link states the answer is NACK.
 * Returns true when the frame is new.
 */
static bool
station_fcb(struct link_station *s, const struct link_frame *f,
    uint8_t *reply, size_t cap, struct link_rx *r)
{
	if (!s->reset) {
		s->stats.not_reset++;
		station_reply(s, f->hdr.src, LINK_SEC_NACK, reply, cap, r);
		return false;
	}
	if (f->hdr.fcb != s->expect_fcb) {
		s->stats.duplicate++;
		station_reply(s, f->hdr.src, s->last_reply, reply, cap, r);
		return false;
	}
	s->expect_fcb = !s->expect_fcb;
	station_reply(s, f->hdr.src, LINK_SEC_ACK, reply, cap, r);
	return true;
}

/* A primary frame for us (not broadcast). */
static void
station_primary(struct link_station *s, const struct link_frame *f,
    uint8_t *reply, size_t cap, struct link_rx *r)
{
	switch (f->hdr.func) {
	case LINK_PRI_REQUEST_LINK_STATUS:
		station_reply(s, f->hdr.src, LINK_SEC_LINK_STATUS, reply, cap, r);
		break;
	case LINK_PRI_RESET_LINK_STATES:
		s->reset = true;
		s->expect_fcb = true;
		station_reply(s, f->hdr.src, LINK_SEC_ACK, reply, cap, r);
		break;
	case LINK_PRI_TEST_LINK_STATES:
		(void)station_fcb(s, f, reply, cap, r);
		break;
	case LINK_PRI_CONFIRMED_USER_DATA:
		if (station_fcb(s, f, reply, cap, r))
			station_deliver(s, f, r);
		break;
	case LINK_PRI_UNCONFIRMED_USER_DATA:
		station_deliver(s, f, r);
		break;
	default:
		s->stats.unsupported++;
		station_reply(s, f->hdr.src, LINK_SEC_NOT_SUPPORTED, reply,
		    cap, r);
		break;
	}
}

/* Broadcast: never answered; only user data means anything. */
static void
station_broadcast(struct link_station *s, const struct link_frame *f,
    struct link_rx *r)
{
	r->broadcast = true;
	s->stats.broadcast++;
	if (f->hdr.func == LINK_PRI_UNCONFIRMED_USER_DATA ||
	    f->hdr.func == LINK_PRI_CONFIRMED_USER_DATA)
		station_deliver(s, f, r);
}

void
link_station_rx(struct link_station *s, const struct link_frame *f,
    uint8_t *reply, size_t cap, struct link_rx *r)
{
	memset(r, 0, sizeof(*r));
	r->dest = f->hdr.dest;
	r->src = f->hdr.src;
	s->stats.rx_frames++;

	bool bcast = LINK_ADDR_IS_BROADCAST(f->hdr.dest);
	if (f->hdr.dest != s->local && !bcast) {
		s->stats.other_dest++;
		r->drop = LINK_DROP_OTHER_DEST;
		return;
	}
	/* A frame carrying our own direction bit came from our own side. */
	if (f->hdr.dir == s->master) {
		s->stats.wrong_dir++;
		r->drop = LINK_DROP_WRONG_DIR;
		return;
	}
	if (f->hdr.src != s->remote && !s->any_source) {
		s->stats.unknown_source++;
		r->drop = LINK_DROP_UNKNOWN_SOURCE;
		return;
	}
	if (!f->hdr.prm) {
		/* ACK, NACK, LINK_STATUS, NOT_SUPPORTED: for the primary side */
		s->stats.secondary++;
		r->secondary = true;
		r->sec_func = f->hdr.func;
		return;
	}
	if (bcast)
		station_broadcast(s, f, r);
	else
		station_primary(s, f, reply, cap, r);
}

int
link_station_encode_data(const struct link_station *s, const uint8_t *data,
    size_t len, uint8_t *out, size_t cap)
{
	struct link_header h;

	link_station_data_header(s, &h);
	return link_frame_encode(out, cap, &h, data, len);
}

void
link_station_data_header(const struct link_station *s, struct link_header *h)
{
	*h = (struct link_header){
		.dir = s->master, .prm = true,
		.func = LINK_PRI_UNCONFIRMED_USER_DATA,
		.dest = s->remote, .src = s->local,
	};
}

int
link_station_encode_primary(struct link_station *s, enum link_pri_func func,
    uint8_t *out, size_t cap)
{
	struct link_header h = {
		.dir = s->master, .prm = true, .func = func,
		.dest = s->remote, .src = s->local,
	};
	int n;

	switch (func) {
	case LINK_PRI_REQUEST_LINK_STATUS:
	case LINK_PRI_RESET_LINK_STATES:
		break;
	case LINK_PRI_TEST_LINK_STATES:
		h.fcv = true;
		h.fcb = s->tx_fcb;
		break;
	default:
		return -1;
	}
	if ((n = link_frame_encode(out, cap, &h, NULL, 0)) < 0)
		return -1;
	if (func == LINK_PRI_RESET_LINK_STATES)
		s->tx_fcb = true;
	else if (func == LINK_PRI_TEST_LINK_STATES)
		s->tx_fcb = !s->tx_fcb;
	return n;
}
