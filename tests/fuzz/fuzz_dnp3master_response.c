/*
 * The master side of the protocol core from untrusted bytes: dnp3-master
 * reads whatever an outstation (or anything listening on its port) sends.
 *
 * Input: one mode byte, then the bytes.
 *	mode & 1 == 0: the bytes are one response fragment
 *	mode & 1 == 1: the bytes are a TCP stream from the outstation, fed
 *	               to master_chan_feed in chunks of (mode >> 4) bytes
 *	               (0: all at once); every fragment it makes is checked
 *	               like a fragment of mode 0
 *	(mode >> 1) & 7 picks the control request whose echo the fragment
 *	               is checked against with master_control_status.
 *
 * Every fragment goes through master_response_parse, then
 * master_response_points (each point is checked against the header it
 * came from and printed with the name helpers, as dnp3-master does) and
 * master_control_status. Aborts on: a point or event field that breaks
 * the API's promises, a channel that takes more bytes than it was given
 * or makes no progress, a fragment longer than the reassembly buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/master/master.h"

#define RXCAP	2048		/* dnp3-master's default fragment size */

static uint8_t rxbuf[RXCAP];

/* Checks one point as dnp3-master would print it. */
static int
point(void *arg, const struct master_point *p)
{
	unsigned *n = arg;
	char flags[128];

	if (p->desc == NULL || p->desc->kind != p->kind)
		abort();
	/* Octet strings share one descriptor with variation 0. */
	if (p->desc->group != p->group || (p->desc->variation != p->variation &&
	    !(p->kind == DNP3_K_OCTETS && p->desc->variation == 0)))
		abort();
	if (p->kind == DNP3_K_BINARY || p->kind == DNP3_K_DBIT ||
	    p->kind == DNP3_K_COUNTER || p->kind == DNP3_K_ANALOG) {
		master_flags_str(p->kind, p->obj.point.flags, ',', flags,
		    sizeof(flags));
		if (memchr(flags, '\0', sizeof(flags)) == NULL)
			abort();
		for (uint8_t bit = 0; bit < 8; bit++)
			(void)master_flag_name(p->kind, bit);
	}
	if (p->kind == DNP3_K_CROB) {
		(void)master_status_name(p->obj.crob.status);
		(void)master_crob_op_name(p->obj.crob.code);
	}
	if (p->kind == DNP3_K_OCTETS && p->obj.octets.len != p->variation)
		abort();
	(*n)++;
	return 0;
}

/*
 * The control request whose echo is checked, built like dnp3-master:
 * which & 3 is SELECT, OPERATE, DIRECT_OPERATE, DIRECT_OPERATE_NR; which
 * & 4 an analog output block g41v(1 + (which & 3)) instead of a CROB; the
 * index is 300 (qualifier 0x28) for which 2 and 7, else 7 (0x17).
 */
static int
request(uint8_t which, uint8_t *buf, size_t cap)
{
	static const uint8_t funcs[] = { DNP3_FC_SELECT, DNP3_FC_OPERATE,
	    DNP3_FC_DIRECT_OPERATE, DNP3_FC_DIRECT_OPERATE_NR };
	struct dnp3_crob crob = { 0x41, 1, 100, 100, 0 };
	uint8_t func = funcs[which & 3];
	uint16_t index = which == 2 || which == 7 ? 300 : 7;

	if (which & 4)
		return master_req_analog(buf, cap, 3, func, index,
		    1 + (which & 3), 12.5);
	return master_req_crob(buf, cap, 3, func, index, &crob);
}

static void
fragment(const uint8_t *frag, size_t len, uint8_t which)
{
	struct master_response r;
	uint8_t req[MASTER_REQ_MAX], status;
	unsigned n = 0;
	int ret, reqlen;

	if (master_response_parse(frag, len, &r) != 0)
		return;
	if (r.objs != frag + DNP3_RSP_HDR_SIZE ||
	    r.objs_len != len - DNP3_RSP_HDR_SIZE)
		abort();
	for (int b = 0; b < 16; b++)
		(void)master_iin_name((uint16_t)(1u << b));
	ret = master_response_points(&r, point, &n);
	if (ret > 0 && (unsigned)ret != n)
		abort();
	if ((reqlen = request(which, req, sizeof(req))) <= 0)
		abort();
	status = 0xee;
	ret = master_control_status(req, (size_t)reqlen, &r, &status);
	if (ret == 0 || ret == DNP3_E_PARAM)
		(void)master_status_name(status);
}

/* The bytes as a stream from the outstation, chunk bytes at a time. */
static void
stream(const uint8_t *in, size_t len, size_t chunk, uint8_t which)
{
	struct master_chan c;
	struct master_chan_event ev;
	enum master_chan_ev e;
	size_t off = 0, avail, used;
	unsigned calls = 0;

	if (master_chan_init(&c, 1, 10, rxbuf, sizeof(rxbuf)) != 0)
		abort();
	while (off < len) {
		avail = chunk == 0 || len - off < chunk ? len - off : chunk;
		e = master_chan_feed(&c, in + off, avail, &used, &ev);
		if (used > avail || ev.reply_len > sizeof(ev.reply))
			abort();
		if (e == MASTER_CHAN_ERROR)
			return;		/* sticky, takes nothing: the master closes */
		if (used == 0 && e == MASTER_CHAN_MORE)
			abort();	/* MORE means every byte was taken */
		if (++calls > 4 * len + 16)
			abort();	/* no progress */
		off += used;
		if (e == MASTER_CHAN_FRAGMENT) {
			if (ev.frag == NULL || ev.len == 0 || ev.len > RXCAP)
				abort();
			fragment(ev.frag, ev.len, which);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode, which;

	if (size < 1)
		return 0;
	mode = data[0];
	which = (mode >> 1) & 7;
	if (mode & 1)
		stream(data + 1, size - 1, mode >> 4, which);
	else
		fragment(data + 1, size - 1, which);
	return 0;
}
