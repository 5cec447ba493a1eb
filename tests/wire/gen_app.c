/* libs: dnp3app dnp3link */
/*
 * Application fragments as the dnp3app writer builds them, through
 * transport and link into a pcap: requests (integrity poll, reads with
 * every qualifier, CROB select/operate, analog output blocks, write time
 * and IIN, delay measure), responses with every static and event
 * variation (events with index prefixes, CTO and relative times), control
 * echoes, time objects, octet strings, IIN bits and a 250-point response
 * split into fragments at the 249-byte tx size.
 */
#include <string.h>

#include "common/log.h"
#include "dnp3/app/app.h"
#include "dnp3/link/link.h"
#include "dnp3/transport/transport.h"
#include "tests/wire/wire_gen.h"

#define OS_ADDR		10
#define MASTER_ADDR	1
#define T0		1700000000000ULL

static struct link_station master, outstation;
static struct transport_tx master_tx, os_tx;
static uint8_t seq;

static void
send_fragment(bool from_master, const uint8_t *frag, size_t len)
{
	static uint8_t wire[40 * LINK_MAX_FRAME];
	int n = transport_tx_frames(from_master ? &master_tx : &os_tx,
	    from_master ? &master : &outstation, frag, len, wire,
	    sizeof(wire));

	if (n < 0)
		fatalx("%s: fragment of %zu bytes", __func__, len);
	wire_gen_send(from_master, wire, (size_t)n);
}

static void
check(int r, const char *what)
{
	if (r < 0)
		fatalx("%s: %s", what, dnp3_app_strerror(r));
}

static void
start(struct dnp3_writer *w, uint8_t *buf, size_t tx, uint8_t func)
{
	bool rsp = func == DNP3_FC_RESPONSE ||
	    func == DNP3_FC_UNSOLICITED_RESPONSE;

	check(dnp3_writer_init(w, buf, tx), "init");
	check(dnp3_writer_start(w, func, dnp3_app_control(true, true, false,
	    func == DNP3_FC_UNSOLICITED_RESPONSE, seq)), "start");
	if (rsp)
		dnp3_writer_set_iin(w, DNP3_IIN1_DEVICE_RESTART);
	seq = (seq + 1) & DNP3_AC_SEQ_MASK;
}

static void
finish(struct dnp3_writer *w, bool from_master)
{
	send_fragment(from_master, w->buf, dnp3_writer_len(w));
}

/* A value for point i of a descriptor's kind, with time t. */
static union dnp3_obj
sample(const struct dnp3_objdesc *d, uint32_t i, uint64_t t)
{
	union dnp3_obj o;

	memset(&o, 0, sizeof(o));
	o.point.flags = DNP3_FLAG_ONLINE;
	o.point.time_ms = t;
	switch (d->kind) {
	case DNP3_K_BINARY:
	case DNP3_K_IIN:
		o.point.value = i & 1;
		break;
	case DNP3_K_DBIT:
		o.point.value = 1 + (i & 1);
		break;
	case DNP3_K_COUNTER:
		o.point.value = 1000 * i + 7;
		break;
	default:
		o.point.value = (i & 1) ? -12.5 * i : 100.25 * i;
		break;
	}
	return o;
}

