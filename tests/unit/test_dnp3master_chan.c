/* libs: dnp3os */
/*
 * The master channel over the whole stack, in-process: master request
 * fragment -> link frames -> the outstation's link station, transport and
 * outstation -> response frames -> master_chan_feed -> fragment. Also the
 * link-status exchange both ways and a corrupted frame.
 */
#include "test_dnp3os_helpers.h"

#include "dnp3/master/master.h"

/* The outstation end of the wire. */
struct far {
	struct outstation *os;
	struct link_parser parser;
	struct link_station station;
	struct transport_rx rx;
	struct transport_tx tx;
	uint8_t rxbuf[2048];
	uint8_t out[16384];	/* bytes it sent back */
	size_t outlen;
};

static struct far far;
static struct master_chan chan;
static uint8_t chan_buf[TRANSPORT_FRAG_MAX];
static uint8_t wire[8192];

static void
far_init(uint32_t points, uint32_t frag_tx)
{
	struct outstation_params cfg;

	cfg_default(&cfg, points);
	cfg.frag_tx = frag_tx;
	memset(&far, 0, sizeof(far));
	assert_non_null(far.os = outstation_new(&cfg));
	outstation_load_demo_values(far.os, T0);
	link_parser_init(&far.parser, LINK_ERROR_CLOSE);
	link_station_init(&far.station, 10, 1, false, false);
	assert_int_equal(transport_rx_init(&far.rx, far.rxbuf,
	    sizeof(far.rxbuf)), 0);
	transport_tx_init(&far.tx, 0);
	assert_int_equal(master_chan_init(&chan, 1, 10, chan_buf,
	    sizeof(chan_buf)), 0);
}

/* A fragment reached the outstation: its answer goes on the wire. */
static void
far_fragment(const uint8_t *frag, size_t len)
{
	struct os_output o;
	int n;

	assert_int_equal(outstation_request(far.os, frag, len, 1000, &o), 0);
	if (o.len == 0)
		return;
	n = transport_tx_frames(&far.tx, &far.station, o.data, o.len,
	    far.out + far.outlen, sizeof(far.out) - far.outlen);
	assert_true(n > 0);
	far.outlen += (size_t)n;
}

/* Bytes from the master to the outstation end. */
static void
far_feed(const uint8_t *in, size_t len)
{
	struct link_frame f;
	struct link_rx rx;
	enum link_err err;
	const uint8_t *frag;
	size_t used, flen;

	enum link_parse r;

	for (int rounds = 0; rounds < 1000; rounds++) {
		r = link_parser_feed(&far.parser, in, len, &used, &f, &err);
		in += used;
		len -= used;
		assert_int_not_equal(r, LINK_PARSE_ERROR);
		if (r == LINK_PARSE_MORE)
			return;
		link_station_rx(&far.station, &f, far.out + far.outlen,
		    sizeof(far.out) - far.outlen, &rx);
		far.outlen += rx.reply_len;
		if (rx.deliver && transport_rx_segment(&far.rx, rx.data,
		    rx.len, &frag, &flen) == TRANSPORT_RX_FRAGMENT)
			far_fragment(frag, flen);
	}
	fail_msg("outstation end made no progress");
}

/* Send one request fragment through the master channel. */
static void
send_request(const uint8_t *frag, int len)
{
	int n;

	assert_true(len > 0);
	n = master_chan_frames(&chan, frag, (size_t)len, wire, sizeof(wire));
	assert_true(n > 0);
	far_feed(wire, (size_t)n);
}

/*
 * Feed what the outstation sent to the master; copies the first fragment
 * into frag and returns its length (0: none). Link events are counted.
 */
static size_t
recv_all(uint8_t *frag, size_t cap, int *links, uint8_t *sec_func)
{
	struct master_chan_event ev;
	enum master_chan_ev e;
	size_t off = 0, used, got = 0;
	int rounds = 0;

	while (off < far.outlen) {
		assert_true(++rounds < 1000);
		e = master_chan_feed(&chan, far.out + off, far.outlen - off,
		    &used, &ev);
		off += used;
		assert_int_not_equal(e, MASTER_CHAN_ERROR);
		if (e == MASTER_CHAN_FRAGMENT && got == 0) {
			assert_true(ev.len <= cap);
			memcpy(frag, ev.frag, ev.len);
			got = ev.len;
		} else if (e == MASTER_CHAN_LINK) {
			(*links)++;
			*sec_func = ev.sec_func;
		} else if (e == MASTER_CHAN_MORE)
			break;
	}
	far.outlen = 0;
	return got;
}

