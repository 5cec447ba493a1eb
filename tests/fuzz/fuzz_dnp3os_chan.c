/*
 * The outstation's protocol stack (dnp3/outstation/chan.c) on untrusted
 * bytes: segments in good link frames, broadcast segments, raw bytes,
 * timer ticks, connection resets and a too-small output buffer, in the
 * order the input says. Every response must be link frames from the
 * outstation to its master with good CRCs that make exactly one fragment
 * of at most frag_tx bytes, a (unsolicited) response; nothing may come
 * for a broadcast; raw bytes may only get good frames to the master.
 *
 * Input: a sequence of records, each one op byte then its operands:
 *	op % 4 == 0: segment, 1 length byte n, then n bytes, in one link
 *	             frame; op & 0x80: to the broadcast address
 *	op % 4 == 1: tick, time advances by (op >> 2) * 100 ms
 *	op % 4 == 2: connection reset; with op & 0x80, 1 length byte n and
 *	             n raw bytes fed to the stack instead
 *	op % 4 == 3: segment as for 0, but into an output of op bytes
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/outstation/chan.h"

#define OS_ADDR		10
#define MASTER_ADDR	1

static uint8_t out[1 << 17];
static uint8_t frag[1 << 16];

/* Checks out[0..n) with the project's own link parser and reassembly. */
static void
check(const uint8_t *p, size_t n, uint32_t frag_tx)
{
	static struct link_parser lp;
	struct transport_rx rx;
	struct link_frame f;
	enum link_err err;
	const uint8_t *whole = NULL;
	size_t used, wholelen = 0;
	int fragments = 0;

	link_parser_init(&lp, LINK_ERROR_CLOSE);
	if (transport_rx_init(&rx, frag, sizeof(frag) - 1) == -1)
		abort();
	while (n > 0) {
		if (link_parser_feed(&lp, p, n, &used, &f, &err) !=
		    LINK_PARSE_FRAME)
			abort();	/* a bad or incomplete frame */
		p += used;
		n -= used;
		if (f.hdr.dir || !f.hdr.prm || f.hdr.func != 4 ||
		    f.hdr.dest != MASTER_ADDR || f.hdr.src != OS_ADDR)
			abort();
		if (transport_rx_segment(&rx, f.data, f.len, &whole,
		    &wholelen) == TRANSPORT_RX_FRAGMENT) {
			if (n != 0)
				abort();	/* frames after the last */
			fragments++;
		}
	}
	if (fragments != 1 || wholelen > frag_tx || wholelen < 4 ||
	    (whole[1] != 129 && whole[1] != 130))
		abort();
}

/* Every frame in out[0..n) is a good one from the outstation. */
static void
check_frames(const uint8_t *p, size_t n)
{
	static struct link_parser lp;
	struct link_frame f;
	enum link_err err;
	size_t used;

	link_parser_init(&lp, LINK_ERROR_CLOSE);
	while (n > 0) {
		if (link_parser_feed(&lp, p, n, &used, &f, &err) !=
		    LINK_PARSE_FRAME || f.hdr.dir || f.hdr.src != OS_ADDR ||
		    f.hdr.dest != MASTER_ADDR)
			abort();
		p += used;
		n -= used;
	}
}

/* Raw bytes may leave a frame half-read in the link parser: until the
   next reset, the bytes of a whole frame can still complete or break
   that one, so segment() then feeds them as raw bytes too. */
static bool stream_dirty;

/* Raw bytes: whatever comes out is good frames and fits. */
static void
raw(struct outstation_chan *c, const uint8_t *d, size_t n, uint64_t now)
{
	struct outstation_chan_event ev;
	enum outstation_chan_ev what;
	size_t used, rounds;

	for (rounds = 0; rounds <= n + LINK_MAX_FRAME; rounds++) {
		what = outstation_chan_feed(c, d, n, &used, now, out,
		    sizeof(out), &ev);
		if (used > n || ev.out_len > sizeof(out) ||
		    ev.response_len > ev.out_len)
			abort();
		d += used;
		n -= used;
		if (what == OUTSTATION_CHAN_MORE)
			return;
		if (what == OUTSTATION_CHAN_LINK_ERROR && used == 0)
			return;		/* sticky: the caller closes */
		check_frames(out, ev.out_len);
	}
	abort();			/* no progress */
}

static void
segment(struct outstation_chan *c, const uint8_t *d, size_t n, bool bcast,
    size_t cap, uint64_t now, uint32_t frag_tx)
{
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA,
	    .dest = bcast ? 0xFFFF : OS_ADDR, .src = MASTER_ADDR };
	struct outstation_chan_event ev;
	enum outstation_chan_ev what;
	uint8_t f[LINK_MAX_FRAME];
	size_t used;
	int len;

	if ((len = link_frame_encode(f, sizeof(f), &h, d, n)) <= 0)
		return;		/* empty or too long for one frame */
	if (stream_dirty) {
		raw(c, f, (size_t)len, now);
		return;
	}
	what = outstation_chan_feed(c, f, (size_t)len, &used, now, out, cap,
	    &ev);
	if (used != (size_t)len || ev.out_len > cap ||
	    ev.out_len != ev.response_len || (bcast && ev.out_len != 0))
		abort();
	if (what != OUTSTATION_CHAN_OVERFLOW && ev.out_len > 0)
		check(out, ev.out_len, frag_tx);
}

static void
config(struct outstation_params *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int t = 0; t < PT_COUNT; t++) {
		cfg->db[t].count = 12;
		cfg->db[t].class = 1 + t % 3;
		cfg->db[t].event_buffer = 5;
	}
	cfg->confirm_ms = 1000;
	cfg->select_ms = 1000;
	cfg->unsol_enabled = true;
	cfg->unsol_retries = 1;
	cfg->frag_rx = 249;
	cfg->frag_tx = 300;
	cfg->controls = CONTROL_ECHO;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct outstation_chan s;
	struct outstation_params cfg;
	uint64_t now = 1;
	size_t off = 0;
	int r;

	config(&cfg);
	stream_dirty = false;
	if (outstation_chan_init(&s, &cfg, OS_ADDR, MASTER_ADDR,
	    LINK_ERROR_DISCARD) == -1)
		abort();
	outstation_set_time(s.os, now, 1700000000000ull);
	outstation_load_demo_values(s.os, 1700000000000ull);
	while (off < size) {
		uint8_t op = data[off++];
		size_t n;

		switch (op % 4) {
		case 0:
		case 3:
		case 2:
			if (op % 4 == 2 && !(op & 0x80)) {
				outstation_chan_reset(&s);
				stream_dirty = false;
				break;
			}
			if (off >= size)
				goto done;
			n = data[off++];
			if (n > size - off)
				n = size - off;
			if (op % 4 == 2) {
				raw(&s, data + off, n, now);
				stream_dirty = true;
			}
			else
				segment(&s, data + off, n, op % 4 == 0 &&
				    (op & 0x80), op % 4 == 3 ? op :
				    sizeof(out), now, cfg.frag_tx);
			off += n;
			break;
		case 1:
			now += (uint64_t)(op >> 2) * 100;
			if ((r = outstation_chan_tick(&s, now, out,
			    sizeof(out))) > 0)
				check(out, (size_t)r, cfg.frag_tx);
			else if (r < 0)
				abort();
			break;
		}
	}
done:
	outstation_chan_free(&s);
	return 0;
}
