/*
 * Bind and listen (see server.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/server.h"

int
server_listen(const struct server_config *sc, char *err, size_t len)
{
	int fd, one = 1;
	const char *what;

	fd = socket(sc->addr.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(err, len, "socket: %s", strerror(errno));
		return -1;
	}
	what = "setsockopt SO_REUSEADDR";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		goto fail;
	/* [::] must not take the IPv4 port too: 0.0.0.0 may be configured
	 * beside it, and IPv4 peers then keep their IPv4 form. */
	what = "setsockopt IPV6_V6ONLY";
	if (sc->addr.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1)
		goto fail;
	/* Responses are small and latency matters more than packets; an
	 * accepted socket inherits it (no system call per connection). */
	what = "setsockopt TCP_NODELAY";
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		goto fail;
	if (bind(fd, (const struct sockaddr *)&sc->addr, sc->addrlen) == -1 ||
	    listen(fd, SERVER_BACKLOG) == -1) {
		snprintf(err, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
fail:
	snprintf(err, len, "%s: %s", what, strerror(errno));
	close(fd);
	return -1;
}

int
server_bind_all(const struct dnp3d_config *cfg, struct listen_sock *ls)
{
	char err[128];

	for (uint32_t i = 0; i < cfg->server_count; i++) {
		const struct server_config *sc = &cfg->servers[i];
		ls[i].server = i;
		ls[i].name = sc->listen;
		ls[i].fd = server_listen(sc, err, sizeof(err));
		if (ls[i].fd == -1) {
			log_errorx("cannot listen on %s: %s", sc->listen, err);
			server_close_all(ls, i);
			return -1;
		}
		log_info("listening on %s (%u outstation%s, link errors: %s)",
		    sc->listen, (unsigned)sc->count, sc->count == 1 ? "" : "s",
		    sc->link_error_mode == LINK_ERROR_CLOSE ?
		    "close" : "discard");
	}
	return 0;
}

void
server_close_all(struct listen_sock *ls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ls[i].fd >= 0)
			close(ls[i].fd);
		ls[i].fd = -1;
	}
}
