#ifndef DNP3D_BENCH_H
#define DNP3D_BENCH_H

/*
 * Helpers shared by the load generators in bench/: clocks, latency
 * percentiles, loopback addresses and sockets. Benchmarks only ever talk
 * to 127.0.0.0/8 or ::1; bench_addr() refuses anything else.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define BENCH_SHAPE_MAX	64	/* exchanges per operation */

/* One exchange of an operation: bytes sent, then bytes awaited. */
struct bench_step {
	uint32_t req;
	uint32_t rsp;
};

struct bench_shape {
	struct bench_step step[BENCH_SHAPE_MAX];
	size_t n;
};

uint64_t bench_now_ns(void);

/* "HOST:PORT" with HOST 127.x.y.z or [::1]. 0, or -1 with a message. */
int	bench_addr(const char *text, struct sockaddr_storage *ss,
	    socklen_t *len);
/* The source address number i after base (IPv4: base + i; must stay in
   127/8). 0 or -1. */
int	bench_source(const struct sockaddr_storage *base, uint32_t i,
	    struct sockaddr_storage *out);
/* ss's port + i, in place (IPv4 or IPv6). 0, or -1 past 65535. */
int	bench_port_add(struct sockaddr_storage *ss, uint32_t i);
const char *bench_ntop(const struct sockaddr_storage *ss, char *buf,
	    size_t len);

/*
 * A TCP socket bound to src (NULL: any loopback source), connected to
 * dst with TCP_NODELAY, blocking unless nonblock. -1 (errno) on failure.
 */
int	bench_connect(const struct sockaddr_storage *dst, socklen_t dlen,
	    const struct sockaddr_storage *src, bool nonblock);

/* "23:1500,15:0": 0, or -1 with a message. */
int	bench_shape_parse(const char *text, struct bench_shape *s);
/* The same text back (buf of len bytes). */
void	bench_shape_format(const struct bench_shape *s, char *buf, size_t len);

/* Latency samples in ns; sorted in place by bench_pct. */
struct bench_lat {
	uint64_t *v;
	size_t n, cap;
};

void	bench_lat_init(struct bench_lat *l, size_t cap);	/* fatal */
void	bench_lat_add(struct bench_lat *l, uint64_t ns);	/* drops past cap */
/* p in 0..100 (100 = max) in µs; 0 if there are no samples. */
double	bench_pct(struct bench_lat *l, double p);
void	bench_lat_free(struct bench_lat *l);

#endif
