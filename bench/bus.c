/*
 * bench-bus: point updates per second into one outstation, end to end.
 * It publishes N analog_input updates on the bus in messages of -k
 * updates (values: the message number), and after every -W messages
 * reads the outstation over DNP3 until the last value sent is visible:
 * an update counts once a master can see it. -B instead measures the
 * baseline: the same messages from one nanomsg bus socket to another in
 * this process (one hop, nothing decoded), received in full. -m
 * publishes the messages to an MQTT broker instead (bus_mqtt.c), for
 * dnp3-mqtt to carry to the bus: MQTT publish to a master's read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <nanomsg/bus.h>
#include <nanomsg/nn.h>

#include "bench/bench.h"
#include "bench/bus_mqtt.h"
#include "common/log.h"
#include "dnp3/master/master.h"

#define MSG_MAX		(64 * 1024)	/* the bus's inbound limit */

static uint64_t t_start;		/* after connecting */

struct opts {
	const char *url, *name;
	const char *mqtt, *prefix;	/* -m URL, --prefix */
	struct sockaddr_storage dst, src;
	socklen_t dlen;
	uint32_t n, batch, window;
	bool	 baseline;
	uint64_t deadline;
};

/* A DNP3 master on one blocking socket, just enough to read g30. */
struct reader {
	int	 fd;
	struct master_chan chan;
	uint8_t	 rxbuf[4096], in[4096];
	uint8_t	 seq;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench-bus -u URL -o OUTSTATION -t HOST:PORT "
	    "-b SRC [-n N] [-k BATCH] [-W WINDOW] [-T SECS]\n"
	    "       bench-bus -m mqtt://HOST:PORT [--prefix P] -o OUTSTATION "
	    "-t HOST:PORT -b SRC [...]\n"
	    "       bench-bus -B [-n N] [-k BATCH] [-W WINDOW] [-T SECS]\n");
	exit(2);
}

/* One update message; its length, or fatal when it does not fit. */
static size_t
message(const struct opts *o, uint32_t m, char *buf)
{
	size_t off;
	int n;

	off = (size_t)snprintf(buf, MSG_MAX, "{\"op\":\"update\","
	    "\"outstation\":\"%s\",\"updates\":[", o->name);
	for (uint32_t i = 0; i < o->batch; i++) {
		n = snprintf(buf + off, MSG_MAX - off, "%s{\"type\":"
		    "\"analog_input\",\"index\":%u,\"value\":%u}",
		    i ? "," : "", i, m);
		if (n < 0 || (size_t)n >= MSG_MAX - off - 3)
			fatalx("batch of %u does not fit in %d bytes",
			    o->batch, MSG_MAX);
		off += (size_t)n;
	}
	memcpy(buf + off, "]}", 3);
	return off + 2;
}

static int
last_value(void *arg, const struct master_point *p)
{
	if (p->group == 30)
		*(double *)arg = p->obj.point.value;
	return 0;
}

/* Reads analog_input[index]; 0 with *v, or -1. */
static int
read_analog(struct reader *r, uint32_t index, double *v)
{
	uint8_t req[MASTER_REQ_MAX], out[512];
	struct master_chan_event ev;
	struct master_response rsp;
	int n;

	r->seq = (r->seq + 1) & DNP3_AC_SEQ_MASK;
	if ((n = master_req_read(req, sizeof(req), r->seq, 30, 0, true,
	    index, index)) < 0 || (n = master_chan_frames(&r->chan, req,
	    (size_t)n, out, sizeof(out))) < 0 ||
	    send(r->fd, out, (size_t)n, MSG_NOSIGNAL) != n)
		return -1;
	for (int reads = 0; reads < 64; reads++) {
		ssize_t got = recv(r->fd, r->in, sizeof(r->in), 0);
		size_t off = 0, used;

		if (got <= 0)
			return -1;
		for (int k = 0; k < 64 && off < (size_t)got; k++) {
			enum master_chan_ev e = master_chan_feed(&r->chan,
			    r->in + off, (size_t)got - off, &used, &ev);
			off += used;
			if (e == MASTER_CHAN_ERROR)
				return -1;
			if (e != MASTER_CHAN_FRAGMENT ||
			    master_response_parse(ev.frag, ev.len, &rsp) != 0 ||
			    rsp.uns)
				continue;
			if (master_response_points(&rsp, last_value, v) < 0)
				return -1;
			return 0;
		}
	}
	return -1;
}

/* Until analog_input[batch-1] shows m (bounded by 2 s). */
static int
wait_visible(const struct opts *o, struct reader *r, uint32_t m)
{
	uint64_t until = bench_now_ns() + 2000000000ull;
	double v = -1;

	while (bench_now_ns() < until) {
		if (read_analog(r, o->batch - 1, &v) == -1)
			return -1;
		if (v == (double)m)
			return 0;
	}
	log_warnx("message %u not visible after 2 s (last value %.0f)", m, v);
	return -1;
}

