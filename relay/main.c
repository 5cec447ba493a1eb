/*
 * dnp3d-relay: the multi-drop relay of one connection (relay.h), started
 * by dnp3d (fork + exec) with its channel on RELAY_CHAN_FD and its news
 * pipe on RELAY_OUT_FD. Not meant to be run by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "common/log.h"
#include "policy/policy.h"
#include "relay/relay.h"

_Static_assert(RELAY_CHAN_FD == POLICY_RELAY_CHAN_FD &&
    RELAY_OUT_FD == POLICY_RELAY_OUT_FD,
    "the allowlist names the relay's descriptors");

/* The first record: who to become and how many links follow. */
static void
read_config(struct relay_config *cfg)
{
	chan_helper_config(CHAN_RELAY_CONFIG, cfg, sizeof(*cfg));
	if (cfg->links == 0 || cfg->links > RELAY_LINKS_MAX)
		fatalx("configuration from the listener out of range");
}

static void
lockdown(const struct relay_config *cfg)
{
	char err[256];

	if (policy_lockdown_helper(cfg->h.user, cfg->h.runtime_dir,
	    cfg->links + RELAY_FDS_SPARE, POLICY_RELAY, err,
	    sizeof(err)) == -1)
		fatalx("lockdown: %s", err);
}

/* The links, then the master's socket (blocking: the listener queued
   them all at once). */
static void
read_sockets(struct relay *r, uint32_t links)
{
	static struct chan_msg m;
	uint16_t address;

	for (uint32_t i = 0; i <= links; i++) {
		int st = chan_recv(r->chan, &m);
		if (st != CHAN_OK)
			fatalx("no sockets from the listener (%s)",
			    chan_strerror(st));
		if (m.type == CHAN_RELAY_MASTER && m.len == 0 && r->open > 0) {
			r->master = m.fd;
			return;
		}
		if (m.type != CHAN_RELAY_LINK || i == links ||
		    relay_link_decode(m.data, m.len, &address) == -1 ||
		    relay_add_link(r, m.fd, address) == -1)
			fatalx("bad record from the listener (%s)",
			    chan_type_name(m.type));
	}
}

/* Keeps the other flags: the pipe's O_DIRECT makes each record a packet. */
static int
nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int
main(int argc, char **argv)
{
	static struct relay r;
	struct relay_config cfg;

	chan_helper_start(argc, argv, "dnp3d-relay");
	read_config(&cfg);
	relay_init(&r, RELAY_CHAN_FD, RELAY_OUT_FD);
	/* Received, not read: no byte of the network before the lockdown. */
	read_sockets(&r, cfg.links);
	if (nonblocking(r.chan) == -1 || nonblocking(r.out) == -1)
		fatal("fcntl");
	lockdown(&cfg);
	if (chan_send(r.out, CHAN_READY, NULL, 0) == -1)
		fatal("ready");
	log_debug("relaying for %zu outstations", r.nlinks);
	relay_run(&r);
	log_debug("%s; exiting", r.master < 0 ? "the master is gone" :
	    r.open == 0 ? "every link is gone" : "the listener closed the "
	    "channel");
	return 0;
}
