/*
 * The hub's code (hub/) without the listener, for bus_tools.sh: binds the
 * given urls and serves until SIGTERM/SIGINT.
 *
 *   bus_testhub -k NAME... [-w NAME] URL...
 *
 * -k NAME  an outstation that exists (the first ipc:// url's directory
 *          is the runtime directory)
 * -w NAME  also play the worker of outstation NAME (10 points of every
 *          type) on a socketpair with the hub, as the listener would
 *          attach it: decode its updates with bus_update_decode, print
 *          each applied update to stdout, send the error event for bad
 *          ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "hub/hub.h"

#define NAMES_MAX	16

static struct hub h;
static struct hub_slot slots[NAMES_MAX];
static uint32_t order[NAMES_MAX];
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
print_update(const struct outstation_config *cfg, const struct bus_update *u)
{
	printf("applied %s %s[%u] flags=0x%02x ", cfg->name,
	    point_type_names[u->type], u->index, u->flags);
	switch (u->type) {
	case PT_BINARY_INPUT:
	case PT_BINARY_OUTPUT:
		printf("value=%s\n", u->value.binary ? "true" : "false");
		break;
	case PT_DOUBLE_BIT_INPUT:
		printf("value=%u\n", u->value.dbit);
		break;
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		printf("value=%u\n", u->value.counter);
		break;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		printf("value=%g\n", u->value.analog);
		break;
	default:
		printf("value=%.*s\n", u->value.octets.len,
		    (const char *)u->value.octets.data);
		break;
	}
}

/* The worker's side: what dnp3d-worker does with bus messages. */
static void
play_worker(int fd, const struct outstation_config *cfg)
{
	static char msg[BUS_MSG_MAX + 1];
	static struct bus_update up[BUS_BATCH_MAX];
	static uint64_t seq;
	char err[256], out[BUS_EVENT_MAX];
	struct bus_inbound in;
	struct bus_event ev;
	ssize_t n;
	int rc, len;

	while ((n = recv(fd, msg, sizeof(msg), MSG_DONTWAIT)) > 0) {
		rc = bus_update_decode(msg, (size_t)n, cfg, &in, up,
		    BUS_BATCH_MAX, err, sizeof(err));
		if (rc < 0) {
			bus_event_error(&ev, cfg->name, rc, err,
			    in.kind == BUS_IN_UPDATE ? "update" :
			    "control_answer", in.id);
			if ((len = bus_event_stamp(&ev, cfg->name, &seq, out,
			    sizeof(out))) > 0)
				send(fd, out, (size_t)len, MSG_DONTWAIT);
			continue;
		}
		for (size_t i = 0; rc == BUS_DECODE_OK && i < in.count; i++)
			print_update(cfg, &up[i]);
	}
}

/* The hub as the listener would set it up: names, endpoints, worker. */
static int
setup(int argc, char **argv, const char *worker)
{
	char err[256], dir[CFG_PATH_MAX];
	int sv[2] = { -1, -1 }, i;

	h.slot = slots;
	h.byname = order;
	h.cfg.gid = UINT32_MAX;
	for (i = 0; i < NAMES_MAX; i++)
		slots[i].fd = -1;
	for (i = 0; i < argc && i < CFG_BUS_MAX; i++)
		snprintf(h.cfg.bus[i], CFG_BUS_URL_MAX, "%s", argv[i]);
	h.cfg.bus_count = (uint32_t)i;
	snprintf(dir, sizeof(dir), "%s", argv[0] + strlen("ipc://"));
	snprintf(h.cfg.runtime_dir, sizeof(h.cfg.runtime_dir), "%s",
	    dirname(dir));
	if ((h.dirfd = open(h.cfg.runtime_dir, O_RDONLY | O_DIRECTORY)) == -1)
		fatal("%s", h.cfg.runtime_dir);
	if (hub_names_index(&h) == -1 ||
	    (h.epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    hub_clients_open(&h, err, sizeof(err)) == -1 ||
	    hub_bind_all(&h, err, sizeof(err)) == -1 ||
	    hub_epoll_add(&h, h.rcvfd, HUB_TAG_CLIENTS) == -1)
		fatalx("hub: %s", err);
	if ((i = hub_name_find(&h, worker)) >= 0) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
			fatal("socketpair");
		hub_worker_attach(&h, (uint32_t)i, sv[0]);
	}
	return sv[1];
}

int
main(int argc, char **argv)
{
	struct outstation_config cfg;
	struct pollfd p[2];
	int ch;

	log_init("bus_testhub", 0);
	memset(&cfg, 0, sizeof(cfg));
	while ((ch = getopt(argc, argv, "k:w:")) != -1) {
		if (ch == 'k' && h.named < NAMES_MAX)
			snprintf(slots[h.named++].name, HUB_NAME_LEN, "%s",
			    optarg);
		else if (ch == 'w')
			snprintf(cfg.name, sizeof(cfg.name), "%s", optarg);
		else
			fatalx("usage: bus_testhub -k NAME... [-w NAME] URL...");
	}
	if (optind == argc || strncmp(argv[optind], "ipc://", 6) != 0)
		fatalx("the first url must be ipc://");
	h.cfg.outstation_count = h.named;
	for (int t = 0; t < PT_COUNT; t++)
		cfg.db[t].count = 10;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	p[0] = (struct pollfd){ .fd = h.epfd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = setup(argc - optind, argv + optind,
	    cfg.name), .events = POLLIN };
	p[0].fd = h.epfd;
	printf("ready\n");
	while (!stop) {
		if (poll(p, 2, 100) == -1 && errno != EINTR)
			fatal("poll");
		hub_round(&h, 0);
		if (p[1].revents & POLLIN)
			play_worker(p[1].fd, &cfg);
	}
	return 0;
}
