/*
 * A whole outstation session from untrusted bytes: requests (READ, WRITE,
 * confirms, anything), timer ticks, point updates and connection resets
 * in the order the input says, on a small database with small event
 * buffers and the smallest fragment size. Every response must be a
 * well-formed response fragment no longer than frag_tx.
 *
 * Input: a sequence of records, each one op byte then its operands:
 *	op % 4 == 0: request, 1 length byte n, then n bytes
 *	op % 4 == 1: tick, time advances by (op >> 2) * 100 ms
 *	op % 4 == 2: update, type byte, index byte, 4 value bytes, flags
 *	op % 4 == 3: connection reset
 */
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "dnp3/app.h"
#include "dnp3/outstation.h"

#define POINTS	20

static void
check(const struct os_output *out, uint32_t frag_tx)
{
	struct dnp3_app_header h;

	if (out->len == 0)
		return;
	if (out->len > frag_tx || out->data == NULL ||
	    dnp3_app_header_parse(out->data, out->len, &h) != 4 ||
	    h.func != DNP3_FC_RESPONSE)
		abort();
	/* Only the last fragment may go without CON. */
	if (!(h.control & DNP3_AC_FIN) && !(h.control & DNP3_AC_CON))
		abort();
}

static struct outstation *
make(void *mem, size_t cap, struct outstation_config *cfg)
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(16) uint8_t mem[1 << 18];
	struct outstation_config cfg;
	struct outstation *os = make(mem, sizeof(mem), &cfg);
	struct os_output out;
	uint64_t now = 1;
	size_t off = 0;

	if (os == NULL)
		abort();
	while (off < size) {
		uint8_t op = data[off++];

		switch (op % 4) {
		case 0:
			if (off >= size)
				return 0;
			size_t n = data[off++];
			if (n > size - off)
				n = size - off;
			(void)outstation_request(os, data + off, n, now, &out);
			check(&out, cfg.frag_tx);
			off += n;
			break;
		case 1:
			now += (uint64_t)(op >> 2) * 100;
			outstation_tick(os, now, &out);
			check(&out, cfg.frag_tx);
			break;
		case 2:
			if (size - off < 7)
				return 0;
			update(os, data + off, now);
			off += 7;
			break;
		default:
			outstation_connection_reset(os);
			break;
		}
	}
	return 0;
}
