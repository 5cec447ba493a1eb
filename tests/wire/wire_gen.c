/*
 * The common part of the wire generators: one pcap per program, a frame
 * count checked by parsing every byte that goes into it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "dnp3/link/link.h"
#include "tests/wire/wire_gen.h"
#include "tests/wire/wire_pcap.h"

static struct wire_pcap	pcap;
static const char	*pcap_path;
static unsigned		 frames;

void
wire_gen_begin(int argc, char **argv)
{
	log_init(argv[0], 0);
	if (argc != 2)
		fatalx("usage: %s OUT.pcap", argv[0]);
	pcap_path = argv[1];
	if (wire_pcap_open(&pcap, pcap_path) != 0)
		fatal("%s", pcap_path);
}

/* Counts the link frames in buf; a generator must only write good ones. */
static unsigned
count_frames(const uint8_t *buf, size_t len)
{
	struct link_parser p;
	struct link_frame f;
	enum link_err err;
	size_t off = 0, used;
	unsigned n = 0;

	link_parser_init(&p, LINK_ERROR_CLOSE);
	while (off < len) {
		enum link_parse r = link_parser_feed(&p, buf + off, len - off,
		    &used, &f, &err);
		if (r == LINK_PARSE_ERROR)
			fatalx("%s: generator wrote a bad frame: %s", __func__,
			    link_err_str(err));
		off += used;
		if (r == LINK_PARSE_FRAME)
			n++;
		else
			break;
	}
	if (off != len || p.have != 0)
		fatalx("%s: generator wrote a partial frame", __func__);
	return n;
}

void
wire_gen_send(bool from_master, const uint8_t *buf, size_t len)
{
	frames += count_frames(buf, len);
	if (wire_pcap_write(&pcap, from_master, buf, len) != 0)
		fatal("%s: %s", __func__, pcap_path);
}

int
wire_gen_end(void)
{
	if (wire_pcap_close(&pcap) != 0)
		fatal("%s: %s", __func__, pcap_path);
	printf("frames %u\n", frames);
	return fflush(stdout) == 0 ? 0 : 1;
}
