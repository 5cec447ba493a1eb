/*
 * A whole outstation session from untrusted bytes: requests (READ, WRITE,
 * confirms, anything), timer ticks, point updates and connection resets
 * in the order the input says, on a small database with small event
 * buffers, the smallest fragment size and unsolicited responses on; run
 * twice, with controls = "echo" and with controls = "bus" (an application
 * that answers two of three requests at once and lets the third time
 * out). Every output must be a well-formed (unsolicited) response
 * fragment no longer than frag_tx.
 *
 * Input: a sequence of records, each one op byte then its operands:
 *	op % 4 == 0: request, 1 length byte n, then n bytes
 *	op % 4 == 1: tick, time advances by (op >> 2) * 100 ms
 *	op % 4 == 2: update, type byte, index byte, 4 value bytes, flags
 *	op % 4 == 3: connection reset, or with op & 0x80 a broadcast
 *	             request: 1 length byte n, then n bytes
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/outstation/params.h"
#include "dnp3/app/app.h"
#include "dnp3/outstation/outstation.h"

#define POINTS	20

static void
check(const struct os_output *out, uint32_t frag_tx)
{
	struct dnp3_app_header h;

	if (out->len == 0)
		return;
	if (out->len > frag_tx || out->data == NULL ||
	    dnp3_app_header_parse(out->data, out->len, &h) != 4)
		abort();
	if (h.func != DNP3_FC_RESPONSE &&
	    !(h.func == DNP3_FC_UNSOLICITED_RESPONSE &&
	    (h.control & DNP3_AC_UNS) && (h.control & DNP3_AC_CON)))
		abort();
	/* Only the last fragment may go without CON. */
	if (!(h.control & DNP3_AC_FIN) && !(h.control & DNP3_AC_CON))
		abort();
}

/* controls = "bus": the ids asked, answered after each request. */
static uint64_t asked[64];
static unsigned nasked;

static void
hook(void *arg, const struct os_control *c)
{
	(void)arg;
	if (c->request && nasked < 64)
		asked[nasked++] = c->id;
}

/* Answer what was asked, leaving every third id to time out. */
static void
answer(struct outstation *os, uint64_t now, uint32_t frag_tx)
{
	struct os_output out;

	for (unsigned i = 0; i < nasked; i++) {
		if (asked[i] % 3 == 0)
			continue;
		(void)outstation_control_answer(os, asked[i],
		    (uint8_t)(asked[i] % 13), now, &out);
		check(&out, frag_tx);
	}
	nasked = 0;
}

static struct outstation *
make(void *mem, size_t cap, struct outstation_params *cfg,
    enum control_mode mode)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int t = 0; t < PT_COUNT; t++) {
		cfg->db[t].count = POINTS;
		cfg->db[t].class = 1 + t % 3;
		cfg->db[t].event_buffer = 5;
	}
	cfg->db[PT_BINARY_INPUT].event_variation = 3;	/* with CTO */
	cfg->db[PT_ANALOG_INPUT].deadband = 2;
	cfg->confirm_ms = 1000;
	cfg->select_ms = 1000;
	cfg->unsol_enabled = true;
	cfg->unsol_retries = 1;
	cfg->controls = mode;
	cfg->frag_rx = 2048;
	cfg->frag_tx = 249;
	if (outstation_size(cfg) > cap)
		abort();
	return outstation_init(mem, cap, cfg);
}

static void
update(struct outstation *os, const uint8_t *p, uint64_t now)
{
	struct point_value v;
	uint32_t raw = (uint32_t)p[2] | (uint32_t)p[3] << 8 |
	    (uint32_t)p[4] << 16 | (uint32_t)p[5] << 24;

	memset(&v, 0, sizeof(v));
	switch (p[0] % PT_COUNT) {
	case PT_BINARY_INPUT:
	case PT_BINARY_OUTPUT:
		v.binary = (uint8_t)raw;
		break;
	case PT_DOUBLE_BIT_INPUT:
		v.dbit = raw % 5;	/* 4 is refused */
		break;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		v.analog = (int32_t)raw / 8.0;
		break;
	default:
		v.counter = raw;
		break;
	}
	v.octets = p + 2;
	v.octet_len = p[2] % 5;	/* 0 is refused */
	(void)outstation_update(os, p[0] % PT_COUNT, p[1] % (POINTS + 2), &v,
	    p[6], now);
}

static void
session(const uint8_t *data, size_t size, enum control_mode mode)
{
	static _Alignas(16) uint8_t mem[1 << 18];
	struct outstation_params cfg;
	struct outstation *os = make(mem, sizeof(mem), &cfg, mode);
	struct os_output out;
	uint64_t now = 1;
	size_t off = 0, n;

	if (os == NULL)
		abort();
	nasked = 0;
	outstation_set_control_hook(os, hook, NULL);
	while (off < size) {
		uint8_t op = data[off++];

		switch (op % 4) {
		case 0:
			if (off >= size)
				return;
			n = data[off++];
			if (n > size - off)
				n = size - off;
			(void)outstation_request(os, data + off, n, now, &out);
			check(&out, cfg.frag_tx);
			answer(os, now, cfg.frag_tx);
			off += n;
			break;
		case 1:
			now += (uint64_t)(op >> 2) * 100;
			outstation_tick(os, now, &out);
			check(&out, cfg.frag_tx);
			break;
		case 2:
			if (size - off < 7)
				return;
			update(os, data + off, now);
			off += 7;
			break;
		default:
			if (!(op & 0x80)) {
				outstation_connection_reset(os);
				break;
			}
			if (off >= size)
				return;
			n = data[off++];
			if (n > size - off)
				n = size - off;
			(void)outstation_broadcast(os, data + off, n, now);
			off += n;
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	session(data, size, CONTROL_ECHO);
	session(data, size, CONTROL_BUS);
	return 0;
}
