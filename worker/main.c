/*
 * dnp3d-worker: one outstation, started by dnp3d (fork + exec) with its
 * ends of the channel on descriptors CHAN_WORKER_FD and CHAN_WORKER_OUT_FD.
 * Not meant to be run by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "worker/worker.h"

static void
usage(void)
{
	fprintf(stderr, "usage: dnp3d-worker [-cds]  (started by dnp3d)\n");
	exit(1);
}

int
main(int argc, char **argv)
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
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("dnp3d-worker", verbose);
	worker_start(&w, NULL, discard);
	return worker_loop(&w) == 0 ? 0 : 1;
}
