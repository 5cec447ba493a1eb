/*
 * The master's link and transport layers over one byte stream: received
 * bytes become response fragments (and link replies where the outstation
 * asks for one), request fragments become link frames. A master treats
 * a malformed frame as the end of the connection (link error mode close).
 */
#include <string.h>

#include "dnp3/master/master.h"

int
master_chan_init(struct master_chan *c, uint16_t local, uint16_t remote,
    uint8_t *rxbuf, size_t cap)
{
	memset(c, 0, sizeof(*c));
	if (transport_rx_init(&c->rx, rxbuf, cap) == -1)
		return -1;
	link_parser_init(&c->parser, LINK_ERROR_CLOSE);
	link_station_init(&c->station, local, remote, true, false);
	transport_tx_init(&c->tx, 0);
	return 0;
}

enum master_chan_ev
master_chan_feed(struct master_chan *c, const uint8_t *in, size_t len,
    size_t *used, struct master_chan_event *ev)
{
	struct link_frame f;
	struct link_rx rx;
	enum link_parse p;
	enum transport_rx_result t;

	memset(ev, 0, sizeof(*ev));
	p = link_parser_feed(&c->parser, in, len, used, &f, &ev->err);
	if (p == LINK_PARSE_MORE)
		return MASTER_CHAN_MORE;
	if (p == LINK_PARSE_ERROR)
		return MASTER_CHAN_ERROR;
	link_station_rx(&c->station, &f, ev->reply, sizeof(ev->reply), &rx);
	ev->reply_len = rx.reply_len;
	if (rx.secondary) {
		ev->sec_func = rx.sec_func;
		return MASTER_CHAN_LINK;
	}
	if (!rx.deliver)
		return MASTER_CHAN_NONE;
	t = transport_rx_segment(&c->rx, rx.data, rx.len, &ev->frag, &ev->len);
	return t == TRANSPORT_RX_FRAGMENT ? MASTER_CHAN_FRAGMENT :
	    MASTER_CHAN_NONE;
}

int
master_chan_frames(struct master_chan *c, const uint8_t *frag, size_t len,
    uint8_t *out, size_t cap)
{
	return transport_tx_frames(&c->tx, &c->station, frag, len, out, cap);
}

int
master_chan_link_status(struct master_chan *c, uint8_t *out, size_t cap)
{
	return link_station_encode_primary(&c->station,
	    LINK_PRI_REQUEST_LINK_STATUS, out, cap);
}
