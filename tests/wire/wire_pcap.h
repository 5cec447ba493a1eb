#ifndef DNP3D_WIRE_PCAP_H
#define DNP3D_WIRE_PCAP_H

/*
 * A tiny classic-pcap writer for the tshark wire checks: one synthetic TCP
 * connection (Ethernet / IPv4 / TCP with correct lengths and checksums)
 * between a master, 127.0.0.1:40000, and an outstation, 127.0.0.2:20000,
 * starting with a three-way handshake so the dissector sees a clean stream.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WIRE_MAX_PAYLOAD	65000

struct wire_pcap {
	FILE		*f;
	uint32_t	 next_seq[2];	/* [0] master, [1] outstation */
	uint32_t	 usec;		/* synthetic clock */
	uint32_t	 packets;
};

/* Creates path and writes the file header and the handshake. 0 or -1. */
int	wire_pcap_open(struct wire_pcap *w, const char *path);

/* One TCP segment with PSH|ACK carrying payload. 0 or -1. */
int	wire_pcap_write(struct wire_pcap *w, bool from_master,
	    const uint8_t *payload, size_t len);

/* Flushes and closes. 0 or -1 (e.g. the disk filled up). */
int	wire_pcap_close(struct wire_pcap *w);

#endif
