/*
 * bench/util.c: clocks, loopback addresses, sockets, exchange shapes and
 * latency percentiles for the load generators.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "common/log.h"

uint64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool
is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)ss;
		return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;
		return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	}
	return false;
}

int
bench_addr(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	long port = 0;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	if (colon == NULL || (hl = (size_t)(colon - text)) >= sizeof(host)) {
		log_warnx("%s: expected HOST:PORT", text);
		return -1;
	}
	memcpy(host, text, hl);
	host[hl] = '\0';
	port = strtol(colon + 1, NULL, 10);
	if (port < 0 || port > 65535) {
		log_warnx("%s: bad port", text);
		return -1;
	}
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (void *)ss;
		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			goto bad;
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (void *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		*len = sizeof(*a);
	}
	if (!is_loopback(ss)) {
		log_warnx("%s: benchmarks only use 127.0.0.0/8 and ::1", text);
		return -1;
	}
	return 0;
bad:
	log_warnx("%s: not a numeric address", text);
	return -1;
}

int
bench_source(const struct sockaddr_storage *base, uint32_t i,
    struct sockaddr_storage *out)
{
	*out = *base;
	if (base->ss_family == AF_INET) {
		struct sockaddr_in *a = (void *)out;
		uint32_t h = ntohl(a->sin_addr.s_addr) + i;
		a->sin_addr.s_addr = htonl(h);
		a->sin_port = 0;
	} else {
		struct sockaddr_in6 *a = (void *)out;
		if (i != 0)
			return -1;	/* ::1 is the only v6 loopback */
		a->sin6_port = 0;
	}
	return is_loopback(out) ? 0 : -1;
}

int
bench_port_add(struct sockaddr_storage *ss, uint32_t i)
{
	in_port_t *p = ss->ss_family == AF_INET ?
	    &((struct sockaddr_in *)(void *)ss)->sin_port :
	    &((struct sockaddr_in6 *)(void *)ss)->sin6_port;
	uint32_t port = (uint32_t)ntohs(*p) + i;

	if (port > 65535)
		return -1;
	*p = htons((uint16_t)port);
	return 0;
}

const char *
bench_ntop(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)(const void *)ss)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr;

	if (inet_ntop(ss->ss_family, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

int
bench_connect(const struct sockaddr_storage *dst, socklen_t dlen,
    const struct sockaddr_storage *src, bool nonblock)
{
	int fd, one = 1, e;

	fd = socket(dst->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (src != NULL) {
		setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one,
		    sizeof(one));
		if (bind(fd, (const struct sockaddr *)src, dlen) == -1)
			goto fail;
	}
	if (nonblock && fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	if (connect(fd, (const struct sockaddr *)dst, dlen) == -1 &&
	    !(nonblock && errno == EINPROGRESS))
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int
bench_shape_parse(const char *text, struct bench_shape *s)
{
	const char *p = text;
	char *end;

	s->n = 0;
	while (*p != '\0') {
		unsigned long req, rsp;

		if (s->n == BENCH_SHAPE_MAX)
			goto bad;
		req = strtoul(p, &end, 10);
		if (end == p || *end != ':')
			goto bad;
		p = end + 1;
		rsp = strtoul(p, &end, 10);
		if (end == p || (*end != ',' && *end != '\0'))
			goto bad;
		if (req == 0 || req > 65536 || rsp > 1u << 20)
			goto bad;
		s->step[s->n++] = (struct bench_step){ (uint32_t)req,
		    (uint32_t)rsp };
		p = *end == ',' ? end + 1 : end;
	}
	if (s->n > 0)
		return 0;
bad:
	log_warnx("%s: shape must be REQ:RSP[,REQ:RSP...] (at most %d, "
	    "REQ 1..65536)", text, BENCH_SHAPE_MAX);
	return -1;
}

void
bench_shape_format(const struct bench_shape *s, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%u:%u",
		    i ? "," : "", s->step[i].req, s->step[i].rsp);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

void
bench_lat_init(struct bench_lat *l, size_t cap)
{
	l->n = 0;
	l->cap = cap ? cap : 1;
	if ((l->v = calloc(l->cap, sizeof(*l->v))) == NULL)
		fatal("%s", __func__);
}

void
bench_lat_add(struct bench_lat *l, uint64_t ns)
{
	if (l->n < l->cap)
		l->v[l->n++] = ns;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

double
bench_pct(struct bench_lat *l, double p)
{
	size_t i;

	if (l->n == 0)
		return 0;
	qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
	i = (size_t)(p / 100.0 * (double)(l->n - 1) + 0.5);
	if (i >= l->n)
		i = l->n - 1;
	return (double)l->v[i] / 1000.0;
}

void
bench_lat_free(struct bench_lat *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
