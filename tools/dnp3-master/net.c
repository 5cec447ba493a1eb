/*
 * The TCP connection of dnp3-master: HOST:PORT ("127.0.0.1:20000",
 * "[::1]:20000"), an optional local address to bind, a connect bounded by
 * the timeout, TCP_NODELAY (one write per request goes out at once), and
 * the clocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "dnp3master.h"

#define HOST_MAX	256

/* Split "host:port" or "[v6]:port". Returns 0 or -1. */
static int
split_target(const char *target, char *host, size_t cap, const char **port)
{
	const char *colon, *end;
	size_t len;

	if (target[0] == '[') {
		if ((end = strchr(target, ']')) == NULL || end[1] != ':')
			return -1;
		target++;
		colon = end + 1;
		len = (size_t)(end - target);
	} else {
		if ((colon = strrchr(target, ':')) == NULL)
			return -1;
		end = colon;
		len = (size_t)(colon - target);
	}
	if (len == 0 || len >= cap || colon[1] == '\0')
		return -1;
	memcpy(host, target, len);
	host[len] = '\0';
	*port = colon + 1;
	return 0;
}

static int
bind_local(int fd, int family, const char *bind_addr)
{
	struct addrinfo hints, *res;
	char host[HOST_MAX];
	size_t len = strlen(bind_addr);
	int e;

	/* "[v6]" is accepted as well as a bare address */
	if (bind_addr[0] == '[' && len > 2 && bind_addr[len - 1] == ']') {
		bind_addr++;
		len -= 2;
	}
	if (len >= sizeof(host)) {
		log_warnx("bind address too long");
		return -1;
	}
	memcpy(host, bind_addr, len);
	host[len] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if ((e = getaddrinfo(host, "0", &hints, &res)) != 0) {
		log_warnx("bind address %s: %s", host, gai_strerror(e));
		return -1;
	}
	e = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (e == -1) {
		log_warn("bind %s", host);
		return -1;
	}
	return 0;
}

/* connect(2) on a non-blocking socket, waiting at most timeout_ms. */
static int
connect_bounded(int fd, const struct addrinfo *ai, uint32_t timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	socklen_t sl = sizeof(int);
	int fl, err = 0, n;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			return -1;
		do {
			n = poll(&pfd, 1, (int)timeout_ms);
		} while (n == -1 && errno == EINTR);
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (n == -1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
		    &sl) == -1)
			return -1;
		if (err != 0) {
			errno = err;
			return -1;
		}
	}
	return fcntl(fd, F_SETFL, fl);	/* blocking again */
}

static void
set_options(int fd, uint32_t timeout_ms)
{
	struct timeval tv;
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		log_warn("TCP_NODELAY");
	/* a write never blocks longer than the request timeout */
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1)
		log_warn("SO_SNDTIMEO");
}

int
net_connect(const char *target, const char *bind_addr, uint32_t timeout_ms)
{
	struct addrinfo hints, *res;
	char host[HOST_MAX];
	const char *port;
	int fd, e;

	if (split_target(target, host, sizeof(host), &port) == -1) {
		log_warnx("%s: expected HOST:PORT or [V6]:PORT", target);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_warnx("%s: %s", target, gai_strerror(e));
		return -1;
	}
	fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("socket");
		freeaddrinfo(res);
		return -1;
	}
	if (bind_addr != NULL && bind_local(fd, res->ai_family,
	    bind_addr) == -1)
		goto fail;
	if (connect_bounded(fd, res, timeout_ms) == -1) {
		log_warn("connect to %s", target);
		goto fail;
	}
	freeaddrinfo(res);
	set_options(fd, timeout_ms);
	return fd;
fail:
	freeaddrinfo(res);
	close(fd);
	return -1;
}

uint64_t
now_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
now_mono_ms(void)
{
	return now_mono_us() / 1000;
}

uint64_t
now_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
