/*
 * Resource limits of a locked-down worker. Lowered hard limits cannot be
 * raised again without CAP_SYS_RESOURCE, which the worker no longer has.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/internal.h"
#include "policy/policy.h"

static int
set_limit(int resource, const char *name, rlim_t value, char *err,
    size_t errlen)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == -1)
		return policy_err(err, errlen, "getrlimit %s: %s", name,
		    strerror(errno));
	/* Never try to raise a hard limit someone set lower. */
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < value)
		value = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = value;
	if (setrlimit(resource, &rl) == -1)
		return policy_err(err, errlen, "setrlimit %s: %s", name,
		    strerror(errno));
	return 0;
}

static bool
is_regular_file(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * NPROC 0: no fork (counted per real uid, ignored for root). FSIZE 0: no
 * growing a file through an inherited descriptor -- except when stdout or
 * stderr is a regular file (a log redirected to a file), where it would
 * kill the worker with SIGXFSZ on its first log line; the worker cannot
 * open any other file once seccomp is on. CORE 0: no core dumps of a
 * process that has held master data. NOFILE: bounded, with room left for
 * the sockets the listener passes.
 */
int
policy_set_rlimits(unsigned max_fds, char *err, size_t errlen)
{
	bool log_file = is_regular_file(STDOUT_FILENO) ||
	    is_regular_file(STDERR_FILENO);

	if (max_fds == 0)
		max_fds = POLICY_WORKER_NOFILE;
	if (set_limit(RLIMIT_NPROC, "NPROC", 0, err, errlen) == -1 ||
	    set_limit(RLIMIT_CORE, "CORE", 0, err, errlen) == -1 ||
	    set_limit(RLIMIT_NOFILE, "NOFILE", max_fds, err, errlen) == -1)
		return -1;
	if (!log_file &&
	    set_limit(RLIMIT_FSIZE, "FSIZE", 0, err, errlen) == -1)
		return -1;
	policy_note("rlimits nproc=0 core=0 nofile=%u fsize=%s", max_fds,
	    log_file ? "unlimited (log is a file)" : "0");
	return 0;
}