static void
requests(void)
{
	static const uint8_t text[4] = "dnp3";
	uint8_t buf[DNP3_TX_MIN];
	struct dnp3_writer w;
	union dnp3_obj o;

	start(&w, buf, sizeof(buf), DNP3_FC_READ);	/* integrity poll */
	for (uint8_t v = 2; v <= 5; v++)
		check(dnp3_writer_header(&w, 60, v == 5 ? 1 : v, DNP3_Q_ALL,
		    0, 0), "class");
	finish(&w, true);

	start(&w, buf, sizeof(buf), DNP3_FC_READ);	/* every qualifier */
	check(dnp3_writer_header(&w, 1, 2, DNP3_Q_START_STOP_8, 0, 9), "r");
	check(dnp3_writer_header(&w, 30, 0, DNP3_Q_START_STOP_16, 0, 300),
	    "r");
	check(dnp3_writer_header(&w, 2, 0, DNP3_Q_COUNT_8, 0, 5), "r");
	check(dnp3_writer_header(&w, 32, 0, DNP3_Q_COUNT_16, 0, 20), "r");
	check(dnp3_writer_header(&w, 60, 2, DNP3_Q_COUNT_8, 0, 3), "r");
	finish(&w, true);

	for (uint8_t func = DNP3_FC_SELECT; func <= DNP3_FC_OPERATE; func++) {
		start(&w, buf, sizeof(buf), func);
		check(dnp3_writer_begin(&w, 12, 1, DNP3_Q_INDEX_8, 0), "crob");
		o.crob = (struct dnp3_crob){ DNP3_CROB_OP_LATCH_ON, 1, 0, 0,
		    DNP3_CS_SUCCESS };
		check(dnp3_writer_add(&w, 3, &o), "crob");
		o.crob = (struct dnp3_crob){ DNP3_CROB_OP_PULSE_ON |
		    DNP3_CROB_TCC_CLOSE, 2, 500, 250, DNP3_CS_SUCCESS };
		check(dnp3_writer_add(&w, 4, &o), "crob");
		finish(&w, true);
	}

	start(&w, buf, sizeof(buf), DNP3_FC_DIRECT_OPERATE);
	for (uint8_t v = 1; v <= 4; v++) {
		check(dnp3_writer_begin(&w, 41, v, DNP3_Q_INDEX_16, 0), "aob");
		o.aob = (struct dnp3_aob){ v * 1000.5, DNP3_CS_SUCCESS };
		check(dnp3_writer_add(&w, 300 + v, &o), "aob");
	}
	finish(&w, true);

	start(&w, buf, sizeof(buf), DNP3_FC_WRITE);
	o.time_ms = T0;
	check(dnp3_writer_add_single(&w, 50, 1, &o), "time");
	finish(&w, true);

	start(&w, buf, sizeof(buf), DNP3_FC_WRITE);	/* clear restart */
	check(dnp3_writer_begin(&w, 80, 1, DNP3_Q_START_STOP_8, 7), "iin");
	o.point = (struct dnp3_point_value){ 0, 0, 0 };
	check(dnp3_writer_add(&w, 7, &o), "iin");
	check(dnp3_writer_begin(&w, 110, 4, DNP3_Q_START_STOP_8, 2), "oct");
	o.octets = (struct dnp3_octets){ text, sizeof(text) };
	check(dnp3_writer_add(&w, 2, &o), "oct");
	finish(&w, true);

	start(&w, buf, sizeof(buf), DNP3_FC_DELAY_MEASURE);
	finish(&w, true);
	start(&w, buf, sizeof(buf), DNP3_FC_FREEZE_AT_TIME);
	o.interval = (struct dnp3_time_interval){ T0, 60000 };
	check(dnp3_writer_add_single(&w, 50, 2, &o), "freeze at time");
	finish(&w, true);
}

/* One response per object group: static variations with ranges. */
static void
static_responses(void)
{
	static const uint8_t groups[] = { 1, 3, 10, 20, 21, 30, 40, 80 };
	uint8_t buf[2048];
	struct dnp3_writer w;

	for (size_t g = 0; g < sizeof(groups); g++) {
		start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);
		for (unsigned v = 1; v <= 10; v++) {
			const struct dnp3_objdesc *d =
			    dnp3_objdesc_find(groups[g], (uint8_t)v);
			if (d == NULL)
				continue;
			uint32_t first = v * 20, n = 10;
			check(dnp3_writer_begin(&w, d->group, d->variation,
			    dnp3_qual_for_range(first + n), first), d->name);
			for (uint32_t i = first; i < first + n; i++) {
				union dnp3_obj o = sample(d, i, T0 + i);
				check(dnp3_writer_add(&w, i, &o), d->name);
			}
		}
		finish(&w, false);
	}
}

/* Events with index prefixes, absolute and relative (CTO) times. */
static void
event_responses(void)
{
	static const uint8_t groups[] = { 2, 4, 11, 22, 23, 32, 42 };
	uint8_t buf[2048];
	struct dnp3_writer w;
	union dnp3_obj o;

	for (size_t g = 0; g < sizeof(groups); g++) {
		start(&w, buf, sizeof(buf), g & 1 ?
		    DNP3_FC_UNSOLICITED_RESPONSE : DNP3_FC_RESPONSE);
		o.time_ms = T0;	/* g51v2 too is right, but tshark 4.0
				   does not know it (unit tests cover it) */
		check(dnp3_writer_add_single(&w, 51, 1, &o), "cto");
		for (unsigned v = 1; v <= 8; v++) {
			const struct dnp3_objdesc *d =
			    dnp3_objdesc_find(groups[g], (uint8_t)v);
			/* tshark 4.0 names g4v3 but cannot decode it (the
			   same layout as g2v3, which it decodes) */
			if (d == NULL || (d->group == 4 && v == 3))
				continue;
			check(dnp3_writer_begin(&w, d->group, d->variation,
			    (v & 1) ? DNP3_Q_INDEX_8 : DNP3_Q_INDEX_16, 0),
			    d->name);
			for (uint32_t i = 0; i < 3; i++) {
				o = sample(d, i * 7 + v, T0 + 10 * i);
				check(dnp3_writer_add(&w, i * 7 + v, &o),
				    d->name);
			}
		}
		finish(&w, false);
	}
}

