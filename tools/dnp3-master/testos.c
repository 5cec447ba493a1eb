/*
 * dnp3-master-testos: the project's outstation core behind one TCP port,
 * for the master_*.sh tests only (not installed). It serves one master
 * connection after another on 127.0.0.1 with the demo database (10
 * points of every type, or -n N) until -s SECONDS have passed. No
 * privilege handling, no bus: that is dnp3d's job.
 *
 *   dnp3-master-testos -p PORT [-n POINTS] [-f FRAG_TX] [-s SECONDS]
 *
 * It prints "ready PORT" on stdout once it listens; with -p 0 the kernel
 * picks the port (no window in which another socket can take it).
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "dnp3/outstation/chan.h"
#include "dnp3master.h"

struct conn {
	int fd;
	struct outstation_chan chan;
	uint8_t out[TRANSPORT_FRAG_MAX * 2];
	size_t outlen;
};

static struct conn conn;

/* An output of n bytes (-1: it did not fit) was built at the end. */
static void
put_output(struct conn *c, int n)
{
	if (n < 0)
		fatalx("%s: response does not fit", __func__);
	c->outlen += (size_t)n;
}

/* Bytes from the master. -1: close the connection. */
static int
feed(struct conn *c, const uint8_t *in, size_t len)
{
	struct outstation_chan_event ev;
	enum outstation_chan_ev what;
	size_t used;

	for (size_t round = 0; round <= len + LINK_MAX_FRAME; round++) {
		what = outstation_chan_feed(&c->chan, in, len, &used,
		    now_mono_ms(), c->out + c->outlen,
		    sizeof(c->out) - c->outlen, &ev);
		in += used;
		len -= used;
		if (what == OUTSTATION_CHAN_MORE)
			return 0;
		if (what == OUTSTATION_CHAN_LINK_ERROR) {
			log_warnx("link error: %s", link_err_str(ev.err));
			return -1;
		}
		put_output(c, what == OUTSTATION_CHAN_OVERFLOW ? -1 :
		    (int)ev.out_len);
	}
	return -1;
}

static int
flush_out(struct conn *c)
{
	ssize_t n;

	if (c->outlen == 0)
		return 0;
	n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);
	if (n != (ssize_t)c->outlen)
		return -1;
	c->outlen = 0;
	return 0;
}

/* Serves one master until it closes or the end time. */
static void
serve(struct conn *c, uint64_t end)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	uint8_t in[4096];
	uint64_t now, dl;
	ssize_t n;

	outstation_chan_reset(&c->chan);
	while ((now = now_mono_ms()) < end) {
		dl = outstation_chan_deadline(&c->chan);
		if (dl != 0 && now >= dl) {
			put_output(c, outstation_chan_tick(&c->chan, now,
			    c->out + c->outlen, sizeof(c->out) - c->outlen));
			continue;
		}
		if (poll(&pfd, 1, (int)((dl != 0 && dl < end ? dl : end) -
		    now)) <= 0)
			continue;
		if ((n = read(c->fd, in, sizeof(in))) <= 0 ||
		    feed(c, in, (size_t)n) == -1 || flush_out(c) == -1)
			break;
	}
	close(c->fd);
}

static int
listen_on(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)*port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	    -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 4) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		fatal("listen on 127.0.0.1:%d", *port);
	*port = ntohs(sin.sin_port);
	return fd;
}

int
main(int argc, char **argv)
{
	struct outstation_params cfg;
	struct pollfd pfd;
	uint64_t end;
	int ch, port = -1, points = 10, frag = 2048, secs = 60;

	log_init(argv[0], 0);
	while ((ch = getopt(argc, argv, "p:n:f:s:")) != -1) {
		switch (ch) {
		case 'p': port = atoi(optarg); break;
		case 'n': points = atoi(optarg); break;
		case 'f': frag = atoi(optarg); break;
		case 's': secs = atoi(optarg); break;
		default: return 2;
		}
	}
	if (port < 0 || port > 65535 || points < 0 || points > 1000 ||
	    secs <= 0 || secs > 600)
		fatalx("usage: dnp3-master-testos -p PORT [-n POINTS] "
		    "[-f FRAG_TX] [-s SECONDS]");
	memset(&cfg, 0, sizeof(cfg));
	for (int t = 0; t < PT_COUNT; t++) {
		cfg.db[t].count = (uint32_t)points;
		cfg.db[t].class = 1;
		cfg.db[t].event_buffer = 100;
	}
	cfg.confirm_ms = 2000;
	cfg.select_ms = 5000;
	cfg.frag_rx = 2048;
	cfg.frag_tx = (uint32_t)frag;
	if (outstation_chan_init(&conn.chan, &cfg, 10, 1,
	    LINK_ERROR_CLOSE) == -1)
		fatalx("bad outstation configuration");
	outstation_set_time(conn.chan.os, now_mono_ms(), now_real_ms());
	outstation_load_demo_values(conn.chan.os, now_real_ms());
	pfd.fd = listen_on(&port);
	pfd.events = POLLIN;
	printf("ready %d\n", port);
	fflush(stdout);
	end = now_mono_ms() + (uint64_t)secs * 1000;
	while (now_mono_ms() < end) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((conn.fd = accept(pfd.fd, NULL, NULL)) == -1)
			continue;
		serve(&conn, end);
	}
	outstation_chan_free(&conn.chan);
	return 0;
}
