/*
 * Connections of link_address servers waiting for the classifier's
 * answer (see classify.h). The listener holds their sockets meanwhile;
 * it never reads them.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/classify.h"
#include "listener/filter.h"
#include "listener/proc.h"

struct wait {
	uint32_t	 id;		/* 0: free */
	int		 fd;
	uint32_t	 server;
	uint32_t	 timeout_ms;
	char		 endpoint[CFG_ENDPOINT_MAX];
	struct handoff	 h;
	struct sockaddr_storage ss;
	uint64_t	 deadline;	/* then "no answer" */
};

static struct wait waits[CLASSIFY_WAIT_MAX];
static size_t nwaits;
static uint32_t next_id;

static struct wait *
find(uint32_t id)
{
	for (size_t i = 0; id != 0 && i < CLASSIFY_WAIT_MAX; i++)
		if (waits[i].id == id)
			return &waits[i];
	return NULL;
}

size_t
classify_wait_count(void)
{
	return nwaits;
}

int
classify_wait_add(const struct listen_sock *ls, int fd,
    const struct handoff *h, const struct sockaddr_storage *ss,
    uint32_t timeout_ms, uint64_t now, uint32_t *id)
{
	struct wait *w = NULL;

	for (size_t i = 0; w == NULL && i < CLASSIFY_WAIT_MAX; i++)
		if (waits[i].id == 0)
			w = &waits[i];
	if (w == NULL)
		return -1;
	if (++next_id == 0)
		next_id = 1;
	*w = (struct wait){ .id = next_id, .fd = fd, .server = ls->server,
	    .timeout_ms = timeout_ms, .h = *h, .ss = *ss,
	    .deadline = now + timeout_ms + CLASSIFY_GRACE_MS };
	snprintf(w->endpoint, sizeof(w->endpoint), "%s", ls->name);
	nwaits++;
	*id = w->id;
	return 0;
}

/* Forgets w; closes the listener's copy of its socket. */
static void
release(struct wait *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->id = 0;
	w->fd = -1;
	nwaits--;
}

/* Shut down, not only closed: a copy the classifier kept (it may be
   compromised, or killed mid-way) must not hold the connection open. */
static void
reject(struct wait *w, const char *why)
{
	char peer[HANDOFF_ADDRSTR_MAX];

	handoff_addrstr(&w->h, peer, sizeof(peer));
	proc_event_rejected(peer, w->endpoint, why);
	shutdown(w->fd, SHUT_RDWR);
	release(w);
}

void
classify_wait_drop(uint32_t id)
{
	struct wait *w = find(id);

	if (w != NULL) {
		w->fd = -1;	/* the caller's to close */
		w->id = 0;
		nwaits--;
	}
}

/* ROUTE: the outstation of that address whose filter has the master. */
static void
route(const struct dnp3d_config *cfg, struct supervisor *sup,
    struct wait *w, uint16_t address)
{
	char peer[HANDOFF_ADDRSTR_MAX], why[96];
	int oi = -1;

	/* A reload may have changed the servers meanwhile. */
	if (w->server < cfg->server_count &&
	    strcmp(cfg->servers[w->server].listen, w->endpoint) == 0)
		oi = filter_route_link(cfg, w->server,
		    (const struct sockaddr *)&w->ss, address);
	if (oi < 0 || (size_t)oi >= sup->count) {
		snprintf(why, sizeof(why), "no outstation with link address "
		    "%u for this master", (unsigned)address);
		reject(w, why);
		return;
	}
	handoff_addrstr(&w->h, peer, sizeof(peer));
	if (server_hand_off(w->endpoint, sup, oi, &w->h, w->fd, peer) ==
	    HAND_OFF_KEPT)
		w->fd = -1;	/* the worker's ledger keeps it */
	release(w);
}

int
classify_wait_answer(const struct dnp3d_config *cfg, struct supervisor *sup,
    const struct classify_answer *a)
{
	struct wait *w = find(a->id);
	char why[96];

	if (w == NULL)
		return -1;
	switch (a->verdict) {
	case CLASSIFY_ROUTE:
		route(cfg, sup, w, a->address);
		return 0;
	case CLASSIFY_TIMEOUT:
		snprintf(why, sizeof(why), "no link frame within %u ms",
		    (unsigned)w->timeout_ms);
		break;
	case CLASSIFY_BROADCAST:
		snprintf(why, sizeof(why), "first frame to broadcast address "
		    "%u", (unsigned)a->address);
		break;
	default:
		snprintf(why, sizeof(why), "%s",
		    classify_verdict_str(a->verdict));
	}
	reject(w, why);
	return 0;
}

void
classify_wait_reject_all(const char *why)
{
	for (size_t i = 0; nwaits > 0 && i < CLASSIFY_WAIT_MAX; i++)
		if (waits[i].id != 0)
			reject(&waits[i], why);
}

void
classify_wait_tick(uint64_t now)
{
	for (size_t i = 0; nwaits > 0 && i < CLASSIFY_WAIT_MAX; i++)
		if (waits[i].id != 0 && now >= waits[i].deadline)
			reject(&waits[i], "no answer from the link address "
			    "classifier");
}

int
classify_wait_timeout(uint64_t now)
{
	uint64_t at = UINT64_MAX;

	for (size_t i = 0; nwaits > 0 && i < CLASSIFY_WAIT_MAX; i++)
		if (waits[i].id != 0 && waits[i].deadline < at)
			at = waits[i].deadline;
	return at == UINT64_MAX ? -1 : at <= now ? 0 : (int)(at - now);
}
