/*
 * A stand-alone bus hub for the bus integration tests (until the listener
 * runs the hub): binds the given urls and forwards until SIGTERM/SIGINT.
 *
 *   bus_testhub [-k NAME]... [-w NAME] URL...
 *
 * -k NAME  an outstation that exists (for the "unknown outstation" error)
 * -w NAME  also play a worker for outstation NAME (10 points of every
 *          type): decode its updates with bus_update_decode, print each
 *          applied update to stdout, publish the error event for bad ones.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus.h"
#include "common/log.h"

#define KNOWN_MAX	16

static const char *known_names[KNOWN_MAX];
static int n_known;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
known(const char *name, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < n_known; i++)
		if (strcmp(known_names[i], name) == 0)
			return 1;
	return 0;
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
play_worker(struct bus_client *c, const struct outstation_config *cfg)
{
	static char msg[BUS_MSG_MAX + 1];
	static struct bus_update up[BUS_BATCH_MAX];
	struct bus_inbound in;
	char err[256];
	ssize_t n;
	size_t i;
	int rc;

	while ((n = bus_client_recv(c, msg, sizeof(msg))) != 0) {
		if (n < 0)
			return;
		rc = bus_update_decode(msg, (size_t)n, cfg, &in, up,
		    BUS_BATCH_MAX, err, sizeof(err));
		if (rc == BUS_DECODE_IGNORE)
			continue;
		if (rc < 0) {
			bus_client_emit_error(c, cfg->name, rc, err,
			    in.kind == BUS_IN_UPDATE ? "update" :
			    "control_answer", in.id);
			continue;
		}
		for (i = 0; i < in.count; i++)
			print_update(cfg, &up[i]);
		if (in.kind == BUS_IN_CONTROL_ANSWER)
			printf("answer %s id=%lld status=%s\n", cfg->name,
			    (long long)in.id, bus_command_status_name(in.status));
	}
}

int
main(int argc, char **argv)
{
	struct outstation_config cfg;
	struct bus_client *c = NULL;
	struct bus_hub *hub;
	struct pollfd p[2];
	char err[256];
	int ch, t;

	log_init("bus_testhub", 0);
	memset(&cfg, 0, sizeof(cfg));
	while ((ch = getopt(argc, argv, "k:w:")) != -1) {
		if (ch == 'k' && n_known < KNOWN_MAX)
			known_names[n_known++] = optarg;
		else if (ch == 'w')
			snprintf(cfg.name, sizeof(cfg.name), "%s", optarg);
		else
			fatalx("usage: bus_testhub [-k NAME]... [-w NAME] URL...");
	}
	if (optind == argc)
		fatalx("no url");
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	hub = bus_hub_open((const char *const *)argv + optind,
	    (size_t)(argc - optind), err, sizeof(err));
	if (hub == NULL)
		fatalx("%s", err);
	if (n_known > 0)
		bus_hub_set_known(hub, known, NULL);
	p[0] = (struct pollfd){ .fd = bus_hub_fd(hub), .events = POLLIN };
	p[1] = (struct pollfd){ .fd = -1, .events = POLLIN };
	if (cfg.name[0] != '\0') {
		for (t = 0; t < PT_COUNT; t++)
			cfg.db[t].count = 10;
		if ((c = bus_client_open(argv[optind], cfg.name, err,
		    sizeof(err))) == NULL)
			fatalx("%s", err);
		p[1].fd = bus_client_fd(c);
	}
	printf("ready\n");
	while (!stop) {
		if (poll(p, 2, 1000) == -1 && errno != EINTR)
			fatal("poll");
		if (p[0].revents & POLLIN)
			bus_hub_forward(hub);
		if (c != NULL && (p[1].revents & POLLIN))
			play_worker(c, &cfg);
	}
	bus_client_close(c);
	bus_hub_close(hub);
	return 0;
}
