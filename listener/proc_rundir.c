/*
 * The runtime directory: created by the listener at startup, or, when it
 * exists, trusted only if it is a real directory (not a symlink) owned by
 * the listener's user and writable by nobody else -- otherwise someone
 * else could place or swap the bus socket in it. It stays open: the bus
 * hub binds relative to this descriptor. The state directory is checked
 * the same way (proc_private_dir()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/proc.h"
#include "policy/policy.h"

static int
check(const char *what, const char *dir, int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		log_error("%s %s", what, dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		log_errorx("%s %s belongs to uid %u, not to uid %u: refusing "
		    "to use it", what, dir, (unsigned)st.st_uid,
		    (unsigned)geteuid());
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		log_errorx("%s %s is writable by %s (mode %04o): refusing to "
		    "use it", what, dir, (st.st_mode & S_IWOTH) ?
		    "others" : "its group", (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* The empty directory, below the directory just checked. */
static int
prepare_empty(const char *dir)
{
	char empty[CFG_PATH_MAX + sizeof(POLICY_EMPTY_DIR) + 1], err[256];
	int n;

	n = snprintf(empty, sizeof(empty), "%s/%s", dir, POLICY_EMPTY_DIR);
	if (n < 0 || (size_t)n >= sizeof(empty)) {
		log_errorx("runtime directory %s: name too long", dir);
		return -1;
	}
	if (policy_prepare_empty_dir(empty, err, sizeof(err)) == -1) {
		log_errorx("%s", err);
		return -1;
	}
	return 0;
}

int
proc_private_dir(const char *what, const char *dir)
{
	int fd;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_error("%s %s", what, dir);
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ELOOP || errno == ENOTDIR)
			log_errorx("%s %s is not a directory (a symbolic "
			    "link?): refusing to use it", what, dir);
		else
			log_error("%s %s", what, dir);
		return -1;
	}
	if (check(what, dir, fd) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
proc_prepare_rundir(const struct dnp3d_config *cfg)
{
	int fd;

	if ((fd = proc_private_dir("runtime directory",
	    cfg->runtime_dir)) == -1)
		return -1;
	if (prepare_empty(cfg->runtime_dir) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}
