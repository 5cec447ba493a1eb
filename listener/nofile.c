/*
 * The listener's RLIMIT_NOFILE against the configuration (nofile.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "listener/nofile.h"

rlim_t
nofile_need(size_t outstations)
{
	return (rlim_t)outstations * NOFILE_PER_WORKER + NOFILE_SPARE;
}

int
nofile_raise(size_t outstations, char *err, size_t errlen)
{
	rlim_t need = nofile_need(outstations);
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		snprintf(err, errlen, "getrlimit(RLIMIT_NOFILE): %s",
		    strerror(errno));
		return -1;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		snprintf(err, errlen, "%zu outstations need up to %llu open "
		    "files, and the hard limit is %llu (LimitNOFILE= in the "
		    "service unit, or ulimit -Hn)", outstations,
		    (unsigned long long)need, (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		snprintf(err, errlen, "setrlimit(RLIMIT_NOFILE, %llu): %s",
		    (unsigned long long)need, strerror(errno));
		return -1;
	}
	return 0;
}
