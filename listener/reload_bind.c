/*
 * The endpoints of a new configuration: a socket that stays (same text,
 * same address) is taken over as it is, with its queue of connections;
 * every other one is bound now, before anything else changes, so that a
 * failure leaves the old set as it was.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/reload.h"

/* The old socket of sc, taken (its fd becomes -1 in old), or -1. */
static int
take(const struct server_config *sc, const struct dnp3d_config *o,
    struct listen_sock *old, uint32_t nold)
{
	for (uint32_t j = 0; j < nold; j++) {
		const struct server_config *oc = &o->servers[old[j].server];
		int fd = old[j].fd;
		if (fd < 0 || strcmp(oc->listen, sc->listen) != 0 ||
		    oc->addrlen != sc->addrlen ||
		    memcmp(&oc->addr, &sc->addr, sc->addrlen) != 0)
			continue;
		old[j].fd = -1;
		return fd;
	}
	return -1;
}

/* Undoes a failed attempt: taken sockets go back, new ones close. */
static void
undo(struct listen_sock *ls, uint32_t n, const bool *fresh,
    struct listen_sock *old, uint32_t nold)
{
	for (uint32_t i = 0; i < n; i++) {
		if (fresh[i]) {
			close(ls[i].fd);
			continue;
		}
		for (uint32_t j = 0; j < nold; j++)
			if (old[j].fd < 0 && strcmp(old[j].name,
			    ls[i].name) == 0) {
				old[j].fd = ls[i].fd;
				break;
			}
	}
}

int
reload_bind(const struct dnp3d_config *o, const struct dnp3d_config *n,
    struct listen_sock *old, uint32_t nold, struct listen_sock *ls,
    char *err, size_t len)
{
	bool fresh[CFG_SERVERS_MAX];
	char why[128];

	for (uint32_t i = 0; i < n->server_count; i++) {
		const struct server_config *sc = &n->servers[i];
		ls[i] = (struct listen_sock){ .fd = take(sc, o, old, nold),
		    .server = i, .name = sc->listen };
		if ((fresh[i] = ls[i].fd < 0))
			ls[i].fd = server_listen(sc, why, sizeof(why));
		if (ls[i].fd >= 0) {
			if (fresh[i])
				log_info("listening on %s", sc->listen);
			continue;
		}
		snprintf(err, len, "%s: cannot listen on %s: %s", n->file,
		    sc->listen, why);
		undo(ls, i, fresh, old, nold);
		return -1;
	}
	return 0;
}
