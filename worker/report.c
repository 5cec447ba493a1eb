/*
 * Reports of the worker: what happened to the master connection. Each is
 * logged and published on the bus (docs/EVENTS.md: connected,
 * disconnected, link_error) with outstation, endpoint and peer. ("Event"
 * is kept for DNP3 events and for bus messages.)
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "worker/hub_link.h"
#include "worker/tls.h"
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
	case WDISC_NOT_READING:
		return "master not reading";
	case WDISC_RECONFIGURED:
		return "reconfigured";
	case WDISC_REMOVED:
		return "removed";
	}
	return "unknown";
}

/* The bus names every reason the worker has. */
static enum bus_disconnect_reason
bus_reason(enum worker_disc why)
{
	switch (why) {
	case WDISC_REPLACED:
		return BUS_DISC_REPLACED;
	case WDISC_LINK_ERROR:
		return BUS_DISC_LINK_ERROR;
	case WDISC_NOT_READING:
		return BUS_DISC_NOT_READING;
	case WDISC_KEEP_ALIVE:
		return BUS_DISC_KEEP_ALIVE;
	case WDISC_SHUTDOWN:
		return BUS_DISC_SHUTDOWN;
	case WDISC_IO_ERROR:
		return BUS_DISC_SOCKET_ERROR;
	case WDISC_RECONFIGURED:
		return BUS_DISC_RECONFIGURED;
	case WDISC_REMOVED:
		return BUS_DISC_REMOVED;
	case WDISC_PEER_CLOSED:
	default:
		return BUS_DISC_PEER_CLOSED;
	}
}

/* An event about the current (or just closed) master connection. */
static void
conn_event(struct worker *w, struct bus_event *ev)
{
	ev->outstation = w->cfg.name;
	ev->endpoint = w->cfg.endpoint;
	ev->peer = w->conn.peer;
	worker_bus_emit(ev);
}

/*
 * A replacement: true when its log lines are to be left out (see
 * WORKER_REPLACE_BURST); counted for the next summary then.
 */
static bool
replace_quiet(struct worker *w, uint64_t now)
{
	struct worker_replace_log *r = &w->replace_log;

	if (!r->storm) {
		if (now - r->window_start >= WORKER_REPLACE_WINDOW_MS) {
			r->window_start = now;
			r->in_window = 0;
		}
		if (++r->in_window <= WORKER_REPLACE_BURST)
			return false;
		r->storm = true;
		timer_arm(&w->timers[WTIMER_REPLACE_LOG], now,
		    WORKER_REPLACE_WINDOW_MS);
	}
	r->suppressed++;
	return true;
}

void
worker_report_tick(struct worker *w, uint64_t now)
{
	struct worker_replace_log *r = &w->replace_log;

	if (!timer_expired(&w->timers[WTIMER_REPLACE_LOG], now))
		return;
	if (r->suppressed == 0) {
		/* A quiet second: back to one line per connection. */
		r->storm = false;
		r->window_start = now;
		r->in_window = 0;
		return;
	}
	log_info("%u more %s%s in the last second (masters "
	    "matching the same filter?); latest %s", r->suppressed,
	    w->cfg.accept == ACCEPT_KEEP ? "refusal" : "replacement",
	    r->suppressed == 1 ? "" : "s", w->conn.peer);
	r->suppressed = 0;
	timer_arm(&w->timers[WTIMER_REPLACE_LOG], now,
	    WORKER_REPLACE_WINDOW_MS);
}

void
worker_report_connected(struct worker *w)
{
	struct bus_event ev;

	if (!w->replace_log.quiet)
		log_info("connected %s on %s", w->conn.peer, w->cfg.endpoint);
	w->replace_log.quiet = false;
	w->stats.connected_ms = (uint64_t)bus_now_ms();
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_CONNECTED;
	/* The master certificate's subject, with TLS. */
	ev.u.connected.subject = w->tls != NULL && w->tls->subject[0] != '\0' ?
	    w->tls->subject : NULL;
	conn_event(w, &ev);
}

