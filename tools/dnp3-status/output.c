/*
 * -o FILE: each round's output replaces FILE whole, so a reader (the
 * node_exporter textfile collector) never sees half of one: it is
 * written to FILE.tmp beside it, flushed to disk, and renamed over FILE.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "common/log.h"
#include "output.h"

static char tmp[4096 + 8];

int
output_begin(const char *file)
{
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", file) >= (int)sizeof(tmp)) {
		log_warnx("%s: name too long", file);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1 || fflush(stdout) == EOF ||
	    dup2(fd, STDOUT_FILENO) == -1) {
		log_warn("%s", tmp);
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
output_end(const char *file)
{
	if (fflush(stdout) == EOF || fsync(STDOUT_FILENO) == -1 ||
	    rename(tmp, file) == -1) {
		log_warn("%s", file);
		unlink(tmp);
		return -1;
	}
	return 0;
}
