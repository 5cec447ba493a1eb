/*
 * dnp3d-classify: the link address classifier (classify.h), started by
 * dnp3d (fork + exec) with its channel on CLASSIFY_CHAN_FD and its answer
 * pipe on CLASSIFY_OUT_FD. Not meant to be run by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "classify/classify.h"
#include "common/log.h"
#include "policy/policy.h"

_Static_assert(CLASSIFY_CHAN_FD == POLICY_CLASSIFY_CHAN_FD &&
    CLASSIFY_OUT_FD == POLICY_CLASSIFY_OUT_FD,
    "the allowlist names the classifier's descriptors");

/* The first record: who to become and how many connections at once. */
static void
read_config(struct classify_config *cfg)
{
	chan_helper_config(CHAN_CLASSIFY_CONFIG, cfg, sizeof(*cfg));
	if (cfg->max_conns == 0 || cfg->max_conns > 65536)
		fatalx("configuration from the listener out of range");
}

static void
lockdown(const struct classify_config *cfg)
{
	char err[256];

	if (policy_lockdown_helper(cfg->h.user, cfg->h.runtime_dir,
	    cfg->max_conns + CLASSIFY_FDS_SPARE, POLICY_CLASSIFY, err,
	    sizeof(err)) == -1)
		fatalx("lockdown: %s", err);
}

/* Connections from the listener, until none waits. false: it is gone. */
static bool
read_chan(struct classifier *c, uint64_t now)
{
	static struct chan_msg m;
	uint32_t id, ms;

	for (int i = 0; i < CLASSIFY_BURST; i++) {
		int st = chan_recv(c->chan, &m);
		if (st == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
			return true;
		if (st == CHAN_EOF)
			return false;
		if (st != CHAN_OK || m.type != CHAN_CLASSIFY_CONN ||
		    classify_conn_decode(m.data, m.len, &id, &ms) == -1)
			fatalx("bad record from the listener (%s)",
			    st == CHAN_OK ? chan_type_name(m.type) :
			    chan_strerror(st));
		if (classify_add(c, m.fd, id, ms, now) == -1)
			fatalx("more than %zu connections at once", c->max);
	}
	return true;
}

static void
run(struct classifier *c)
{
	int ms;

	for (;;) {
		nfds_t n = classify_poll_setup(c, classify_now(), &ms);
		if (poll(c->pfd, n, ms) == -1 && errno != EINTR)
			fatal("poll");
		uint64_t now = classify_now();
		if (c->pfd[0].revents && !read_chan(c, now))
			return;
		classify_step(c, now);
	}
}

int
main(int argc, char **argv)
{
	static struct classifier c;
	struct classify_config cfg;

	chan_helper_start(argc, argv, "dnp3d-classify");
	read_config(&cfg);
	c.chan = CLASSIFY_CHAN_FD;
	c.out = CLASSIFY_OUT_FD;
	if (classify_table_init(&c, cfg.max_conns) == -1)
		fatal("calloc");
	if (fcntl(c.chan, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	lockdown(&cfg);
	if (chan_send(c.out, CHAN_READY, NULL, 0) == -1)
		fatal("ready");
	run(&c);
	log_debug("the listener closed the channel; exiting");
	return 0;
}