static void
test_integrity_over_link(void **state)
{
	uint8_t q[MASTER_REQ_MAX], frag[4096];
	struct master_response mr;
	size_t len;
	int links = 0, n;
	uint8_t sec = 0xff;

	(void)state;
	far_init(40, 2048);
	send_request(q, master_req_integrity(q, sizeof(q), 3));
	assert_true(far.outlen > LINK_MAX_FRAME);	/* several frames */
	len = recv_all(frag, sizeof(frag), &links, &sec);
	assert_int_equal(links, 0);
	assert_true(len > TRANSPORT_MAX_PAYLOAD);	/* reassembled */
	assert_int_equal(master_response_parse(frag, len, &mr), 0);
	assert_int_equal(mr.seq, 3);
	assert_true(mr.fir && mr.fin);
	n = master_response_points(&mr, NULL, NULL);
	assert_true(n >= 40 * 7);	/* 40 of each type */
	outstation_free(far.os);
}

static void
test_link_status(void **state)
{
	uint8_t out[LINK_HEADER_LEN], frag[16];
	int links = 0, n;
	uint8_t sec = 0xff;

	(void)state;
	far_init(1, 2048);
	n = master_chan_link_status(&chan, out, sizeof(out));
	assert_int_equal(n, LINK_HEADER_LEN);
	/* 05 64 05 C9 (DIR PRM, func 9) to 10 from 1 */
	assert_int_equal(out[3], 0xC9);
	assert_int_equal(out[4], 10);
	assert_int_equal(out[6], 1);
	far_feed(out, (size_t)n);
	assert_int_equal(far.outlen, LINK_HEADER_LEN);
	assert_int_equal(recv_all(frag, sizeof(frag), &links, &sec), 0);
	assert_int_equal(links, 1);
	assert_int_equal(sec, LINK_SEC_LINK_STATUS);
	outstation_free(far.os);
}

/* The outstation's keep-alive: the channel answers with LINK_STATUS. */
static void
test_keep_alive_answered(void **state)
{
	struct master_chan_event ev;
	struct link_frame f;
	struct link_rx rx;
	enum link_err err;
	uint8_t probe[LINK_HEADER_LEN], reply[LINK_HEADER_LEN];
	size_t used;
	int n;

	(void)state;
	far_init(1, 2048);
	n = link_station_encode_primary(&far.station,
	    LINK_PRI_REQUEST_LINK_STATUS, probe, sizeof(probe));
	assert_int_equal(n, LINK_HEADER_LEN);
	assert_int_equal(master_chan_feed(&chan, probe, (size_t)n, &used, &ev),
	    MASTER_CHAN_NONE);
	assert_int_equal(used, (size_t)n);
	assert_int_equal(ev.reply_len, LINK_HEADER_LEN);
	memcpy(reply, ev.reply, sizeof(reply));
	assert_int_equal(link_parser_feed(&far.parser, reply, sizeof(reply),
	    &used, &f, &err), LINK_PARSE_FRAME);
	link_station_rx(&far.station, &f, probe, sizeof(probe), &rx);
	assert_true(rx.secondary);
	assert_int_equal(rx.sec_func, LINK_SEC_LINK_STATUS);
	outstation_free(far.os);
}

static void
test_corrupt_frame(void **state)
{
	uint8_t q[MASTER_REQ_MAX];
	struct master_chan_event ev;
	size_t used;

	(void)state;
	far_init(5, 2048);
	send_request(q, master_req_integrity(q, sizeof(q), 0));
	assert_true(far.outlen > 20);
	far.out[15] ^= 0x40;	/* a byte of the first data block */
	assert_int_equal(master_chan_feed(&chan, far.out, far.outlen, &used,
	    &ev), MASTER_CHAN_ERROR);
	assert_int_equal(ev.err, LINK_ERR_BODY_CRC);
	assert_int_equal(master_chan_init(&chan, 1, 10, chan_buf, 10), -1);
	outstation_free(far.os);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integrity_over_link),
		cmocka_unit_test(test_link_status),
		cmocka_unit_test(test_keep_alive_answered),
		cmocka_unit_test(test_corrupt_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
