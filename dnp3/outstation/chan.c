/*
 * Link frames -> transport reassembly -> outstation -> transport
 * segmentation -> link frames, for one master at a time. The broadcast
 * rule lives here: the standard forbids any answer to a broadcast.
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/app/app.h"
#include "dnp3/outstation/chan.h"

int
outstation_chan_init(struct outstation_chan *c,
    const struct outstation_params *p, uint16_t address, uint16_t master,
    enum link_error_mode mode)
{
	struct outstation *os = outstation_new(p);
	int r;

	if (os == NULL) {
		memset(c, 0, sizeof(*c));
		return -1;
	}
	if ((r = outstation_chan_init_with(c, os, p, address, master,
	    mode)) == -1)
		outstation_free(os);
	else {
		c->os_owned = true;
		outstation_connection_reset(os);
	}
	return r;
}

int
outstation_chan_init_with(struct outstation_chan *c, struct outstation *os,
    const struct outstation_params *p, uint16_t address, uint16_t master,
    enum link_error_mode mode)
{
	memset(c, 0, sizeof(*c));
	c->address = address;
	c->master = master;
	c->mode = mode;
	c->os = os;
	if ((c->rxbuf = malloc(p->frag_rx)) == NULL ||
	    transport_rx_init(&c->rx, c->rxbuf, p->frag_rx) == -1 ||
	    transport_reuse_init(&c->reuse) == -1) {
		outstation_chan_free(c);
		return -1;
	}
	c->frames_max = transport_tx_frames_size(p->frag_tx);
	/* The caller's outstation keeps what it holds until a master comes. */
	outstation_chan_resume(c);
	return 0;
}

void
outstation_chan_free(struct outstation_chan *c)
{
	if (c->os != NULL && c->os_owned)
		outstation_free(c->os);
	free(c->rxbuf);
	transport_reuse_free(&c->reuse);
	c->os = NULL;
	c->rxbuf = NULL;
}

void
outstation_chan_resume(struct outstation_chan *c)
{
	link_parser_init(&c->parser, c->mode);
	link_station_init(&c->station, c->address, c->master, false, false);
	transport_rx_reset(&c->rx);
	transport_tx_init(&c->tx, 0);
	transport_reuse_clear(&c->reuse);
	c->discard_reported = 0;
}

void
outstation_chan_reset(struct outstation_chan *c)
{
	outstation_chan_resume(c);
	outstation_connection_reset(c->os);
}

int
outstation_chan_output(struct outstation_chan *c, const struct os_output *o,
    uint8_t *out, size_t cap)
{
	int n;

	if (o->len == 0 || o->data == NULL)
		return 0;
	/* The outstation counts the fragment as sent: one that does not
	   fit is lost, and a new connection starts afresh. */
	if ((n = transport_tx_frames_reuse(&c->tx, &c->reuse, &c->station,
	    o->data, o->len, (o->data[0] & DNP3_AC_FIR) != 0, out,
	    cap)) == -1) {
		c->stats.overflows++;
		return -1;
	}
	c->stats.responses++;
	if (o->len > 0 && (o->data[0] & DNP3_AC_UNS))
		c->stats.unsolicited++;
	return n;
}

/*
 * Only broadcasts that ask for no answer anyway are executed (writes of
 * time or IIN, the no-ack controls and freezes, unsolicited enable and
 * disable, class assignment); the next response carries IIN1.0. A
 * broadcast READ, CONFIRM or SELECT makes no sense without an answer.
 */
static bool
broadcast_allowed(const uint8_t *frag, size_t len)
{
	if (len < 2)
		return false;
	switch (frag[1]) {
	case DNP3_FC_WRITE:
	case DNP3_FC_DIRECT_OPERATE_NR:
	case DNP3_FC_IMMED_FREEZE_NR:
	case DNP3_FC_FREEZE_CLEAR_NR:
	case DNP3_FC_FREEZE_AT_TIME_NR:
	case DNP3_FC_ENABLE_UNSOLICITED:
	case DNP3_FC_DISABLE_UNSOLICITED:
	case DNP3_FC_ASSIGN_CLASS:
		return true;
	default:
		return false;
	}
}

