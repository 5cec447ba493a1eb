/* libs: dnp3link */
/*
 * Link and transport frames as the codec writes them: every primary and
 * secondary link function (each reply made by the link station state
 * machine), user data of 15, 16, 17, 100 and 250 bytes, and fragments of
 * one, two and three segments (FIR|FIN, FIR, neither, FIN).
 */
#include <string.h>

#include "common/log.h"
#include "dnp3/link/link.h"
#include "dnp3/transport/transport.h"
#include "tests/wire/wire_gen.h"

#define OS_ADDR		10
#define MASTER_ADDR	1

static struct link_station master, outstation;
static struct transport_tx master_tx, os_tx;

/* Hands a frame to the other side's station and writes any reply. */
static void
exchange(bool from_master, const uint8_t *frame, int n)
{
	struct link_parser p;
	struct link_frame f;
	struct link_rx r;
	enum link_err err;
	uint8_t reply[LINK_MAX_FRAME];
	size_t used;

	if (n < 0)
		fatalx("%s: encoding failed", __func__);
	wire_gen_send(from_master, frame, (size_t)n);
	link_parser_init(&p, LINK_ERROR_CLOSE);
	if (link_parser_feed(&p, frame, (size_t)n, &used, &f, &err) !=
	    LINK_PARSE_FRAME)
		fatalx("%s: frame does not parse", __func__);
	link_station_rx(from_master ? &outstation : &master, &f, reply,
	    sizeof(reply), &r);
	if (r.reply_len > 0)
		wire_gen_send(!from_master, reply, r.reply_len);
}

/* A primary frame from the master, built by hand (FCV functions). */
static void
master_primary(uint8_t func, bool fcb, bool fcv, const uint8_t *data,
    size_t len)
{
	struct link_header h = { .dir = true, .prm = true, .fcb = fcb,
	    .fcv = fcv, .func = func, .dest = OS_ADDR, .src = MASTER_ADDR };
	uint8_t out[LINK_MAX_FRAME];

	exchange(true, out, link_frame_encode(out, sizeof(out), &h, data, len));
}

/*
 * A response of npoints binary inputs (group 1 variation 2, 2-byte
 * start/stop): 11 + npoints bytes of application fragment.
 */
static size_t
response(uint8_t *out, size_t npoints, uint8_t seq)
{
	static const uint8_t hdr[] = { 0xC0, 0x81, 0x00, 0x00, 0x01, 0x02, 0x01 };

	memcpy(out, hdr, sizeof(hdr));
	out[0] |= seq & 0x0F;
	out[7] = 0;
	out[8] = 0;
	out[9] = (npoints - 1) & 0xff;
	out[10] = (npoints - 1) >> 8;
	memset(out + 11, 0x01, npoints);	/* ONLINE */
	return 11 + npoints;
}

static void
send_fragment(bool from_master, const uint8_t *frag, size_t len)
{
	static uint8_t wire[8 * LINK_MAX_FRAME];
	int n = transport_tx_frames(from_master ? &master_tx : &os_tx,
	    from_master ? &master : &outstation, frag, len, wire, sizeof(wire));

	if (n < 0)
		fatalx("%s: fragment of %zu bytes", __func__, len);
	wire_gen_send(from_master, wire, (size_t)n);
}

static void
link_functions(void)
{
	/* READ class 0 in one FIR|FIN segment: 6 bytes of user data */
	static const uint8_t read[] = { 0xC0, 0xC0, 0x01, 0x3C, 0x01, 0x06 };
	uint8_t out[LINK_MAX_FRAME];

	exchange(true, out, link_station_encode_primary(&master,
	    LINK_PRI_REQUEST_LINK_STATUS, out, sizeof(out)));	/* LINK_STATUS */
	master_primary(LINK_PRI_CONFIRMED_USER_DATA, true, true, read,
	    sizeof(read));				/* NACK: not reset */
	exchange(true, out, link_station_encode_primary(&master,
	    LINK_PRI_RESET_LINK_STATES, out, sizeof(out)));	/* ACK */
	exchange(true, out, link_station_encode_primary(&master,
	    LINK_PRI_TEST_LINK_STATES, out, sizeof(out)));	/* ACK */
	master_primary(LINK_PRI_CONFIRMED_USER_DATA, false, true, read,
	    sizeof(read));				/* ACK, delivered */
	master_primary(LINK_PRI_CONFIRMED_USER_DATA, false, true, read,
	    sizeof(read));				/* repeat: ACK again */
	master_primary(LINK_PRI_UNCONFIRMED_USER_DATA, false, false, read,
	    sizeof(read));				/* no reply */
	master_primary(1, false, false, NULL, 0);	/* NOT_SUPPORTED */

	/* the outstation as primary: keep-alive and reset, master answers */
	exchange(false, out, link_station_encode_primary(&outstation,
	    LINK_PRI_REQUEST_LINK_STATUS, out, sizeof(out)));
	exchange(false, out, link_station_encode_primary(&outstation,
	    LINK_PRI_RESET_LINK_STATES, out, sizeof(out)));
}

static void
user_data_sizes(void)
{
	static const size_t points[] = { 4, 5, 88, 238 };	/* 16 .. 250 */
	static const size_t multi[] = { 300, 589 };	/* 2 and 3 segments */
	static uint8_t frag[1024];
	uint8_t seq = 0;

	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		send_fragment(false, frag, response(frag, points[i], seq++));
	for (size_t i = 0; i < sizeof(multi) / sizeof(multi[0]); i++)
		send_fragment(false, frag, response(frag, multi[i], seq++));
}

int
main(int argc, char **argv)
{
	wire_gen_begin(argc, argv);
	link_station_init(&master, MASTER_ADDR, OS_ADDR, true, false);
	link_station_init(&outstation, OS_ADDR, MASTER_ADDR, false, false);
	transport_tx_init(&master_tx, 0);
	transport_tx_init(&os_tx, 0);
	link_functions();
	user_data_sizes();
	return wire_gen_end();
}
