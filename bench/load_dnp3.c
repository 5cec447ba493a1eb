/*
 * bench-load, DNP3 modes: build the request with the master core, feed
 * what comes back through the master channel, confirm the fragments that
 * ask for it, and end the operation at the final fragment (or the link
 * status). A response with an error IIN, or a control whose echo is not
 * SUCCESS, counts as a failure.
 */
#include "bench/load.h"
#include "common/log.h"

static int
send_frag(struct load *l, struct load_conn *c, const uint8_t *frag,
    size_t len)
{
	uint8_t out[LOAD_OUT_MAX];
	int n;

	if ((n = master_chan_frames(&c->chan, frag, len, out,
	    sizeof(out))) < 0)
		return -1;
	return load_send(l, c, out, (size_t)n);
}

int
load_dnp3_start(struct load *l, struct load_conn *c)
{
	struct dnp3_crob crob = { .count = 1, .on_ms = 100, .off_ms = 100 };
	uint8_t out[LOAD_OUT_MAX];
	int n;

	c->frags = 0;
	c->seq = (c->seq + 1) & DNP3_AC_SEQ_MASK;
	switch (l->mode) {
	case MODE_LINK:
		if ((n = master_chan_link_status(&c->chan, out,
		    sizeof(out))) < 0)
			return -1;
		return load_send(l, c, out, (size_t)n);
	case MODE_POLL:
		n = master_req_integrity(c->req, sizeof(c->req), c->seq);
		break;
	case MODE_CROB:
		/* alternate, so every operate changes the output */
		crob.code = (c->ops & 1) ? DNP3_CROB_OP_LATCH_OFF :
		    DNP3_CROB_OP_LATCH_ON;
		n = master_req_crob(c->req, sizeof(c->req), c->seq,
		    DNP3_FC_DIRECT_OPERATE, 0, &crob);
		break;
	default:
		return -1;
	}
	if (n < 0)
		return -1;
	c->req_len = (size_t)n;
	return send_frag(l, c, c->req, c->req_len);
}

static int
count_point(void *arg, const struct master_point *p)
{
	(void)p;
	(*(uint64_t *)arg)++;
	return 0;
}

/* One response fragment: confirm it if asked, finish at FIN. */
static int
fragment(struct load *l, struct load_conn *c, const uint8_t *frag,
    size_t len)
{
	struct master_response r;
	uint8_t conf[DNP3_REQ_HDR_SIZE], status;
	bool ok = true;

	if (master_response_parse(frag, len, &r) != 0)
		return -1;
	if (r.con && (master_req_confirm(conf, sizeof(conf), r.seq,
	    r.uns) < 0 || send_frag(l, c, conf, sizeof(conf)) == -1))
		return -1;
	if (r.uns || !c->busy)
		return 0;	/* unsolicited: confirmed, not ours */
	c->frags++;
	if (r.iin & MASTER_IIN_ERRORS)
		ok = false;
	if (c->recording && l->mode == MODE_POLL &&
	    master_response_points(&r, count_point, &l->points) < 0)
		ok = false;
	if (!r.fin)
		return 0;
	if (l->mode == MODE_CROB && (master_control_status(c->req,
	    c->req_len, &r, &status) != 0 || status != DNP3_CS_SUCCESS))
		ok = false;
	if (c->recording)
		l->frags = c->frags;
	load_op_done(l, c, ok);
	return 0;
}

int
load_dnp3_input(struct load *l, struct load_conn *c, const uint8_t *in,
    size_t len)
{
	struct master_chan_event ev;
	enum master_chan_ev e;
	size_t off = 0, used;

	load_record_rx(l, c, len);
	/* every round consumes bytes or returns a frame: bounded */
	for (size_t round = 0; round <= len + 1 && off <= len; round++) {
		e = master_chan_feed(&c->chan, in + off, len - off, &used,
		    &ev);
		off += used;
		if (ev.reply_len > 0 &&
		    load_send(l, c, ev.reply, ev.reply_len) == -1)
			return -1;
		switch (e) {
		case MASTER_CHAN_MORE:
			return 0;
		case MASTER_CHAN_ERROR:
			log_warnx("link error from outstation: %s",
			    link_err_str(ev.err));
			return -1;
		case MASTER_CHAN_LINK:
			if (l->mode == MODE_LINK && c->busy &&
			    ev.sec_func == LINK_SEC_LINK_STATUS)
				load_op_done(l, c, true);
			break;
		case MASTER_CHAN_FRAGMENT:
			if (fragment(l, c, ev.frag, ev.len) == -1)
				return -1;
			break;
		case MASTER_CHAN_NONE:
			break;
		}
	}
	return 0;
}
