/*
 * Link user data -> transport reassembly -> outstation -> transport
 * segmentation -> link frames. The only state here besides the
 * outstation is the reassembly buffer and the outgoing transport SEQ.
 */
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "dnp3/app/app.h"
#include "worker/params.h"
#include "worker/session.h"

int
session_init(struct session *s, const struct outstation_config *conf,
    uint64_t now_ms, uint64_t time_ms)
{
	struct outstation_params params, *cfg = &params;

	memset(s, 0, sizeof(*s));
	worker_params(conf, cfg);
	if ((s->os = outstation_new(cfg)) == NULL) {
		log_warnx("%s: bad outstation parameters or out of memory",
		    __func__);
		return -1;
	}
	if ((s->rxbuf = malloc(cfg->frag_rx)) == NULL) {
		log_warn("%s: %u bytes", __func__, (unsigned)cfg->frag_rx);
		session_free(s);
		return -1;
	}
	if (transport_rx_init(&s->rx, s->rxbuf, cfg->frag_rx) == -1) {
		log_warnx("%s: fragment size %u out of range", __func__,
		    (unsigned)cfg->frag_rx);
		session_free(s);
		return -1;
	}
	transport_tx_init(&s->tx, 0);
	s->frames_max = transport_tx_frames_size(cfg->frag_tx);
	outstation_set_time(s->os, now_ms, time_ms);
	if (cfg->demo_values)
		outstation_load_demo_values(s->os, time_ms);
	return 0;
}

void
session_free(struct session *s)
{
	if (s->os != NULL)
		outstation_free(s->os);
	free(s->rxbuf);
	s->os = NULL;
	s->rxbuf = NULL;
}

void
session_reset(struct session *s)
{
	outstation_connection_reset(s->os);
	transport_rx_reset(&s->rx);
	transport_tx_init(&s->tx, 0);
}

/*
 * Frames for one outstation output. The outstation already counts the
 * fragment as sent, so a fragment that does not fit is lost: -1 tells the
 * caller to close, after which a new connection starts afresh.
 */
int
session_output(struct session *s, const struct link_station *st,
    const struct os_output *o, uint8_t *out, size_t cap)
{
	int n;

	if (o->len == 0 || o->data == NULL)
		return 0;
	if ((n = transport_tx_frames(&s->tx, st, o->data, o->len, out,
	    cap)) == -1) {
		s->stats.overflow++;
		return -1;
	}
	s->stats.fragments_out++;
	return n;
}

/*
 * The standard forbids any answer to a broadcast. Only requests that ask
 * for none anyway are executed (writes of time or IIN, the no-ack
 * controls and freezes, unsolicited enable/disable, class assignment);
 * the next response carries IIN1.0. A broadcast READ, CONFIRM or SELECT
 * makes no sense without an answer and is ignored.
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

int
session_user_data(struct session *s, const struct link_station *st,
    const struct link_rx *rx, uint64_t now_ms, uint8_t *out, size_t cap)
{
	const uint8_t *frag;
	size_t fraglen;
	struct os_output o;

	if (!rx->deliver || transport_rx_segment(&s->rx, rx->data, rx->len,
	    &frag, &fraglen) != TRANSPORT_RX_FRAGMENT)
		return 0;
	if (rx->broadcast) {
		if (!broadcast_allowed(frag, fraglen)) {
			s->stats.broadcast_dropped++;
			log_debug("broadcast request (function %d) ignored",
			    fraglen > 1 ? frag[1] : -1);
			return 0;
		}
		if (outstation_broadcast(s->os, frag, fraglen, now_ms) == 0)
			s->stats.broadcast++;
		return 0;
	}
	s->stats.fragments_in++;
	if (outstation_request(s->os, frag, fraglen, now_ms, &o) == -1)
		return 0;
	return session_output(s, st, &o, out, cap);
}

int
session_tick(struct session *s, const struct link_station *st,
    uint64_t now_ms, uint8_t *out, size_t cap)
{
	struct os_output o;

	outstation_tick(s->os, now_ms, &o);
	return session_output(s, st, &o, out, cap);
}

uint64_t
session_deadline(const struct session *s)
{
	return outstation_deadline(s->os);
}
