/*
 * dnp3d: the listener. Loads the configuration, binds every endpoint,
 * starts one worker per outstation, then accepts masters and hands each
 * to its outstation's worker until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/bus_dir.h"
#include "listener/classify.h"
#include "listener/config_load.h"
#include "listener/config_tls.h"
#include "listener/hub.h"
#include "listener/nofile.h"
#include "listener/notify.h"
#include "listener/proc.h"
#include "listener/relay.h"
#include "listener/reload.h"
#include "listener/server.h"
#include "listener/supervise.h"
#include "policy/policy.h"

struct listener {
	struct dnp3d_config cfg;
	struct listen_sock *ls;
	struct supervisor sup;
	struct pollfd	*pfd;	/* signalfd, listen sockets, channels, hub */
	int		 sigfd;
	int		 rundir;
	const char	*file;		/* -c, NULL: the embedded default */
	bool		 stop;
	bool		 reload;	/* SIGHUP came */
};

static void __attribute__((noreturn))
usage(int code)
{
	fprintf(code ? stderr : stdout,
	    "usage: dnp3d [-c FILE] [-t] [-d] [-h] [--version]\n"
	    "  -c, --config FILE  configuration (default: embedded)\n"
	    "  -t, --test         check the configuration and exit\n"
	    "  -d, --debug        log debug messages\n"
	    "  -h, --help         this text\n"
	    "      --version      print the version\n");
	exit(code);
}

/* SIGCHLD, SIGTERM, SIGINT, SIGHUP come through a signalfd into the poll
   loop. */
static int
signals_init(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	return fd;
}

static void
signals_read(struct listener *l)
{
	struct signalfd_siginfo si;

	/* Bounded: the signalfd holds at most one entry per signal. */
	for (int i = 0; i < 8; i++) {
		if (read(l->sigfd, &si, sizeof(si)) != sizeof(si))
			break;
		if (si.ssi_signo == SIGCHLD)
			continue;	/* reaped below in any case */
		if (si.ssi_signo == SIGHUP) {
			log_info("received SIGHUP, reloading");
			l->reload = true;
			continue;
		}
		log_info("received %s, shutting down",
		    si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
		l->stop = true;
	}
	supervise_reap(&l->sup);
}

/* Fills pfd: [0] signalfd, [1..ns] listen sockets, the workers' epoll
 * (one entry for all their pipes: a poll over 10,000 of them at every
 * wake-up would cost more than the wake-up), then the relays' news, the
 * classifier's answers, the bus hub's ready pipe and channel. */
static nfds_t
poll_setup(struct listener *l)
{
	nfds_t n = 0;

	l->pfd[n++] = (struct pollfd){ .fd = l->sigfd, .events = POLLIN };
	for (uint32_t i = 0; i < l->cfg.server_count; i++)
		l->pfd[n++] = (struct pollfd){ .fd = l->ls[i].fd,
		    .events = server_paused() ? 0 : POLLIN };
	l->pfd[n++] = (struct pollfd){ .fd = l->sup.epfd, .events = POLLIN };
	relays_pollfd(&l->pfd[n++]);
	classify_pollfd(&l->pfd[n]);
	listener_hub_pollfds(&l->pfd[n + 1], &l->pfd[n + 2]);
	return n + 3;
}

/* The nearest of the timeouts (-1: none). */
static int
poll_timeout(const struct listener *l, uint64_t now)
{
	int t[] = { supervise_timeout(&l->sup, now), proc_event_timeout(now),
	    server_timeout(now), listener_hub_timeout(now),
	    classify_timeout(now), relays_timeout(now) };
	int best = -1;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i] >= 0 && (best < 0 || t[i] < best))
			best = t[i];
	return best;
}

/* SIGHUP: the arrays poll_setup() fills may be replaced. */
static void
reload_now(struct listener *l)
{
	struct reload_state st = { &l->cfg, &l->ls, &l->pfd, &l->sup };

	l->reload = false;
	/* First: who reads "reloaded" (systemd, a test) may use the bus. */
	listener_bus_refresh(&l->cfg, l->rundir);
	reload(l->file, &st);
	/* Children that ended meanwhile (the reload reaps only its own). */
	supervise_reap(&l->sup);
}

