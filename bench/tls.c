/*
 * bench-tls: hand-off latency over TLS or plain TCP, with the same client
 * code on both sides of the ratio. Each cycle connects, runs the TLS
 * handshake (with -c CA -C CERT -K KEY: mutual authentication as a
 * master), sends a request link status and waits for the answer; the
 * latency is connect() to the first answer byte, handshake included. The
 * previous connection stays open until the new one has answered, so
 * dnp3d replaces it (one master per outstation).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "bench/bench.h"
#include "common/log.h"
#include "dnp3/link/link.h"

struct conn {
	int	 fd;
	SSL	*ssl;		/* NULL: plain TCP */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench-tls -t HOST:PORT [-n N] [-T SECS] "
	    "[-c CA -C CERT -K KEY]\n");
	exit(2);
}

static SSL_CTX *
client_ctx(const char *ca, const char *cert, const char *key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL || SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1 ||
	    SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		fatalx("tls: cannot load %s, %s, %s", ca, cert, key);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	return ctx;
}

/* Without close_notify and with a reset: no TIME_WAIT (as bench-connect). */
static void
drop(struct conn *c)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (c->fd < 0)
		return;
	SSL_free(c->ssl);
	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c->fd);
	c->fd = -1;
	c->ssl = NULL;
}

static int
xfer(struct conn *c, uint8_t *b, size_t len, bool out)
{
	if (c->ssl != NULL)
		return out ? SSL_write(c->ssl, b, (int)len) :
		    SSL_read(c->ssl, b, (int)len);
	return (int)(out ? send(c->fd, b, len, MSG_NOSIGNAL) :
	    recv(c->fd, b, len, 0));
}

/* One cycle into c; 0, or -1 with c dropped. */
static int
cycle(const struct sockaddr_storage *dst, socklen_t dlen, SSL_CTX *ctx,
    const uint8_t *req, struct conn *c, struct bench_lat *lat)
{
	struct timeval tv = { .tv_sec = 2 };
	uint8_t ans[LINK_HEADER_LEN], out[LINK_HEADER_LEN];
	uint64_t t0 = bench_now_ns(), t1 = 0;
	size_t got = 0;
	int n;

	memcpy(out, req, sizeof(out));
	*c = (struct conn){ .fd = bench_connect(dst, dlen, NULL, false) };
	if (c->fd == -1)
		return -1;
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (ctx != NULL && ((c->ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1 || SSL_connect(c->ssl) != 1))
		goto bad;
	if (xfer(c, out, sizeof(out), true) != (int)sizeof(out))
		goto bad;
	for (int i = 0; got < sizeof(ans) && i < 16; i++) {
		if ((n = xfer(c, ans + got, sizeof(ans) - got, false)) <= 0)
			goto bad;
		if (got == 0)
			t1 = bench_now_ns();
		got += (size_t)n;
	}
	if (got != sizeof(ans) || ans[0] != 0x05 || ans[1] != 0x64)
		goto bad;
	bench_lat_add(lat, t1 - t0);
	return 0;
bad:
	ERR_clear_error();
	drop(c);
	return -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage dst;
	socklen_t dlen = 0;
	const char *ca = NULL, *cert = NULL, *key = NULL;
	struct link_station st;
	struct bench_lat lat;
	struct conn prev = { .fd = -1 }, c;
	uint8_t req[LINK_HEADER_LEN];
	uint32_t n = 1000, i, fails = 0;
	uint64_t t0, ns, deadline;
	double secs = 60;
	SSL_CTX *ctx = NULL;
	int ch;

	log_init("bench-tls", 0);
	while ((ch = getopt(argc, argv, "t:n:T:c:C:K:")) != -1) {
		switch (ch) {
		case 't':
			if (bench_addr(optarg, &dst, &dlen) == -1)
				exit(2);
			break;
		case 'n': n = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'T': secs = strtod(optarg, NULL); break;
		case 'c': ca = optarg; break;
		case 'C': cert = optarg; break;
		case 'K': key = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || dlen == 0 || n == 0 || n > 1000000 ||
	    secs <= 0 || secs > 3600 || (ca != NULL) != (cert != NULL) ||
	    (cert != NULL) != (key != NULL))
		usage();
	if (ca != NULL)
		ctx = client_ctx(ca, cert, key);
	link_station_init(&st, 1, 10, true, false);
	if (link_station_encode_primary(&st, LINK_PRI_REQUEST_LINK_STATUS, req,
	    sizeof(req)) != LINK_HEADER_LEN)
		fatalx("cannot encode the request");
	bench_lat_init(&lat, n);
	t0 = bench_now_ns();
	deadline = t0 + (uint64_t)(secs * 1e9);
	for (i = 0; i < n && bench_now_ns() < deadline && fails < 100; i++) {
		if (cycle(&dst, dlen, ctx, req, &c, &lat) == -1) {
			fails++;
			continue;
		}
		drop(&prev);
		prev = c;
	}
	ns = bench_now_ns() - t0;
	drop(&prev);
	printf("cycles=%zu fail=%u secs=%.3f rate=%.1f p50_us=%.1f "
	    "p99_us=%.1f max_us=%.1f tls=%s\n", lat.n, fails, (double)ns / 1e9,
	    (double)lat.n / ((double)ns / 1e9), bench_pct(&lat, 50),
	    bench_pct(&lat, 99), bench_pct(&lat, 100), ctx ? "yes" : "no");
	i = fails > 0 || lat.n == 0;
	bench_lat_free(&lat);
	SSL_CTX_free(ctx);
	return (int)i;
}
