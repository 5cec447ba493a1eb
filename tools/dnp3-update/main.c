/*
 * dnp3-update: send one point update (or any message) into the dnp3d bus
 * and report the error that comes back for it, if one does.
 *
 *   dnp3-update [-u URL] [-w MS] [--flags NAME,...] [--time MS|now]
 *               OUTSTATION TYPE INDEX VALUE
 *   dnp3-update [-u URL] [-w MS] --json MESSAGE
 *   dnp3-update [-u URL] [-w MS] --file FILE
 *
 * Options may follow the words; a negative VALUE needs "--" before the
 * words (dnp3-update -- feeder-1 analog_input 0 -3).
 *
 * The message carries an "id" (added to a --json or --file object that
 * has none); --file sends a whole batch update, which must fit one bus
 * message;
 * an `error` event with that id within MS milliseconds (500) is printed
 * and the exit status is 1. 0: sent, no error heard. 2: bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus/client.h"
#include "bus/update.h"
#include "common/log.h"
#include "message.h"

#define DEFAULT_URL	"ipc:///run/dnp3d/bus.ipc"
#define CONNECT_MS	3000

struct options {
	const char *url;
	long wait_ms;
	const char *flags;
	const char *time;
	const char *json;
	const char *file;
	char **words;		/* OUTSTATION TYPE INDEX VALUE */
};

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr,
	    "usage: dnp3-update [-u URL] [-w MS] [--flags NAME,...] "
	    "[--time MS|now]\n"
	    "                   OUTSTATION TYPE INDEX VALUE\n"
	    "       dnp3-update [-u URL] [-w MS] --json MESSAGE\n"
	    "       dnp3-update [-u URL] [-w MS] --file FILE\n");
	exit(2);
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "flags", required_argument, NULL, 'f' },
		{ "time", required_argument, NULL, 'T' },
		{ "json", required_argument, NULL, 'j' },
		{ "file", required_argument, NULL, 'F' },
		{ "url", required_argument, NULL, 'u' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch;

	memset(o, 0, sizeof(*o));
	o->url = DEFAULT_URL;
	o->wait_ms = 500;
	while ((ch = getopt_long(argc, argv, "hu:w:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->flags = optarg; break;
		case 'T': o->time = optarg; break;
		case 'j': o->json = optarg; break;
		case 'F': o->file = optarg; break;
		case 'u': o->url = optarg; break;
		case 'w':
			errno = 0;
			o->wait_ms = strtol(optarg, &end, 10);
			if (errno || *end != '\0' || o->wait_ms < 0 ||
			    o->wait_ms > 600000)
				usage();
			break;
		default:
			usage();
		}
	}
	if (o->json != NULL && o->file != NULL)
		usage();
	if (o->json != NULL || o->file != NULL ? optind != argc || o->flags ||
	    o->time : argc - optind != 4)
		usage();
	o->words = argv + optind;
}

/* The message text to send; *id is the id to match replies with (-1:
   the message has none, match the errors that carry none). */
static char *
build(const struct options *o, int64_t *id)
{
	json_t *msg, *v;
	char *text;

	*id = ((int64_t)getpid() << 20) | (bus_now_ms() & 0xfffff);
	if (o->file != NULL)
		msg = message_file(o->file);
	else if (o->json == NULL)
		msg = message_point(o->words[0], o->words[1], o->words[2],
		    o->words[3], o->flags, o->time, *id);
	else {
		msg = json_loads(o->json, JSON_DECODE_ANY, NULL);
		if (msg == NULL || !json_is_object(msg)) {
			/* sent as it is: the hub will say what is wrong */
			json_decref(msg);
			*id = -1;
			return strdup(o->json);
		}
	}
	if (msg == NULL)
		return NULL;
	/* A message of its own keeps its id, or gets one. */
	v = json_object_get(msg, "id");
	if (v == NULL)
		json_object_set_new(msg, "id", json_integer(*id));
	else
		*id = json_is_integer(v) ? json_integer_value(v) : -1;
	text = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(msg);
	return text;
}

static const char *
field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* 1 if msg is the error event answering our message, printed. */
static int
is_our_error(const char *msg, size_t len, int64_t id)
{
	json_t *o, *v;
	int ours;

	if ((o = json_loadb(msg, len, 0, NULL)) == NULL)
		return 0;
	v = json_object_get(o, "id");
	ours = strcmp(field(o, "event"), "error") == 0 &&
	    (id < 0 ? v == NULL : json_is_integer(v) &&
	    json_integer_value(v) == id);
	if (ours)
		fprintf(stderr, "dnp3-update: %s says: %s: %s\n",
		    field(o, "source"), field(o, "error"), field(o, "detail"));
	json_decref(o);
	return ours;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if an error came back for id within wait_ms, else 0. */
static int
await_error(struct bus_client *c, int64_t id, long wait_ms)
{
	static char msg[BUS_MSG_MAX + 1];
	struct pollfd p = { .fd = bus_client_fd(c), .events = POLLIN };
	int64_t end = mono_ms() + wait_ms;
	ssize_t n;

	for (;;) {
		while ((n = bus_client_recv(c, msg, sizeof(msg))) != 0)
			if (n > 0 && is_our_error(msg, (size_t)n, id))
				return 1;
		if (mono_ms() >= end)
			return 0;
		poll(&p, 1, (int)(end - mono_ms()));
	}
}

int
main(int argc, char **argv)
{
	struct options o;
	struct bus_client *c;
	char err[256], *text;
	int64_t id;
	int rc;

	log_init("dnp3-update", 0);
	parse_args(argc, argv, &o);
	if ((text = build(&o, &id)) == NULL)
		return 2;
	if (o.file != NULL && strlen(text) > BUS_MSG_MAX) {
		/* a snapshot in parts would not be all or nothing */
		fprintf(stderr, "dnp3-update: %s: %zu bytes, the bus takes "
		    "at most %d in one message\n", o.file, strlen(text),
		    BUS_MSG_MAX);
		return 2;
	}
	if (strlen(text) > BUS_MSG_MAX)
		fprintf(stderr, "dnp3-update: warning: %zu bytes, the bus "
		    "takes at most %d\n", strlen(text), BUS_MSG_MAX);
	if ((c = bus_client_open(o.url, NULL, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	if (bus_client_join(c, CONNECT_MS) == -1)
		fatalx("cannot reach the bus at %s", o.url);
	if (bus_client_publish(c, text, strlen(text)) == -1)
		fatalx("cannot send to the bus at %s", o.url);
	/* wait a little even with -w 0: closing at once may lose it */
	rc = await_error(c, id, o.wait_ms < 100 ? 100 : o.wait_ms);
	free(text);
	bus_client_close(c);
	return rc;
}