static int
reader_open(const struct opts *o, struct reader *r)
{
	struct timeval tv = { .tv_sec = 2 };

	memset(r, 0, sizeof(*r));
	if (master_chan_init(&r->chan, 1, 10, r->rxbuf, sizeof(r->rxbuf)) ==
	    -1 || (r->fd = bench_connect(&o->dst, o->dlen, &o->src, false)) ==
	    -1)
		return -1;
	setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

static int
bus_socket(const char *url, bool bind)
{
	int s = nn_socket(AF_SP, NN_BUS);

	if (s < 0 || (bind ? nn_bind(s, url) : nn_connect(s, url)) < 0)
		fatalx("%s: %s", url, nn_strerror(nn_errno()));
	return s;
}

/* The way in: the bus socket, or the MQTT client (-m). */
struct sender {
	int	 s;
	struct bench_mqtt *mq;
	char	 topic[128];
};

static void
sender_open(const struct opts *o, struct sender *snd)
{
	memset(snd, 0, sizeof(*snd));
	if (o->mqtt == NULL) {
		snd->s = bus_socket(o->url, false);
		usleep(300000);	/* nanomsg connects in the background */
		return;
	}
	snprintf(snd->topic, sizeof(snd->topic), "%s/%s/update", o->prefix,
	    o->name);
	snd->mq = bench_mqtt_open(o->mqtt);
}

static void
sender_send(struct sender *snd, const char *buf, size_t len)
{
	if (snd->mq != NULL)
		bench_mqtt_publish(snd->mq, snd->topic, buf, len);
	else if (nn_send(snd->s, buf, len, 0) != (int)len)
		fatalx("nn_send: %s", nn_strerror(nn_errno()));
}

static void
sender_close(struct sender *snd)
{
	if (snd->mq != NULL)
		bench_mqtt_close(snd->mq);
	else
		nn_close(snd->s);
}

/* Through dnp3d: publish, then poll until visible, window by window. */
static uint32_t
run_dnp3d(const struct opts *o, char *buf)
{
	struct sender snd;
	struct reader r;
	uint32_t m = 0;

	if (reader_open(o, &r) == -1)
		fatal("connect to the outstation");
	sender_open(o, &snd);
	t_start = bench_now_ns();
	while (m * o->batch < o->n && bench_now_ns() < o->deadline) {
		for (uint32_t w = 0; w < o->window; w++) {
			size_t len = message(o, ++m, buf);
			sender_send(&snd, buf, len);
		}
		if (wait_visible(o, &r, m) == -1)
			exit(1);
	}
	sender_close(&snd);
	close(r.fd);
	return m;
}

/* Baseline: the same messages over one in-process bus hop. */
static uint32_t
run_baseline(const struct opts *o, char *buf)
{
	char url[64];
	uint32_t m = 0;
	int a, b, tmo = 2000;

	snprintf(url, sizeof(url), "ipc:///tmp/bench-bus.%d.ipc", (int)getpid());
	a = bus_socket(url, true);
	b = bus_socket(url, false);
	nn_setsockopt(b, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo, sizeof(tmo));
	usleep(300000);
	t_start = bench_now_ns();
	while (m * o->batch < o->n && bench_now_ns() < o->deadline) {
		for (uint32_t w = 0; w < o->window; w++) {
			size_t len = message(o, ++m, buf);
			if (nn_send(a, buf, len, 0) != (int)len)
				fatalx("nn_send: %s", nn_strerror(nn_errno()));
		}
		for (uint32_t w = 0; w < o->window; w++) {
			void *msg = NULL;
			if (nn_recv(b, &msg, NN_MSG, 0) < 0)
				fatalx("baseline lost a message: %s",
				    nn_strerror(nn_errno()));
			nn_freemsg(msg);
		}
	}
	nn_close(b);
	nn_close(a);
	unlink(url + 6);
	return m;
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prefix", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	double secs = 30;
	int ch;

	*o = (struct opts){ .n = 100000, .batch = 100, .window = 10,
	    .name = "bench", .prefix = "dnp3d" };
	while ((ch = getopt_long(argc, argv, "u:m:o:t:b:n:k:W:T:B", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'u': o->url = optarg; break;
		case 'm': o->mqtt = optarg; break;
		case 'P': o->prefix = optarg; break;
		case 'o': o->name = optarg; break;
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
			break;
		}
		case 'n': o->n = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'k': o->batch = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'W': o->window = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'T': secs = strtod(optarg, NULL); break;
		case 'B': o->baseline = true; break;
		default: usage();
		}
	}
	if (optind != argc || o->batch == 0 || o->batch > 1024 ||
	    o->window == 0 || o->window > 1000 || o->n == 0 || secs <= 0 ||
	    secs > 600 || (!o->baseline && ((o->url == NULL) ==
	    (o->mqtt == NULL) || o->dlen == 0 ||
	    o->src.ss_family == 0)) || strlen(o->name) > 32 ||
	    strlen(o->prefix) > 64)
		usage();
	o->deadline = bench_now_ns() + (uint64_t)(secs * 1e9);
}

int
main(int argc, char **argv)
{
	static char buf[MSG_MAX];
	struct opts o;
	uint64_t ns;
	uint32_t msgs;

	log_init("bench-bus", 0);
	parse_args(&o, argc, argv);
	msgs = o.baseline ? run_baseline(&o, buf) : run_dnp3d(&o, buf);
	ns = bench_now_ns() - t_start;
	printf("updates=%llu msgs=%u batch=%u msg_bytes=%zu secs=%.3f "
	    "rate=%.1f\n", (unsigned long long)msgs * o.batch, msgs, o.batch,
	    message(&o, msgs, buf), (double)ns / 1e9,
	    (double)msgs * o.batch / ((double)ns / 1e9));
	return 0;
}
