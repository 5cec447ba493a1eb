/*
 * Classic pcap (LINKTYPE_ETHERNET) with hand-built Ethernet, IPv4 and TCP
 * headers. Checksums are computed so that tshark needs no special options.
 */
#include <stdio.h>
#include <string.h>

#include "tests/wire/wire_pcap.h"

#define ETH_LEN		14
#define IP_LEN		20
#define TCP_LEN		20
#define HDRS_LEN	(ETH_LEN + IP_LEN + TCP_LEN)

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_PSH	0x08
#define TH_ACK	0x10

static const uint8_t ip_master[4] = { 127, 0, 0, 1 };
static const uint8_t ip_outstation[4] = { 127, 0, 0, 2 };
#define PORT_MASTER	40000
#define PORT_OUTSTATION	20000

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void
putle32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

/* The Internet checksum's running sum over a byte range. */
static uint32_t
sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
build_headers(uint8_t *h, bool from_master, uint32_t seq, uint32_t ack,
    uint8_t flags, const uint8_t *payload, size_t len)
{
	const uint8_t *src = from_master ? ip_master : ip_outstation;
	const uint8_t *dst = from_master ? ip_outstation : ip_master;
	uint8_t *ip = h + ETH_LEN, *tcp = ip + IP_LEN, pseudo[12];

	memcpy(h, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (!from_master)	/* swap MAC addresses */
		memcpy(h, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	put16(h + 12, 0x0800);

	memset(ip, 0, IP_LEN);
	ip[0] = 0x45;
	put16(ip + 2, (uint32_t)(IP_LEN + TCP_LEN + len));
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, fold(sum16(0, ip, IP_LEN)));

	memset(tcp, 0, TCP_LEN);
	put16(tcp, from_master ? PORT_MASTER : PORT_OUTSTATION);
	put16(tcp + 2, from_master ? PORT_OUTSTATION : PORT_MASTER);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = (TCP_LEN / 4) << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	memcpy(pseudo, src, 4);
	memcpy(pseudo + 4, dst, 4);
	pseudo[8] = 0;
	pseudo[9] = 6;
	put16(pseudo + 10, (uint32_t)(TCP_LEN + len));
	uint32_t sum = sum16(sum16(0, pseudo, 12), tcp, TCP_LEN);
	put16(tcp + 16, fold(sum16(sum, payload, len)));
}

static int
write_packet(struct wire_pcap *w, bool from_master, uint8_t flags,
    const uint8_t *payload, size_t len)
{
	uint8_t rec[16], hdrs[HDRS_LEN];
	int me = from_master ? 0 : 1;
	uint32_t ack = (flags & TH_ACK) ? w->next_seq[!me] : 0;

	if (len > WIRE_MAX_PAYLOAD)
		return -1;
	build_headers(hdrs, from_master, w->next_seq[me], ack, flags, payload,
	    len);
	w->usec += 1000;
	putle32(rec, 1700000000 + w->usec / 1000000);
	putle32(rec + 4, w->usec % 1000000);
	putle32(rec + 8, (uint32_t)(HDRS_LEN + len));
	putle32(rec + 12, (uint32_t)(HDRS_LEN + len));
	if (fwrite(rec, sizeof(rec), 1, w->f) != 1 ||
	    fwrite(hdrs, sizeof(hdrs), 1, w->f) != 1 ||
	    (len > 0 && fwrite(payload, len, 1, w->f) != 1))
		return -1;
	w->next_seq[me] += (uint32_t)len + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	w->packets++;
	return 0;
}

int
wire_pcap_open(struct wire_pcap *w, const char *path)
{
	uint8_t fh[24];

	memset(w, 0, sizeof(*w));
	w->next_seq[0] = 0x10000000;
	w->next_seq[1] = 0x20000000;
	if ((w->f = fopen(path, "wb")) == NULL)
		return -1;
	putle32(fh, 0xa1b2c3d4);	/* little-endian, microseconds */
	fh[4] = 2;			/* version 2.4 */
	fh[5] = 0;
	fh[6] = 4;
	fh[7] = 0;
	putle32(fh + 8, 0);		/* thiszone */
	putle32(fh + 12, 0);		/* sigfigs */
	putle32(fh + 16, 65535);	/* snaplen */
	putle32(fh + 20, 1);		/* LINKTYPE_ETHERNET */
	if (fwrite(fh, sizeof(fh), 1, w->f) != 1 ||
	    write_packet(w, true, TH_SYN, NULL, 0) != 0 ||
	    write_packet(w, false, TH_SYN | TH_ACK, NULL, 0) != 0 ||
	    write_packet(w, true, TH_ACK, NULL, 0) != 0) {
		fclose(w->f);
		w->f = NULL;
		return -1;
	}
	return 0;
}

int
wire_pcap_write(struct wire_pcap *w, bool from_master, const uint8_t *payload,
    size_t len)
{
	return write_packet(w, from_master, TH_PSH | TH_ACK, payload, len);
}

int
wire_pcap_close(struct wire_pcap *w)
{
	int rc = 0;

	if (w->f == NULL)
		return -1;
	if (ferror(w->f))
		rc = -1;
	if (fclose(w->f) != 0)
		rc = -1;
	w->f = NULL;
	return rc;
}
