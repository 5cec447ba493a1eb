/*
 * bench-load: closed-loop load against dnp3d (DNP3 modes) or against
 * bench-rawserver (raw mode), over one or many loopback connections, each
 * from its own source address when -b is given. Prints one line of
 * key=value results; exits 1 if any operation failed or no connection
 * finished its operations.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/tcp.h>		/* tcpi_data_segs_in (not in netinet/tcp.h) */

#include "bench/load.h"
#include "common/log.h"


static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench-load -t HOST:PORT [-P] [-b SRC] [-c CONNS] "
	    "[-C WAVE] [-n OPS] [-w WARMUP]\n"
	    "         [-T SECS] [-a OUTSTATION] [-m MASTER] [-x FRAG] "
	    "link|poll|crob|raw:SHAPE\n");
	exit(2);
}

int
load_send(struct load *l, struct load_conn *c, const uint8_t *b, size_t len)
{
	ssize_t n;
	struct bench_shape *s = &l->shape;

	do {
		n = send(c->fd, b, len, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	if (n != (ssize_t)len)
		return -1;	/* small requests: a short send is a fault */
	c->last_io = bench_now_ns();
	if (c->recording && l->mode != MODE_RAW) {
		if (s->n == 0 || s->step[s->n - 1].rsp > 0) {
			if (s->n == BENCH_SHAPE_MAX)
				return 0;
			s->step[s->n++] = (struct bench_step){ (uint32_t)len,
			    0 };
		} else
			s->step[s->n - 1].req += (uint32_t)len;
	}
	return 0;
}

void
load_record_rx(struct load *l, struct load_conn *c, size_t len)
{
	if (c->recording && l->shape.n > 0)
		l->shape.step[l->shape.n - 1].rsp += (uint32_t)len;
}

void
load_op_done(struct load *l, struct load_conn *c, bool ok)
{
	uint64_t now = bench_now_ns();

	c->recording = false;
	c->busy = false;
	bench_lat_add(&l->lat, now - c->t0);
	l->total_ops++;
	if (!ok)
		l->failures++;
	c->ops++;
}

static int
op_start(struct load *l, struct load_conn *c)
{
	c->busy = true;
	c->t0 = c->last_io = bench_now_ns();
	if (l->record && l->mode != MODE_RAW) {
		l->record = false;	/* one op, on one connection */
		c->recording = true;
		l->shape.n = 0;
		l->points = 0;
	}
	return l->mode == MODE_RAW ? load_raw_start(l, c) :
	    load_dnp3_start(l, c);
}

static void
conn_kill(struct load *l, struct load_conn *c, const char *why)
{
	if (c->dead)
		return;
	log_warnx("connection %zu: %s", (size_t)(c - l->c), why);
	c->dead = true;
	c->busy = false;
	if (c->recording) {	/* record a whole op on another connection */
		c->recording = false;
		l->record = true;
	}
	l->failures++;
	close(c->fd);
	c->fd = -1;
}

/* Reads what is there and hands it to the mode. */
static void
conn_input(struct load *l, struct load_conn *c)
{
	static uint8_t in[LOAD_IN_MAX];
	ssize_t n;

	n = read(c->fd, in, sizeof(in));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		conn_kill(l, c, n == 0 ? "closed by the server" :
		    strerror(errno));
		return;
	}
	c->last_io = bench_now_ns();
	if ((l->mode == MODE_RAW ? load_raw_input(l, c, (size_t)n) :
	    load_dnp3_input(l, c, in, (size_t)n)) == -1)
		conn_kill(l, c, "bad or unexpected response");
}

static int
conn_open(struct load *l, struct load_conn *c, uint32_t i)
{
	struct sockaddr_storage src, dst = l->dst;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if ((c->rxbuf = malloc(l->frag_max)) == NULL)
		fatal("%s", __func__);
	if (master_chan_init(&c->chan, l->master, l->outstation, c->rxbuf,
	    l->frag_max) == -1)
		fatalx("bad fragment size %u", l->frag_max);
	if (l->bind_src && bench_source(&l->src, i, &src) == -1) {
		log_warnx("source address %u is outside 127/8", i);
		return -1;
	}
	/* A peer that serves one outstation per port (opendnp3). */
	if (l->port_each && bench_port_add(&dst, i) == -1) {
		log_warnx("port of connection %u is past 65535", i);
		return -1;
	}
	c->fd = bench_connect(&dst, l->dlen, l->bind_src ? &src : NULL,
	    true);
	if (c->fd == -1) {
		log_warn("connect %u", i);
		return -1;
	}
	return 0;
}

/* Waits until connections first..last-1 are established (bounded). */
static int
connect_all(struct load *l, struct pollfd *pfd, uint32_t first,
    uint32_t last)
{
	uint32_t left = last - first;

	while (left > 0 && bench_now_ns() < l->deadline) {
		for (uint32_t i = 0; i < l->nconn; i++)
			pfd[i] = (struct pollfd){ .fd = l->c[i].connected ||
			    i < first || i >= last ? -1 : l->c[i].fd,
			    .events = POLLOUT };
		if (poll(pfd, l->nconn, 100) == -1 && errno != EINTR)
			fatal("poll");
		for (uint32_t i = first; i < last; i++) {
			int err = 0;
			socklen_t el = sizeof(err);

			if (l->c[i].connected || pfd[i].revents == 0)
				continue;
			getsockopt(l->c[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
			if (err != 0) {
				log_warnx("connect %u: %s", i, strerror(err));
				return -1;
			}
			l->c[i].connected = true;
			left--;
		}
	}
	return left == 0 ? 0 : -1;
}

/* Starts ops where due; returns the number of connections still busy. */
static uint32_t
kick(struct load *l, uint32_t first, uint32_t target, uint64_t now)
{
	uint32_t active = 0;

	for (uint32_t i = first; i < l->nconn; i++) {
		struct load_conn *c = &l->c[i];

		if (c->dead)
			continue;
		if (c->busy && now - c->last_io > l->stall_ns)
			conn_kill(l, c, "no answer in time (-s)");
		else if (!c->busy && c->ops < target && now < l->deadline &&
		    op_start(l, c) == -1)
			conn_kill(l, c, "send failed");
		if (!c->dead && c->busy)
			active++;
	}
	return active;
}

/*
 * Connections first..nconn-1 (the open ones) each do target operations,
 * or the deadline passes.
 */
static void
phase(struct load *l, struct pollfd *pfd, uint32_t first, uint32_t target)
{
	for (uint32_t i = first; i < l->nconn; i++)
		l->c[i].ops = 0;
	while (kick(l, first, target, bench_now_ns()) > 0) {
		for (uint32_t i = 0; i < l->nconn; i++)
			pfd[i] = (struct pollfd){ .fd = l->c[i].busy ?
			    l->c[i].fd : -1, .events = POLLIN };
		if (poll(pfd, l->nconn, 100) == -1 && errno != EINTR)
			fatal("poll");
		for (uint32_t i = 0; i < l->nconn; i++)
			if (pfd[i].fd >= 0 && pfd[i].revents)
				conn_input(l, &l->c[i]);
	}
}

/*
 * Opens the connections in waves of l->wave (0: all at once), each wave
 * answered once before the next, so the listener's accept queue is not
 * what is measured. The connections are counted in l->nconn as they open.
 */
static void
connect_waves(struct load *l, struct pollfd *pfd)
{
	uint32_t total = l->nconn, wave = l->wave ? l->wave : total;

	l->nconn = 0;
	while (l->nconn < total) {
		uint32_t first = l->nconn;
		uint32_t last = total - first < wave ? total : first + wave;

		for (uint32_t i = first; i < last; i++)
			if (conn_open(l, &l->c[i], i) == -1)
				exit(1);
		l->nconn = last;
		if (connect_all(l, pfd, first, last) == -1)
			fatalx("connections %u..%u were not established", first,
			    last - 1);
		if (l->wave)
			phase(l, pfd, first, 1);
	}
}

static enum load_mode
parse_mode(struct load *l, const char *m)
{
	if (strcmp(m, "link") == 0)
		return MODE_LINK;
	if (strcmp(m, "poll") == 0)
		return MODE_POLL;
	if (strcmp(m, "crob") == 0)
		return MODE_CROB;
	if (strncmp(m, "raw:", 4) == 0 &&
	    bench_shape_parse(m + 4, &l->shape) == 0)
		return MODE_RAW;
	usage();
}

static void
parse_args(struct load *l, int argc, char **argv)
{
	double secs = 30, stall = 5;
	int ch;

	l->nconn = 1;
	l->ops = 1000;
	l->warmup = 10;
	l->outstation = 10;
	l->master = 1;
	l->frag_max = 65535;
	while ((ch = getopt(argc, argv, "t:b:c:C:n:w:T:a:m:x:s:P")) != -1) {
		switch (ch) {
		case 't':
			if (bench_addr(optarg, &l->dst, &l->dlen) == -1)
				exit(2);
			break;
		case 'b': {
			socklen_t sl;
			char a[80];

			snprintf(a, sizeof(a), "%s:0", optarg);
			if (bench_addr(a, &l->src, &sl) == -1)
				exit(2);
			l->bind_src = true;
			break;
		}
		case 'c': l->nconn = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': stall = strtod(optarg, NULL); break;
		case 'C': l->wave = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'n': l->ops = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'w': l->warmup = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'T': secs = strtod(optarg, NULL); break;
		case 'a': l->outstation = (uint16_t)atoi(optarg); break;
		case 'm': l->master = (uint16_t)atoi(optarg); break;
		case 'x': l->frag_max = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'P': l->port_each = true; break;
		default: usage();
		}
	}
	if (optind + 1 != argc || l->dlen == 0 || l->nconn == 0 ||
	    l->nconn > 10000 || secs <= 0 || secs > 3600 || l->ops == 0)
		usage();
	if (stall <= 0 || stall > 600)
		usage();
	l->stall_ns = (uint64_t)(stall * 1e9);
	l->mode = parse_mode(l, argv[optind]);
	l->deadline = bench_now_ns() + (uint64_t)(secs * 1e9);
}

/* What the client itself costs and how the answers came. */
struct load_cost {
	uint64_t cpu_ns;	/* this process, user + system */
	uint32_t segs_in;	/* data segments received on connection 0 */
};

static void
cost_now(const struct load *l, struct load_cost *k)
{
	struct rusage ru;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(k, 0, sizeof(*k));
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		k->cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)
		    ru.ru_stime.tv_sec) * 1000000000u + ((uint64_t)
		    ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000;
	memset(&ti, 0, sizeof(ti));
	if (l->c[0].fd != -1 && getsockopt(l->c[0].fd, IPPROTO_TCP, TCP_INFO,
	    &ti, &len) == 0 && len >= offsetof(struct tcp_info,
	    tcpi_data_segs_in) + sizeof(ti.tcpi_data_segs_in))
		k->segs_in = ti.tcpi_data_segs_in;
}

static void
report(struct load *l, uint64_t ns, const struct load_cost *a)
{
	double secs = (double)ns / 1e9, ops0;
	char shape[1024];
	struct load_cost b;

	cost_now(l, &b);
	ops0 = l->c[0].ops ? (double)l->c[0].ops : 1;
	bench_shape_format(&l->shape, shape, sizeof(shape));
	printf("ops=%llu fail=%llu conns=%u secs=%.3f rate=%.1f "
	    "p50_us=%.1f p99_us=%.1f max_us=%.1f frags=%llu points=%llu "
	    "client_cpu_us_per_op=%.2f segs_in_per_op=%.2f warm_secs=%.3f "
	    "shape=%s\n", (unsigned long long)l->total_ops,
	    (unsigned long long)l->failures, l->nconn, secs,
	    secs > 0 ? (double)l->total_ops / secs : 0,
	    bench_pct(&l->lat, 50), bench_pct(&l->lat, 99),
	    bench_pct(&l->lat, 100), (unsigned long long)l->frags,
	    (unsigned long long)l->points, l->total_ops ? (double)(b.cpu_ns -
	    a->cpu_ns) / 1000.0 / (double)l->total_ops : 0,
	    b.segs_in >= a->segs_in ? (double)(b.segs_in - a->segs_in) / ops0 :
	    0, (double)l->warm_ns / 1e9,
	    shape);
}

int
main(int argc, char **argv)
{
	static struct load l;
	struct rlimit rl;
	struct pollfd *pfd;
	struct load_cost cost;
	uint64_t t0;

	log_init("bench-load", 0);
	parse_args(&l, argc, argv);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((l.c = calloc(l.nconn, sizeof(*l.c))) == NULL ||
	    (pfd = calloc(l.nconn, sizeof(*pfd))) == NULL)
		fatal("calloc");
	bench_lat_init(&l.lat, (size_t)l.nconn * l.ops);
	t0 = bench_now_ns();
	connect_waves(&l, pfd);
	phase(&l, pfd, 0, l.warmup);
	l.warm_ns = bench_now_ns() - t0;
	l.lat.n = 0;
	l.total_ops = 0;
	l.record = true;
	cost_now(&l, &cost);
	t0 = bench_now_ns();
	phase(&l, pfd, 0, l.ops);
	report(&l, bench_now_ns() - t0, &cost);
	for (uint32_t i = 0; i < l.nconn; i++) {
		if (l.c[i].fd != -1)
			close(l.c[i].fd);
		free(l.c[i].rxbuf);
	}
	free(l.c);
	free(pfd);
	bench_lat_free(&l.lat);
	return l.failures > 0 || l.total_ops == 0;
}
