/*
 * A new multi-drop connection: its links to the outstations (one stream
 * socketpair each, one end handed to the worker like a master's socket),
 * then a relay of its own with the other ends and the master's socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/filter.h"
#include "listener/proc.h"
#include "listener/relay.h"

/* The relay's ends of the links handed to workers. */
struct links {
	int		 fd[RELAY_LINKS_MAX];
	uint16_t	 address[RELAY_LINKS_MAX];
	uint32_t	 oi[RELAY_LINKS_MAX];
	uint32_t	 count;
};

static void
close_links(struct links *k)
{
	for (uint32_t i = 0; i < k->count; i++)
		close(k->fd[i]);
	k->count = 0;
}

/* One link: a pair, one end handed to worker oi like a master's socket.
   The relay's end, or -1 (the refusal was reported). */
static int
link_one(const char *endpoint, size_t oi, const struct handoff *h,
    const char *peer)
{
	char why[96];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0,
	    sv) == -1) {
		snprintf(why, sizeof(why), "link to outstation %s: %s",
		    relays.cfg->outstations[oi].name, strerror(errno));
		proc_event_rejected(peer, endpoint, why);
		return -1;
	}
	/* never kept: a multi-drop link is made anew after a restart */
	if (server_hand_off(endpoint, relays.sup, (int)oi, h, sv[1], peer) ==
	    HAND_OFF_FAILED) {
		close(sv[0]);
		sv[0] = -1;
	}
	close(sv[1]);
	return sv[0];
}

/* Every outstation of the server whose filter has the master gets its
   link; those that cannot take it (not running) are left out. */
static void
open_links(const struct listen_sock *ls, const struct handoff *h,
    const struct sockaddr_storage *ss, const char *peer, struct links *k)
{
	const struct server_config *srv = &relays.cfg->servers[ls->server];
	int fd;

	k->count = 0;
	for (uint32_t i = srv->first; i < srv->first + srv->count &&
	    k->count < RELAY_LINKS_MAX && i < relays.sup->count; i++) {
		const struct outstation_config *oc = &relays.cfg->outstations[i];
		if (!filter_match(&oc->filter, (const struct sockaddr *)ss) ||
		    (fd = link_one(ls->name, i, h, peer)) == -1)
			continue;
		k->fd[k->count] = fd;
		k->address[k->count] = oc->address;
		k->oi[k->count++] = i;
	}
}

/* A closed link of r again, to the restarted worker oi. */
static void
relink(struct relay_proc *r, uint32_t i, size_t oi)
{
	uint8_t rec[RELAY_LINK_LEN];
	int fd;

	r->gone[i] = false;
	if ((fd = link_one(r->endpoint, oi, &r->h, r->peer)) == -1)
		return;
	relay_link_encode(rec, r->address[i]);
	if (chan_send_fd(r->chan, CHAN_RELAY_LINK, rec, sizeof(rec),
	    fd) == -1)
		log_warn("multi-drop relay (pid %d): link to %s", (int)r->pid,
		    r->name[i]);
	else
		log_info("%s on %s: outstation %s again on its multi-drop "
		    "relay (pid %d)", r->peer, r->endpoint, r->name[i],
		    (int)r->pid);
	close(fd);
}

/* After a reload too: still a multidrop outstation of that server whose
   filter has the master. */
static bool
still_for(const struct relay_proc *r, uint32_t i,
    const struct outstation_config *oc)
{
	return r->gone[i] && r->address[i] == oc->address &&
	    strcmp(r->name[i], oc->name) == 0 && oc->multidrop &&
	    strcmp(r->endpoint, oc->endpoint) == 0 &&
	    filter_match_addr(&oc->filter, r->h.addr);
}

void
relays_worker_ready(struct supervisor *sup, size_t oi)
{
	const struct outstation_config *oc = sup->w[oi].cfg;

	for (size_t j = 0; relays.count > 0 && j < RELAY_CONNS_MAX; j++) {
		struct relay_proc *r = &relays.r[j];
		for (uint32_t i = 0; r->pid > 0 && r->in >= 0 &&
		    i < r->links; i++)
			if (still_for(r, i, oc))
				relink(r, i, oi);
	}
}

/* A free slot, or NULL. */
static struct relay_proc *
slot(void)
{
	for (size_t i = 0; i < RELAY_CONNS_MAX; i++)
		if (relays.r[i].pid == 0)
			return &relays.r[i];
	return NULL;
}

