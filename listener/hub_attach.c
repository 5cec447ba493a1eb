/*
 * One bus socketpair per worker and hub: the worker gets one end on its
 * channel (CHAN_BUS), the hub the other tagged with the outstation's
 * index (CHAN_HUB_WORKER). A worker that restarts, or a hub that
 * restarts, makes the pair stale (pid or generation changed), and the
 * next round gives it a new one. Nothing here blocks: a full worker
 * channel is retried later, a full hub channel when it has room.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "common/log.h"
#include "ipc/channel.h"
#include "ipc/hubmsg.h"
#include "listener/hub.h"

struct link {
	pid_t		 pid;		/* the worker the pair was made for */
	uint32_t	 gen;		/* and the hub */
	int		 hubend;	/* still to send to the hub, or -1 */
	uint64_t	 retry_at;	/* worker channel was full */
};

static struct link *links;
static size_t nlinks;

int
hub_attach_init(size_t count)
{
	for (size_t i = 0; i < nlinks; i++)
		if (links[i].hubend >= 0)
			close(links[i].hubend);
	free(links);
	if ((links = calloc(count ? count : 1, sizeof(*links))) == NULL) {
		log_error("%s: calloc", __func__);
		return -1;
	}
	nlinks = count;
	for (size_t i = 0; i < count; i++)
		links[i].hubend = -1;
	return 0;
}

static bool
current(const struct link *l, const struct wproc *w, uint32_t gen)
{
	return l->pid == w->pid && l->gen == gen;
}

/* A new pair: the worker's end goes out now. 0, or -1 (try later). */
static int
pair_for(struct link *l, const struct wproc *w, uint32_t gen, uint64_t now)
{
	int sv[2];

	if (l->hubend >= 0)
		close(l->hubend);
	l->hubend = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("%s: socketpair", __func__);
		l->retry_at = now + HUB_ATTACH_RETRY_MS;
		return -1;
	}
	if (chan_send_fd(w->chan, CHAN_BUS, NULL, 0, sv[1]) == -1) {
		if (errno != EAGAIN)
			log_warn("worker %s: bus socket", w->cfg->name);
		close(sv[0]);
		close(sv[1]);
		l->retry_at = now + HUB_ATTACH_RETRY_MS;
		return -1;
	}
	close(sv[1]);
	l->pid = w->pid;
	l->gen = gen;
	l->hubend = sv[0];
	return 0;
}

int
hub_attach_all(struct supervisor *sup, int hubchan, uint32_t gen,
    uint64_t now)
{
	uint8_t idx[HUB_WORKER_LEN];

	for (size_t i = 0; i < sup->count && i < nlinks; i++) {
		struct wproc *w = &sup->w[i];
		struct link *l = &links[i];

		if (w->chan < 0 || w->pid <= 0 ||
		    (current(l, w, gen) && l->hubend < 0))
			continue;
		if (!current(l, w, gen) && (now < l->retry_at ||
		    pair_for(l, w, gen, now) == -1))
			continue;
		put_le32(idx, (uint32_t)i);
		if (chan_send_fd(hubchan, CHAN_HUB_WORKER, idx, sizeof(idx),
		    l->hubend) == -1) {
			if (errno == EAGAIN)
				return -1;
			log_warn("hub: bus socket of %s", w->cfg->name);
			return 0;
		}
		close(l->hubend);
		l->hubend = -1;
	}
	return 0;
}

int
hub_attach_timeout(const struct supervisor *sup, uint32_t gen, uint64_t now)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < sup->count && i < nlinks; i++)
		if (sup->w[i].chan >= 0 && sup->w[i].pid > 0 &&
		    !current(&links[i], &sup->w[i], gen) &&
		    links[i].retry_at < best)
			best = links[i].retry_at;
	if (best == UINT64_MAX)
		return -1;
	return best <= now ? 0 : (int)(best - now);
}
