/*
 * The listener's figures for the hub (see status.h). A record is sent
 * only when it differs from the one the hub has, so a quiet dnp3d sends
 * nothing, and a busy one at most one round every HUB_STATUS_MS.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipc/channel.h"
#include "listener/status.h"

struct hub_status_listener listener_figures;

static struct {
	struct hub_status_worker *sent;	/* what the hub has, by index */
	size_t		 count;
	struct hub_status_listener sent_figures;
	uint32_t	 gen;		/* of the hub that has them */
	uint64_t	 last_at;	/* monotonic ms of the last round */
	bool		 held;		/* a round is due at last_at + ... */
	int64_t		 wall_offset;	/* UTC ms minus monotonic ms */
} st;

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
listener_status_init(size_t count)
{
	struct hub_status_worker *p;

	if (st.wall_offset == 0) {
		st.wall_offset = (int64_t)wall_ms() -
		    (int64_t)supervise_now();
		listener_figures.started_ms = wall_ms();
	}
	if ((p = calloc(count ? count : 1, sizeof(*p))) == NULL)
		return -1;
	free(st.sent);
	st.sent = p;
	st.count = count;
	st.gen = 0;		/* everything again */
	return 0;
}

static uint32_t
state_of(const struct wproc *w)
{
	switch (w->state) {
	case WPROC_STARTING:
		return HUB_WORKER_STARTING;
	case WPROC_READY:
		return HUB_WORKER_RUNNING;
	case WPROC_DEAD:
	case WPROC_BACKOFF:
		return HUB_WORKER_RESTARTING;
	default:
		return HUB_WORKER_STOPPED;
	}
}

static void
fill(struct hub_status_worker *r, const struct wproc *w, uint32_t index)
{
	memset(r, 0, sizeof(*r));
	r->index = index;
	r->state = state_of(w);
	r->pid = w->pid > 0 ? (uint32_t)w->pid : 0;
	r->restarts = w->restarts;
	if (r->pid != 0)
		r->started_ms = (uint64_t)((int64_t)w->started_at +
		    st.wall_offset);
}

/* Everything that differs from what the hub has; a hub of a new
   generation gen has nothing yet. What did not fit the channel goes
   with the next round. */
static int
send_changes(const struct supervisor *s, int chan, uint32_t gen)
{
	struct hub_status_worker r;

	if (gen != st.gen) {
		/* No record matches these: all are sent. */
		memset(st.sent, 0xff, st.count * sizeof(*st.sent));
		memset(&st.sent_figures, 0xff, sizeof(st.sent_figures));
		st.gen = gen;
	}
	if (memcmp(&st.sent_figures, &listener_figures,
	    sizeof(listener_figures)) != 0) {
		if (chan_send(chan, CHAN_HUB_STATUS, &listener_figures,
		    sizeof(listener_figures)) == -1)
			return -1;
		st.sent_figures = listener_figures;
	}
	for (size_t i = 0; i < s->count && i < st.count; i++) {
		fill(&r, &s->w[i], (uint32_t)i);
		if (memcmp(&r, &st.sent[i], sizeof(r)) == 0)
			continue;
		if (chan_send(chan, CHAN_HUB_WSTATUS, &r, sizeof(r)) == -1)
			return -1;
		st.sent[i] = r;
	}
	return 0;
}

int
listener_status_send(const struct supervisor *s, int chan, uint32_t gen,
    uint64_t now)
{
	if (gen == st.gen && now < st.last_at + HUB_STATUS_MS) {
		st.held = true;
		return 0;
	}
	st.held = false;
	st.last_at = now;
	return send_changes(s, chan, gen);
}

int
listener_status_timeout(uint64_t now)
{
	if (!st.held)
		return -1;
	return now >= st.last_at + HUB_STATUS_MS ? 0 :
	    (int)(st.last_at + HUB_STATUS_MS - now);
}
