/*
 * dnp3-status: what a running dnp3d is doing, asked on its bus.
 *
 *   dnp3-status [-u URL] [-t MS] [--json | --prometheus] [-o FILE]
 *               [-w SECONDS [-n COUNT]]
 *
 * One round asks every outstation (see status.h) and prints what came
 * within MS milliseconds (1000); a running worker that did not answer is
 * shown as not answering. -w repeats every SECONDS until SIGINT/SIGTERM
 * or COUNT rounds. -o writes each round to FILE, replacing it whole.
 * Exit status: 0 when dnp3d answered (the last round),
 * 1 when it did not or the bus failed, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/client.h"
#include "common/log.h"
#include "common/stop_signals.h"
#include "collect.h"
#include "output.h"

#define DEFAULT_URL	"ipc:///run/dnp3d/bus.ipc"
#define CONNECT_MS	3000

enum form { FORM_TABLE, FORM_JSON, FORM_PROMETHEUS };

struct options {
	const char *url;
	enum form form;
	long timeout_ms;
	long every_s;		/* 0: once */
	long rounds;		/* 0: until a signal */
	const char *file;	/* -o, or NULL: stdout */
};

static volatile sig_atomic_t stop;

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: dnp3-status [-u URL] [-t MS] "
	    "[--json | --prometheus] [-o FILE]\n"
	    "                   [-w SECONDS [-n COUNT]]\n");
	exit(2);
}

static long
number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end != '\0' || end == s || v < min || v > max)
		usage();
	return v;
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->url = DEFAULT_URL;
	o->timeout_ms = 1000;
	while ((ch = getopt_long(argc, argv, "hn:o:t:u:w:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'j': o->form = FORM_JSON; break;
		case 'p': o->form = FORM_PROMETHEUS; break;
		case 'u': o->url = optarg; break;
		case 'o': o->file = optarg; break;
		case 't': o->timeout_ms = number(optarg, 10, 60000); break;
		case 'w': o->every_s = number(optarg, 1, 86400); break;
		case 'n': o->rounds = number(optarg, 1, 1000000); break;
		default: usage();
		}
	}
	if (optind != argc || (o->rounds && !o->every_s))
		usage();
}

static int
print(const struct options *o, const struct status_report *r)
{
	if (o->file != NULL && output_begin(o->file) == -1)
		return -1;
	if (o->form == FORM_JSON)
		print_json(r);
	else if (o->form == FORM_PROMETHEUS)
		print_prometheus(r);
	else {
		/* A watch on a terminal redraws in place. */
		if (o->every_s && o->file == NULL && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		print_table(r);
	}
	if (r->ignored)
		log_warnx("%zu answers ignored: not valid", r->ignored);
	if (o->file != NULL)
		return output_end(o->file);
	return fflush(stdout) == EOF ? -1 : 0;
}

/* Until the next round is due (or a signal). */
static void
pause_for(long seconds)
{
	poll(NULL, 0, (int)(seconds * 1000));
}

static int
run(const struct options *o, struct bus_client *c,
    struct status_report *r)
{
	int64_t base = (int64_t)getpid() << 20;
	int rc = 1;

	for (long round = 1; !stop; round++) {
		if (status_collect(c, r, base + round, (int)o->timeout_ms,
		    &stop) == -1)
			return 1;
		if (stop)
			break;
		rc = print(o, r) == 0 && r->server ? 0 : 1;
		if (!r->server)
			log_warnx("no answer from dnp3d at %s within %ld ms",
			    o->url, o->timeout_ms);
		if (!o->every_s || (o->rounds && round >= o->rounds))
			return rc;
		pause_for(o->every_s);
	}
	return 0;	/* a signal ends a watch */
}

int
main(int argc, char **argv)
{
	struct options o;
	struct status_report r;
	struct bus_client *c;
	char err[256];
	sigset_t sigs;
	int rc;

	log_init("dnp3-status", 0);
	parse_args(argc, argv, &o);
	memset(&r, 0, sizeof(r));
	if ((r.os = calloc(STATUS_OUTSTATIONS_MAX, sizeof(*r.os))) == NULL)
		fatal("calloc");
	stop_signals_catch(&stop, &sigs);
	if ((c = bus_client_open(o.url, NULL, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	stop_signals_release(&sigs);
	if (bus_client_join(c, CONNECT_MS) == -1) {
		if (o.form == FORM_PROMETHEUS)
			print(&o, &r);	/* dnp3d_up 0 */
		fatalx("cannot reach the bus at %s", o.url);
	}
	rc = run(&o, c, &r);
	bus_client_close(c);
	free(r.os);
	return rc;
}
