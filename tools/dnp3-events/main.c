/*
 * dnp3-events: print the events on the dnp3d bus, one per line.
 *
 *   dnp3-events [-v] [--json] [-u URL] [-o OUTSTATION]... [-e EVENT]...
 *               [-n COUNT] [-t SECONDS]
 *
 * nanomsg reconnects by itself, so this keeps going across restarts of
 * the listener. Exit status: 0 on SIGINT/SIGTERM, after COUNT messages,
 * or when -t ends without -n; 1 on an error or when -t ends before COUNT
 * messages; 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus/client.h"
#include "bus/format.h"
#include "bus/update.h"
#include "common/log.h"
#include "common/stop_signals.h"

#define DEFAULT_URL	"ipc:///run/dnp3d/bus.ipc"
#define FILTERS_MAX	64

struct options {
	const char *url;
	int json;
	const char *outstations[FILTERS_MAX];
	size_t n_outstations;
	const char *events[FILTERS_MAX];
	size_t n_events;
	long count;		/* 0 = forever */
	long seconds;		/* 0 = forever */
};

static volatile sig_atomic_t stop;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: dnp3-events [-v] [--json] [-u URL] "
	    "[-o OUTSTATION]... [-e EVENT]...\n"
	    "                   [-n COUNT] [-t SECONDS]\n");
	exit(2);
}

static long
number(const char *s, const char *what)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || n <= 0 ||
	    n > 1000000000L) {
		fprintf(stderr, "dnp3-events: %s must be a positive number: "
		    "%s\n", what, s);
		exit(2);
	}
	return n;
}

static void
add_filter(const char **list, size_t *n, const char *name)
{
	if (*n == FILTERS_MAX) {
		fprintf(stderr, "dnp3-events: at most %d filters of a kind\n",
		    FILTERS_MAX);
		exit(2);
	}
	list[(*n)++] = name;
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, verbose = 0;

	memset(o, 0, sizeof(*o));
	o->url = DEFAULT_URL;
	while ((ch = getopt_long(argc, argv, "e:hjn:o:t:u:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e':
			add_filter(o->events, &o->n_events, optarg);
			break;
		case 'j':
			o->json = 1;
			break;
		case 'n':
			o->count = number(optarg, "COUNT");
			break;
		case 'o':
			add_filter(o->outstations, &o->n_outstations, optarg);
			break;
		case 't':
			o->seconds = number(optarg, "SECONDS");
			break;
		case 'u':
			o->url = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("dnp3-events", verbose);
}

static int
in_list(const char *const *list, size_t n, json_t *v)
{
	size_t i;

	if (n == 0)
		return 1;
	if (!json_is_string(v))
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(list[i], json_string_value(v)) == 0)
			return 1;
	return 0;
}

/* Print one message if it passes the filters; 1 if printed. */
static int
show(const struct options *o, const char *msg, size_t len)
{
	char line[8192];
	json_t *root, *name;
	char *text;
	int shown = 0;

	root = json_loadb(msg, len, JSON_DECODE_ANY, NULL);
	if (root == NULL || !json_is_object(root)) {
		log_warnx("not a JSON object on the bus (%zu bytes)", len);
		json_decref(root);
		return 0;
	}
	if ((name = json_object_get(root, "event")) == NULL)
		name = json_object_get(root, "op");
	/* other tools' joins are noise unless asked for */
	if (json_is_string(name) && (strcmp(json_string_value(name), "pong") ==
	    0 || strcmp(json_string_value(name), "ping") == 0) &&
	    (o->n_events == 0 || !in_list(o->events, o->n_events, name)))
		goto out;
	if (!in_list(o->outstations, o->n_outstations,
	    json_object_get(root, "outstation")) ||
	    !in_list(o->events, o->n_events, name))
		goto out;
	if (o->json) {
		/* re-encoded, so that one message is always one line */
		text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (text != NULL) {
			printf("%s\n", text);
			shown = 1;
		}
		free(text);
	} else if (bus_format_line(msg, len, bus_now_ms(), line,
	    sizeof(line)) >= 0) {
		printf("%s\n", line);
		shown = 1;
	}
out:
	json_decref(root);
	return shown;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keep the join going; with -v, say when it is made and when lost. */
static void
watch_link(struct bus_client *c, const char *url, int *joined)
{
	if (bus_client_tick(c) == -1)
		log_debug("lost the bus at %s, reconnecting", url);
	if (bus_client_joined(c) && !*joined)
		log_debug("joined the bus at %s", url);
	*joined = bus_client_joined(c);
}

static int
run(const struct options *o, struct bus_client *c)
{
	static char msg[BUS_MSG_MAX + 1];
	struct pollfd p = { .fd = bus_client_fd(c), .events = POLLIN };
	int64_t end = o->seconds ? mono_ms() + o->seconds * 1000 : 0;
	long shown = 0;
	ssize_t n;
	int wait, joined = 0;

	while (!stop) {
		watch_link(c, o->url, &joined);
		while ((n = bus_client_recv(c, msg, sizeof(msg))) != 0) {
			if (n < 0 && errno == EMSGSIZE) {
				log_warnx("message longer than %d bytes "
				    "skipped", BUS_MSG_MAX);
				continue;
			}
			if (n < 0) {
				log_warnx("bus: %s", strerror(errno));
				return 1;
			}
			shown += show(o, msg, (size_t)n);
			if (o->count && shown >= o->count)
				return 0;
		}
		/* the pace of watch_link: a ping every 100 ms until joined */
		wait = joined ? 250 : 100;
		if (end) {
			if (mono_ms() >= end) {
				if (!o->count)
					return 0;
				log_warnx("timed out after %ld of %ld "
				    "messages", shown, o->count);
				return 1;
			}
			if (end - mono_ms() < wait)
				wait = (int)(end - mono_ms());
		}
		if (poll(&p, 1, wait) == -1 && errno != EINTR) {
			log_warn("poll");
			return 1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct bus_client *c;
	char err[256];
	sigset_t sigs;
	int rc;

	parse_args(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	stop_signals_catch(&stop, &sigs);
	if ((c = bus_client_open(o.url, NULL, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	stop_signals_release(&sigs);
	rc = run(&o, c);
	bus_client_close(c);
	return rc;
}
