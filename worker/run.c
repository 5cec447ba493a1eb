/*
 * main() of dnp3d-worker and of dnp3d-worker-tls: one outstation, started
 * by dnp3d (fork + exec) with its ends of the channel on descriptors
 * CHAN_WORKER_FD and CHAN_WORKER_OUT_FD. Not meant to be run by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "worker/worker.h"

static void __attribute__((noreturn))
usage(const char *name)
{
	fprintf(stderr, "usage: %s [-cds]  (started by dnp3d)\n", name);
	exit(1);
}

int
worker_main(int argc, char **argv, const char *name,
    const struct worker_tls_ops *tls)
{
	static struct worker w;
	int ch, verbose = 0;
	const char *discard = NULL;

	while ((ch = getopt(argc, argv, "cds")) != -1) {
		switch (ch) {
		case 'c':	/* the listener saw a crash loop */
			discard = "crash loop";
			break;
		case 's':	/* the listener refused the saved state */
			discard = "saved state unusable";
			break;
		case 'd':
			verbose++;
			break;
		default:
			usage(name);
		}
	}
	if (optind != argc)
		usage(name);
	log_init(name, verbose);
	worker_start(&w, tls, NULL, discard);
	return worker_loop(&w) == 0 ? 0 : 1;
}