static pid_t
spawn(int *chan, int *in)
{
	struct chan_pair p;
	pid_t pid;
	char *argv[] = { "dnp3d-relay", relays.verbose ? "-d" : NULL, NULL };

	if (relays_find_program() == -1 || chan_pair_open(&p) == -1)
		return -1;
	if ((pid = proc_spawn(relays.path, argv, p.worker_in, &p.worker_out,
	    1)) == -1) {
		chan_pair_close(&p);
		return -1;
	}
	close(p.worker_in);
	close(p.worker_out);
	*chan = p.to_worker;
	*in = p.from_worker;
	return pid;
}

/* Its configuration, the links, the master's socket: queued at once. */
static int
send_all(struct relay_proc *r, const struct links *k, int master)
{
	struct relay_config c;
	uint8_t rec[RELAY_LINK_LEN];

	memset(&c, 0, sizeof(c));
	snprintf(c.h.user, sizeof(c.h.user), "%s", relays.cfg->user);
	snprintf(c.h.runtime_dir, sizeof(c.h.runtime_dir), "%s",
	    relays.cfg->runtime_dir);
	c.links = k->count;
	if (chan_send(r->chan, CHAN_RELAY_CONFIG, &c, sizeof(c)) == -1)
		return -1;
	for (uint32_t i = 0; i < k->count; i++) {
		relay_link_encode(rec, k->address[i]);
		if (chan_send_fd(r->chan, CHAN_RELAY_LINK, rec, sizeof(rec),
		    k->fd[i]) == -1)
			return -1;
	}
	return chan_send_fd(r->chan, CHAN_RELAY_MASTER, NULL, 0, master);
}

/* Fills r for the relay of pid: what it was given, its news watched. */
static int
keep(struct relay_proc *r, const struct listen_sock *ls,
    const struct handoff *h, const char *peer, const struct links *k)
{
	struct epoll_event ev = { .events = EPOLLIN,
	    .data.u32 = (uint32_t)(r - relays.r) };

	r->started_at = supervise_now();
	r->h = *h;
	snprintf(r->peer, sizeof(r->peer), "%s", peer);
	snprintf(r->endpoint, sizeof(r->endpoint), "%s", ls->name);
	r->links = k->count;
	for (uint32_t i = 0; i < k->count; i++) {
		r->address[i] = k->address[i];
		snprintf(r->name[i], sizeof(r->name[i]), "%s",
		    relays.cfg->outstations[k->oi[i]].name);
	}
	relays.count++;
	/* A relay that stops reading its channel cannot block the
	   listener: a record that does not fit fails. */
	if (fcntl(r->in, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(r->chan, F_SETFL, O_NONBLOCK) == -1 ||
	    epoll_ctl(relays.epfd, EPOLL_CTL_ADD, r->in, &ev) == -1)
		return -1;
	return 0;
}

void
relays_submit(const struct listen_sock *ls, int fd, const struct handoff *h,
    const struct sockaddr_storage *ss, const char *peer)
{
	struct relay_proc *r = slot();
	struct links k;
	char why[96];

	if (r == NULL) {
		snprintf(why, sizeof(why), "%d multi-drop connections at once",
		    RELAY_CONNS_MAX);
		proc_event_rejected(peer, ls->name, why);
		return;
	}
	open_links(ls, h, ss, peer, &k);
	if (k.count == 0)
		return;		/* each refusal was reported */
	if ((r->pid = spawn(&r->chan, &r->in)) == -1) {
		r->pid = 0;
		snprintf(why, sizeof(why), "multi-drop relay: %s",
		    strerror(errno));
		close_links(&k);
		proc_event_rejected(peer, ls->name, why);
		return;
	}
	if (keep(r, ls, h, peer, &k) == -1 || send_all(r, &k, fd) == -1) {
		log_warn("multi-drop relay (pid %d): set-up", (int)r->pid);
		r->killed_for = "set-up failed";
		kill(r->pid, SIGKILL);
	}
	close_links(&k);
	log_info("%s on %s: multi-drop relay (pid %d), %u outstation%s",
	    peer, ls->name, (int)r->pid, (unsigned)r->links,
	    r->links == 1 ? "" : "s");
}
