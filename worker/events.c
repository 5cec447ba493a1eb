/*
 * Hook points of the worker: what happened to the master connection.
 * For now they log; the bus client (bus/client.h) will publish them.
 */
#include <inttypes.h>

#include "common/log.h"
#include "worker/worker.h"

const char *
worker_disc_name(enum worker_disc why)
{
	switch (why) {
	case WDISC_REPLACED:
		return "replaced";
	case WDISC_PEER_CLOSED:
		return "closed by peer";
	case WDISC_LINK_ERROR:
		return "link error";
	case WDISC_KEEP_ALIVE:
		return "keep-alive timeout";
	case WDISC_SHUTDOWN:
		return "shutdown";
	case WDISC_IO_ERROR:
		return "socket error";
	}
	return "unknown";
}

void
worker_event_connected(struct worker *w)
{
	log_info("connected %s on %s", w->conn.peer, w->cfg.endpoint);
}

void
worker_event_disconnected(struct worker *w, enum worker_disc why)
{
	log_info("disconnected (%s) %s", worker_disc_name(why), w->conn.peer);
}

void
worker_event_link_error(struct worker *w, enum link_err err, bool closed)
{
	const struct link_parser_stats *st = &w->conn.parser.stats;

	if (closed)
		log_warnx("link error from %s: %s, closing", w->conn.peer,
		    link_err_str(err));
	else
		log_debug("link error from %s: %s, discarded (%" PRIu64
		    " bytes dropped, %" PRIu64 " good frames so far)",
		    w->conn.peer, link_err_str(err), st->discarded, st->frames);
}

/*
 * User data the link layer delivered. The transport and application
 * layers take it from here in a later step; until then it is counted.
 */
void
worker_user_data(struct worker *w, const struct link_rx *rx)
{
	w->conn.user_data++;
	log_debug("user data: %zu bytes from %u%s (%" PRIu64 " so far)",
	    rx->len, (unsigned)rx->src, rx->broadcast ? " (broadcast)" : "",
	    w->conn.user_data);
}
