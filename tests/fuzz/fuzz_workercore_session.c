/*
 * The worker's glue (worker/session.c) from untrusted link user data to
 * link frames: segments, broadcast segments, timer ticks, connection
 * resets and a too-small output buffer, in the order the input says.
 * Every output must be link frames from the outstation to its master with
 * good CRCs that make exactly one fragment of at most frag_tx bytes, a
 * (unsolicited) response; nothing may come for a broadcast.
 *
 * Input: a sequence of records, each one op byte then its operands:
 *	op % 4 == 0: segment, 1 length byte n, then n bytes; op & 0x80:
 *	             to the broadcast address
 *	op % 4 == 1: tick, time advances by (op >> 2) * 100 ms
 *	op % 4 == 2: connection reset
 *	op % 4 == 3: segment as for 0, but into an output of op bytes
 */
#include <stdlib.h>
#include <string.h>

#include "worker/session.h"

#define OS_ADDR		10
#define MASTER_ADDR	1

static uint8_t out[1 << 16];
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

static void
segment(struct session *s, const struct link_station *st, const uint8_t *d,
    size_t n, bool bcast, size_t cap, uint64_t now, uint32_t frag_tx)
{
	struct link_rx rx = { .data = d, .len = n, .deliver = true,
	    .broadcast = bcast, .dest = bcast ? 0xFFFF : OS_ADDR,
	    .src = MASTER_ADDR };
	int r = session_user_data(s, st, &rx, now, out, cap);

	if (r < -1 || (bcast && r != 0) || (size_t)(r > 0 ? r : 0) > cap)
		abort();
	if (r > 0)
		check(out, (size_t)r, frag_tx);
}

static void
config(struct outstation_config *cfg)
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
	cfg->demo_values = true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outstation_config cfg;
	struct link_station st;
	struct session s;
	uint64_t now = 1;
	size_t off = 0;
	int r;

	config(&cfg);
	if (session_init(&s, &cfg, now, 1700000000000ull) == -1)
		abort();
	link_station_init(&st, OS_ADDR, MASTER_ADDR, false, false);
	session_reset(&s);
	while (off < size) {
		uint8_t op = data[off++];
		size_t n;

		switch (op % 4) {
		case 0:
		case 3:
			if (off >= size)
				goto done;
			n = data[off++];
			if (n > size - off)
				n = size - off;
			segment(&s, &st, data + off, n, op % 4 == 0 &&
			    (op & 0x80), op % 4 == 3 ? op : sizeof(out), now,
			    cfg.frag_tx);
			off += n;
			break;
		case 1:
			now += (uint64_t)(op >> 2) * 100;
			if ((r = session_tick(&s, &st, now, out,
			    sizeof(out))) > 0)
				check(out, (size_t)r, cfg.frag_tx);
			else if (r < 0)
				abort();
			break;
		default:
			session_reset(&s);
			break;
		}
	}
done:
	session_free(&s);
	return 0;
}
