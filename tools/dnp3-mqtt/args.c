/*
 * dnp3-mqtt's command line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "mqtt.h"

#define DEFAULT_BUS	"ipc:///run/dnp3d/bus.ipc"
#define PASSWORD_MAX	256

static __attribute__((noreturn)) void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: dnp3-mqtt [-hv] --broker mqtt[s]://HOST[:PORT] [--bus URL]"
	    " [--prefix PREFIX]\n"
	    "                 [--client-id ID] [--username NAME"
	    " --password-file FILE]\n"
	    "                 [--tls-ca FILE] [--tls-cert FILE]"
	    " [--tls-key FILE]\n"
	    "                 [--outstation NAME]... [--user USER]"
	    " [--mqtt-version 3.1.1|5]\n"
	    "                 [--qos 0|1|2] [--queue COUNT]\n");
	exit(status);
}

static long
number(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "dnp3-mqtt: %s must be %ld..%ld: %s\n", what,
		    lo, hi, s);
		exit(2);
	}
	return n;
}

/* The first line of the file, read now (the sandbox opens no file). */
static char *
read_password(const char *path)
{
	char buf[PASSWORD_MAX + 2];
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		fatal("--password-file %s", path);
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strlen(buf) > PASSWORD_MAX)
		fatalx("--password-file %s: longer than %d bytes", path,
		    PASSWORD_MAX);
	return strdup(buf);
}

static void
add_outstation(struct mqtt_opts *o, const char *name)
{
	if (o->filter.n == ROUTE_FILTERS_MAX) {
		fprintf(stderr, "dnp3-mqtt: at most %d --outstation\n",
		    ROUTE_FILTERS_MAX);
		exit(2);
	}
	o->filter.names[o->filter.n++] = name;
}

static void
defaults(struct mqtt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bus_url = DEFAULT_BUS;
	o->prefix = "dnp3d";
	o->client_id = "dnp3-mqtt";
	o->user = "dnp3-mqtt";
	o->mqtt5 = 1;
	o->qos = 1;
	o->queue_max = 10000;
}

/* Checks between options, once all are known. */
static void
check(struct mqtt_opts *o, const char *password_file)
{
	if (o->broker == NULL) {
		fprintf(stderr, "dnp3-mqtt: --broker is required\n");
		usage(stderr, 2);
	}
	if ((o->username == NULL) != (password_file == NULL)) {
		fprintf(stderr, "dnp3-mqtt: --username and --password-file "
		    "go together\n");
		exit(2);
	}
	if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
		fprintf(stderr, "dnp3-mqtt: --tls-cert and --tls-key go "
		    "together\n");
		exit(2);
	}
	if (o->prefix[0] == '\0' || strpbrk(o->prefix, "+#") != NULL) {
		fprintf(stderr, "dnp3-mqtt: --prefix: not empty, no + or #\n");
		exit(2);
	}
	if (password_file != NULL)
		o->password = read_password(password_file);
}

void
mqtt_parse_args(int argc, char **argv, struct mqtt_opts *o)
{
	static const struct option longopts[] = {
		{ "bus", required_argument, NULL, 'u' },
		{ "broker", required_argument, NULL, 'b' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "client-id", required_argument, NULL, 'i' },
		{ "username", required_argument, NULL, 'U' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "tls-ca", required_argument, NULL, 'A' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "outstation", required_argument, NULL, 'o' },
		{ "user", required_argument, NULL, 'w' },
		{ "mqtt-version", required_argument, NULL, 'm' },
		{ "qos", required_argument, NULL, 'q' },
		{ "queue", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *password_file = NULL;
	int ch;

	defaults(o);
	while ((ch = getopt_long(argc, argv, "hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': o->bus_url = optarg; break;
		case 'b': o->broker = optarg; break;
		case 'p': o->prefix = optarg; break;
		case 'i': o->client_id = optarg; break;
		case 'U': o->username = optarg; break;
		case 'P': password_file = optarg; break;
		case 'A': o->tls_ca = optarg; break;
		case 'C': o->tls_cert = optarg; break;
		case 'K': o->tls_key = optarg; break;
		case 'o': add_outstation(o, optarg); break;
		case 'w': o->user = optarg; break;
		case 'm':
			if (strcmp(optarg, "5") != 0 &&
			    strcmp(optarg, "3.1.1") != 0)
				usage(stderr, 2);
			o->mqtt5 = strcmp(optarg, "5") == 0;
			break;
		case 'q': o->qos = (int)number(optarg, "--qos", 0, 2); break;
		case 'Q':
			o->queue_max = (size_t)number(optarg, "--queue", 1,
			    1000000);
			break;
		case 'v': o->verbose++; break;
		case 'h': usage(stdout, 0);
		default: usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	log_init("dnp3-mqtt", o->verbose);
	check(o, password_file);
}