static enum outstation_chan_ev
broadcast(struct outstation_chan *c, const uint8_t *frag, size_t len,
    uint64_t now_ms)
{
	if (!broadcast_allowed(frag, len)) {
		c->stats.broadcasts_ignored++;
		return OUTSTATION_CHAN_BROADCAST_IGNORED;
	}
	if (outstation_broadcast(c->os, frag, len, now_ms) == 0)
		c->stats.broadcasts++;
	return OUTSTATION_CHAN_BROADCAST;
}

/* A whole fragment to the outstation; its response into out. */
static enum outstation_chan_ev
fragment(struct outstation_chan *c, const uint8_t *frag, size_t len,
    uint64_t now_ms, uint8_t *out, size_t cap,
    struct outstation_chan_event *ev)
{
	struct os_output o;
	int n;

	ev->func = len > 1 ? frag[1] : -1;
	if (ev->broadcast)
		return broadcast(c, frag, len, now_ms);
	c->stats.requests++;
	if (ev->func == DNP3_FC_CONFIRM)
		c->stats.confirms++;
	if (outstation_request(c->os, frag, len, now_ms, &o) == 0) {
		if ((n = outstation_chan_output(c, &o, out, cap)) == -1)
			return OUTSTATION_CHAN_OVERFLOW;
		ev->response_len = (size_t)n;
		ev->out_len += (size_t)n;
	}
	return ev->func == DNP3_FC_CONFIRM ? OUTSTATION_CHAN_CONFIRM :
	    OUTSTATION_CHAN_REQUEST;
}

/* One whole frame: link station, then user data to the transport. */
static enum outstation_chan_ev
frame(struct outstation_chan *c, const struct link_frame *f, uint64_t now_ms,
    uint8_t *out, size_t cap, struct outstation_chan_event *ev)
{
	struct link_rx rx;
	const uint8_t *frag;
	size_t len;

	ev->hdr = f->hdr;
	link_station_rx(&c->station, f, out, cap, &rx);
	ev->out_len = rx.reply_len;
	if (rx.drop == LINK_DROP_OTHER_DEST ||
	    rx.drop == LINK_DROP_UNKNOWN_SOURCE) {
		ev->drop = rx.drop;
		ev->frame_size = link_frame_size(f->len);
		return OUTSTATION_CHAN_DROPPED;
	}
	if (!rx.deliver)
		return OUTSTATION_CHAN_FRAME;
	ev->user_data = true;
	ev->data_len = rx.len;
	ev->broadcast = rx.broadcast;
	if (transport_rx_segment(&c->rx, rx.data, rx.len, &frag, &len) !=
	    TRANSPORT_RX_FRAGMENT)
		return OUTSTATION_CHAN_FRAME;
	return fragment(c, frag, len, now_ms, out + rx.reply_len,
	    cap - rx.reply_len, ev);
}

enum outstation_chan_ev
outstation_chan_feed(struct outstation_chan *c, const uint8_t *in,
    size_t len, size_t *used, uint64_t now_ms, uint8_t *out, size_t cap,
    struct outstation_chan_event *ev)
{
	struct link_frame f;
	enum link_parse p;

	memset(ev, 0, sizeof(*ev));
	ev->func = -1;
	p = link_parser_feed(&c->parser, in, len, used, &f, &ev->err);
	if (p == LINK_PARSE_MORE)
		return OUTSTATION_CHAN_MORE;
	if (p == LINK_PARSE_ERROR) {
		ev->discarded = c->parser.stats.discarded - c->discard_reported;
		c->discard_reported = c->parser.stats.discarded;
		return OUTSTATION_CHAN_LINK_ERROR;
	}
	return frame(c, &f, now_ms, out, cap, ev);
}

int
outstation_chan_tick(struct outstation_chan *c, uint64_t now_ms,
    uint8_t *out, size_t cap)
{
	struct os_output o;

	outstation_tick(c->os, now_ms, &o);
	return outstation_chan_output(c, &o, out, cap);
}

uint64_t
outstation_chan_deadline(const struct outstation_chan *c)
{
	return outstation_deadline(c->os);
}

int
outstation_chan_link_status(struct outstation_chan *c, uint8_t *out,
    size_t cap)
{
	return link_station_encode_primary(&c->station,
	    LINK_PRI_REQUEST_LINK_STATUS, out, cap);
}