static void
other_responses(void)
{
	static const uint8_t text[] = "outstation";
	uint8_t buf[DNP3_TX_MIN];
	struct dnp3_writer w;
	union dnp3_obj o;

	start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);	/* CROB echo */
	check(dnp3_writer_begin(&w, 12, 1, DNP3_Q_INDEX_8, 0), "crob");
	o.crob = (struct dnp3_crob){ DNP3_CROB_OP_LATCH_ON, 1, 0, 0,
	    DNP3_CS_NOT_SUPPORTED };
	check(dnp3_writer_add(&w, 3, &o), "crob");
	finish(&w, false);

	start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);	/* AOB echo */
	for (uint8_t v = 1; v <= 4; v++) {
		check(dnp3_writer_begin(&w, 41, v, DNP3_Q_INDEX_16, 0), "aob");
		o.aob = (struct dnp3_aob){ -v * 10.0, DNP3_CS_SUCCESS };
		check(dnp3_writer_add(&w, v, &o), "aob");
	}
	finish(&w, false);

	start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);	/* delay measure */
	o.delay = 12;
	check(dnp3_writer_add_single(&w, 52, 2, &o), "delay");
	finish(&w, false);
	start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);
	/* g52v1 (coarse delay) is not in tshark 4.0's dissector either */
	o.time_ms = T0;
	check(dnp3_writer_add_single(&w, 50, 1, &o), "time");
	finish(&w, false);

	start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);	/* octet strings */
	check(dnp3_writer_begin(&w, 110, sizeof(text) - 1,
	    DNP3_Q_START_STOP_8, 0), "g110");
	o.octets = (struct dnp3_octets){ text, sizeof(text) - 1 };
	check(dnp3_writer_add(&w, 0, &o), "g110");
	check(dnp3_writer_add(&w, 1, &o), "g110");
	check(dnp3_writer_begin(&w, 111, sizeof(text) - 1, DNP3_Q_INDEX_8,
	    0), "g111");
	check(dnp3_writer_add(&w, 1, &o), "g111");
	finish(&w, false);

	/* empty, IIN only; IIN2 bits would be flagged "abnormal" */
	start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);
	dnp3_writer_set_iin(&w, DNP3_IIN1_NEED_TIME |
	    DNP3_IIN1_CLASS1_EVENTS | DNP3_IIN1_CLASS3_EVENTS);
	finish(&w, false);
}

/* 250 analogs at the minimum tx size: FIR, middle, FIN fragments. */
static void
multi_fragment(void)
{
	const struct dnp3_objdesc *d = dnp3_objdesc_find(30, 1);
	uint8_t buf[DNP3_TX_MIN];
	struct dnp3_writer w;
	uint32_t i = 0, nfrag = 0;
	int r;

	while (i < 250) {
		start(&w, buf, sizeof(buf), DNP3_FC_RESPONSE);
		check(dnp3_writer_begin(&w, 30, 1, dnp3_qual_for_range(249),
		    i), "g30v1");
		for (; i < 250; i++) {
			union dnp3_obj o = sample(d, i, 0);
			if ((r = dnp3_writer_add(&w, i, &o)) == DNP3_E_NOSPACE)
				break;
			check(r, "g30v1");
		}
		dnp3_writer_set_control(&w, dnp3_app_control(nfrag == 0,
		    i == 250, i < 250, false, (seq - 1) & DNP3_AC_SEQ_MASK));
		finish(&w, false);
		if (++nfrag > 10)
			fatalx("%s: no progress", __func__);
	}
	if (nfrag < 3)
		fatalx("%s: %u fragments, want at least 3", __func__, nfrag);
}

int
main(int argc, char **argv)
{
	wire_gen_begin(argc, argv);
	link_station_init(&master, MASTER_ADDR, OS_ADDR, true, false);
	link_station_init(&outstation, OS_ADDR, MASTER_ADDR, false, false);
	transport_tx_init(&master_tx, 0);
	transport_tx_init(&os_tx, 0);
	requests();
	static_responses();
	event_responses();
	other_responses();
	multi_fragment();
	return wire_gen_end();
}