void
worker_report_disconnected(struct worker *w, enum worker_disc why)
{
	struct bus_event ev;

	w->replace_log.quiet = why == WDISC_REPLACED &&
	    replace_quiet(w, timer_now());
	if (!w->replace_log.quiet)
		log_info("disconnected (%s) %s", worker_disc_name(why),
		    w->conn.peer);
	w->stats.connected_ms = 0;
	if (why == WDISC_REPLACED)
		w->stats.replaced++;
	if (why == WDISC_KEEP_ALIVE || why == WDISC_IO_ERROR ||
	    why == WDISC_NOT_READING)
		worker_status_error(w, worker_disc_name(why));
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_DISCONNECTED;
	ev.u.disconnected.reason = bus_reason(why);
	conn_event(w, &ev);
}

/*
 * accept = "keep": a master closed at once because the one connected
 * stays. Logged like replacements (a storm gives way to a summary a
 * second); every one is a `rejected` event.
 */
void
worker_report_refused(struct worker *w, const struct handoff *h)
{
	struct bus_event ev;
	char peer[HANDOFF_ADDRSTR_MAX], reason[96];

	handoff_addrstr(h, peer, sizeof(peer));
	snprintf(reason, sizeof(reason), "outstation %s keeps its master",
	    w->cfg.name);
	if (!replace_quiet(w, timer_now()))
		log_info("refused %s: %s %s (accept = keep)", peer, reason,
		    w->conn.peer);
	w->stats.rejected++;
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_REJECTED;
	ev.outstation = w->cfg.name;
	ev.endpoint = w->cfg.endpoint;
	ev.peer = peer;
	ev.u.rejected.reason = reason;
	worker_bus_emit(&ev);
}

void
worker_report_link_error(struct worker *w, enum link_err err,
    uint64_t dropped, bool closed)
{
	const struct link_parser_stats *st = &w->session.parser.stats;
	struct bus_event ev;

	if (closed)
		log_warnx("link error from %s: %s, closing", w->conn.peer,
		    link_err_str(err));
	else
		log_debug("link error from %s: %s, discarded (%" PRIu64
		    " bytes dropped, %" PRIu64 " good frames so far)",
		    w->conn.peer, link_err_str(err), st->discarded, st->frames);
	w->stats.link_errors++;
	w->stats.last_error = link_err_str(err);
	w->stats.error_ms = (uint64_t)bus_now_ms();
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_LINK_ERROR;
	ev.u.link_error.what = link_err_str(err);
	ev.u.link_error.closed = closed;
	ev.u.link_error.discarded = dropped > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)dropped;
	conn_event(w, &ev);
}

void
worker_report_address(struct worker *w, const struct link_header *h,
    bool other_dest, size_t frame_size)
{
	struct bus_event ev;
	char what[96];

	if (w->conn.addr_reported)
		return;
	w->conn.addr_reported = true;
	if (other_dest)
		snprintf(what, sizeof(what), "frame for link address %u, this "
		    "outstation is %u", (unsigned)h->dest,
		    (unsigned)w->cfg.address);
	else
		snprintf(what, sizeof(what), "frame from link address %u, "
		    "expected master %u", (unsigned)h->src,
		    (unsigned)w->cfg.master);
	log_warnx("%s: %s (dropped; further ones not logged on this "
	    "connection)", w->conn.peer, what);
	worker_status_error(w, what);
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_LINK_ERROR;
	ev.u.link_error.what = what;
	ev.u.link_error.closed = 0;
	ev.u.link_error.discarded = (uint32_t)frame_size;
	conn_event(w, &ev);
}

/* User data the link layer delivered to the transport layer: counted. */
void
worker_report_user_data(struct worker *w, size_t len, uint16_t src, bool broadcast)
{
	w->conn.user_data++;
	log_debug("user data: %zu bytes from %u%s (%" PRIu64 " so far)",
	    len, (unsigned)src, broadcast ? " (broadcast)" : "",
	    w->conn.user_data);
}
