/* See child.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/child.h"
#include "common/log.h"

void
child_bind_to_parent(void)
{
	/* Also set by the listener before exec; harmless twice. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		fatal("prctl(PR_SET_PDEATHSIG)");
	signal(SIGPIPE, SIG_IGN);
}

void
child_options(int argc, char **argv, const char *name)
{
	int ch, verbose = 0;

	while ((ch = getopt(argc, argv, "d")) != -1) {
		if (ch != 'd')
			goto usage;
		verbose++;
	}
	if (optind != argc)
		goto usage;
	log_init(name, verbose);
	return;
usage:
	fprintf(stderr, "usage: %s [-d]  (started by dnp3d)\n", name);
	exit(1);
}