static void
run(struct listener *l)
{
	nfds_t n;
	size_t base;
	uint64_t now;

	while (!l->stop) {
		if (l->reload)
			reload_now(l);
		base = 1 + l->cfg.server_count;
		n = poll_setup(l);
		int rc = poll(l->pfd, n, poll_timeout(l, supervise_now()));
		if (rc == -1 && errno != EINTR)
			fatal("poll");
		if (rc > 0 && l->pfd[0].revents)
			signals_read(l);
		if (l->stop)
			break;
		if (rc > 0)
			listener_hub_events(l->pfd[n - 2].revents,
			    l->pfd[n - 1].revents);
		if (rc > 0)
			classify_events(l->pfd[n - 3].revents);
		if (rc > 0)
			relays_events(l->pfd[n - 4].revents);
		for (uint32_t i = 0; rc > 0 && i < l->cfg.server_count; i++)
			if (l->pfd[1 + i].revents)
				server_accept(&l->cfg, &l->ls[i], &l->sup);
		if (rc > 0 && l->pfd[base].revents)
			supervise_chan_events(&l->sup);
		now = supervise_now();
		supervise_tick(&l->sup, now);
		proc_event_tick(now);
		server_tick(now);
		listener_hub_tick(now);
		classify_tick(now);
		relays_tick(now);
	}
}

static void
shutdown_all(struct listener *l)
{
	notify_stopping();
	server_close_all(l->ls, l->cfg.server_count);
	classify_stop();
	relays_stop();
	supervise_shutdown(&l->sup, l->sigfd);
	state_store_save(&l->sup);	/* no worker writes any more */
	listener_hub_stop(l->sigfd);	/* after the workers' last events */
	log_info("stopped");
}

/* Loads the configuration; -t ends here. */
static void
load(struct listener *l, const char *file, bool test)
{
	char err[512];

	config_tls_check_files(test);
	if (config_load(file, &l->cfg, err, sizeof(err)) == -1) {
		/* -t answers a person; a start that fails is an error. */
		if (test)
			fprintf(stderr, "dnp3d: %s\n", err);
		else
			log_errorx("%s", err);
		exit(1);
	}
	if (!test) {
		/* Refuse rather than run workers as someone else. */
		if (geteuid() == 0 &&
		    policy_check_user(l->cfg.user, err, sizeof(err)) == -1) {
			log_errorx("%s", err);
			exit(1);
		}
		return;
	}
	printf("dnp3d: configuration OK: %s (%u server%s, %u outstation%s)\n",
	    l->cfg.file, (unsigned)l->cfg.server_count,
	    l->cfg.server_count == 1 ? "" : "s",
	    (unsigned)l->cfg.outstation_count,
	    l->cfg.outstation_count == 1 ? "" : "s");
	config_free(&l->cfg);
	exit(0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "test", no_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct listener l;
	const char *file = NULL;
	char path[4096], path_tls[4096], err[256];
	bool test = false;
	int ch, verbose = 0;

	while ((ch = getopt_long(argc, argv, "c:tdh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'd':
			verbose++;
			break;
		case 'h':
			usage(0);
		case 'V':
			printf("dnp3d %s\n", DNP3D_VERSION);
			return 0;
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);
	log_init("dnp3d", verbose);
	/* Before anything else opens a descriptor: the children's numbers. */
	if (!test && proc_spawn_init() == -1)
		fatal("reserving descriptors for the workers");
	load(&l, file, test);
	l.file = file;
	if (nofile_raise(l.cfg.outstation_count, err, sizeof(err)) == -1) {
		log_errorx("%s", err);
		exit(1);
	}

	if (supervise_find_worker(path, path_tls, sizeof(path)) == -1)
		exit(1);
	l.ls = calloc(l.cfg.server_count + 1, sizeof(*l.ls));
	l.pfd = calloc(LISTENER_POLL_FDS(l.cfg.server_count), sizeof(*l.pfd));
	if (l.ls == NULL || l.pfd == NULL ||
	    supervise_init(&l.sup, &l.cfg, path, path_tls, verbose) == -1)
		fatal("calloc");
	if ((l.rundir = proc_prepare_rundir(&l.cfg)) == -1 ||
	    listener_bus_prepare(&l.cfg, l.rundir) == -1 ||
	    listener_hub_init(&l.cfg, &l.sup, l.rundir, verbose) == -1 ||
	    state_store_open(&l.cfg) == -1 ||
	    classify_init(&l.cfg, &l.sup, verbose) == -1 ||
	    relays_init(&l.cfg, &l.sup, verbose) == -1)
		exit(1);
	l.sigfd = signals_init();
	/* Every endpoint before any worker: a bind error leaves nothing. */
	if (server_bind_all(&l.cfg, l.ls) == -1)
		exit(1);
	server_spare_fd();
	/* Bound: keep only what starting and signalling workers needs. */
	if (policy_restrict_listener(err, sizeof(err)) == -1)
		fatalx("restrict listener: %s", err);
	/* The hub first: the workers' bus sockets go to it as they start. */
	listener_hub_start();
	state_store_restore(&l.sup);
	supervise_start_all(&l.sup);
	listener_hub_tick(supervise_now());
	classify_tick(supervise_now());
	run(&l);
	shutdown_all(&l);
	supervise_free(&l.sup);
	config_free(&l.cfg);
	free(l.ls);
	free(l.pfd);
	return 0;
}
