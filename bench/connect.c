/*
 * bench-connect: hand-off latency and connection churn. Each cycle
 * connects (from the next of -S source addresses), sends a request link
 * status and waits for the answer; the latency is connect() to the first
 * response byte. -r replace (default): the previous connection stays open
 * until the new one has answered, so dnp3d replaces it (one master per
 * outstation); -r close: each is closed once answered. -R: raw server,
 * the answer is only counted, not checked as a link frame.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "common/log.h"
#include "dnp3/link/link.h"

struct opts {
	struct sockaddr_storage dst, src;
	socklen_t dlen;
	bool	 bind_src, replace, raw;
	uint32_t n, sources;
	uint16_t outstation, master;
	uint64_t deadline;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench-connect -t HOST:PORT [-b SRC] "
	    "[-S SOURCES] [-n N] [-T SECS]\n"
	    "         [-a OUTSTATION] [-m MASTER] [-r replace|close] [-R]\n");
	exit(2);
}

/* The answer must be a LINK_STATUS from the outstation to us. */
static bool
is_link_status(const struct opts *o, const uint8_t *b, size_t len)
{
	struct link_parser p;
	struct link_frame f;
	enum link_err err;
	size_t used;

	link_parser_init(&p, LINK_ERROR_CLOSE);
	if (link_parser_feed(&p, b, len, &used, &f, &err) != LINK_PARSE_FRAME)
		return false;
	return !f.hdr.prm && f.hdr.func == LINK_SEC_LINK_STATUS &&
	    f.hdr.dest == o->master && f.hdr.src == o->outstation;
}

static int
read_answer(int fd, uint8_t *b, size_t want, uint64_t *first)
{
	size_t got = 0;

	for (int i = 0; got < want && i < 64; i++) {
		ssize_t n = recv(fd, b + got, want - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (got == 0)
			*first = bench_now_ns();
		got += (size_t)n;
	}
	return got == want ? 0 : -1;
}

/*
 * Closes with a reset, so that no TIME_WAIT stays on the client side: it
 * would slow connect()'s port search over a long run, and more for the
 * baseline (whose client closes first) than for dnp3d (which closes the
 * replaced connection itself).
 */
static void
close_now(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* One cycle; the new socket, or -1. */
static int
cycle(const struct opts *o, uint32_t i, const uint8_t *req,
    struct bench_lat *lat)
{
	struct sockaddr_storage src;
	struct timeval tv = { .tv_sec = 2 };
	uint8_t ans[LINK_HEADER_LEN];
	uint64_t t0, t1 = 0;
	int fd;

	if (o->bind_src && bench_source(&o->src, i % o->sources, &src) == -1)
		fatalx("source %u is outside 127/8", i % o->sources);
	t0 = bench_now_ns();
	fd = bench_connect(&o->dst, o->dlen, o->bind_src ? &src : NULL, false);
	if (fd == -1) {
		log_warn("connect");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, req, LINK_HEADER_LEN, MSG_NOSIGNAL) != LINK_HEADER_LEN ||
	    read_answer(fd, ans, sizeof(ans), &t1) == -1) {
		log_warnx("cycle %u: no answer", i);
		close(fd);
		return -1;
	}
	if (!o->raw && !is_link_status(o, ans, sizeof(ans))) {
		log_warnx("cycle %u: the answer is not a link status", i);
		close(fd);
		return -1;
	}
	bench_lat_add(lat, t1 - t0);
	return fd;
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	double secs = 60;
	int ch;

	*o = (struct opts){ .replace = true, .n = 10000, .sources = 1,
	    .outstation = 10, .master = 1 };
	while ((ch = getopt(argc, argv, "t:b:S:n:T:a:m:r:R")) != -1) {
		switch (ch) {
		case 't':
			if (bench_addr(optarg, &o->dst, &o->dlen) == -1)
				exit(2);
			break;
		case 'b': {
			char a[80];
			socklen_t sl;

			snprintf(a, sizeof(a), "%s:0", optarg);
			if (bench_addr(a, &o->src, &sl) == -1)
				exit(2);
			o->bind_src = true;
			break;
		}
		case 'S': o->sources = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'n': o->n = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'T': secs = strtod(optarg, NULL); break;
		case 'a': o->outstation = (uint16_t)atoi(optarg); break;
		case 'm': o->master = (uint16_t)atoi(optarg); break;
		case 'r': o->replace = strcmp(optarg, "close") != 0; break;
		case 'R': o->raw = true; break;
		default: usage();
		}
	}
	if (optind != argc || o->dlen == 0 || o->n == 0 || o->n > 10000000 ||
	    o->sources == 0 || secs <= 0 || secs > 3600)
		usage();
	o->deadline = bench_now_ns() + (uint64_t)(secs * 1e9);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct link_station st;
	struct bench_lat lat;
	uint8_t req[LINK_HEADER_LEN];
	uint32_t i, fails = 0;
	uint64_t t0, ns;
	int prev = -1, fd;

	log_init("bench-connect", 0);
	parse_args(&o, argc, argv);
	link_station_init(&st, o.master, o.outstation, true, false);
	if (link_station_encode_primary(&st, LINK_PRI_REQUEST_LINK_STATUS, req,
	    sizeof(req)) != LINK_HEADER_LEN)
		fatalx("cannot encode the request");
	bench_lat_init(&lat, o.n);
	t0 = bench_now_ns();
	for (i = 0; i < o.n && bench_now_ns() < o.deadline && fails < 100;
	    i++) {
		if ((fd = cycle(&o, i, req, &lat)) == -1) {
			fails++;
			continue;
		}
		if (prev != -1)
			close_now(prev);
		prev = o.replace ? fd : -1;
		if (!o.replace)
			close_now(fd);
	}
	ns = bench_now_ns() - t0;
	if (prev != -1)
		close_now(prev);
	printf("cycles=%zu fail=%u secs=%.3f rate=%.1f p50_us=%.1f "
	    "p99_us=%.1f max_us=%.1f\n", lat.n, fails, (double)ns / 1e9,
	    (double)lat.n / ((double)ns / 1e9), bench_pct(&lat, 50),
	    bench_pct(&lat, 99), bench_pct(&lat, 100));
	i = fails > 0 || lat.n == 0;
	bench_lat_free(&lat);
	return (int)i;
}
