/*
 * The worker's chroot: an empty directory it cannot write. The listener
 * creates it under runtime_dir; the worker checks it again before chroot,
 * since a directory anyone could fill would defeat the point.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/internal.h"
#include "policy/policy.h"

/* Fails unless the directory fd has no entries but "." and "..". */
static int
check_no_entries(int fd, const char *path, char *err, size_t errlen)
{
	struct dirent *de;
	DIR *d;
	int dfd;

	if ((dfd = dup(fd)) == -1)
		return policy_err(err, errlen, "%s: dup: %s", path,
		    strerror(errno));
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return policy_err(err, errlen, "%s: %s", path,
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			/* de points into d: report before closing it. */
			policy_err(err, errlen, "%s: not empty (holds \"%s\")",
			    path, de->d_name);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

int
policy_check_empty_dir(const char *path, uid_t owner, char *err,
    size_t errlen)
{
	struct stat st;
	int fd, rc;

	if (path == NULL || path[0] != '/')
		return policy_err(err, errlen, "chroot directory must be an "
		    "absolute path");
	/* O_NOFOLLOW: the last component may not be a symlink. */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return policy_err(err, errlen, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1) {
		rc = policy_err(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (st.st_uid != owner) {
		rc = policy_err(err, errlen, "%s: owned by uid %u, not %u",
		    path, (unsigned)st.st_uid, (unsigned)owner);
		goto out;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		rc = policy_err(err, errlen, "%s: writable by group or others "
		    "(mode %03o)", path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	rc = check_no_entries(fd, path, err, errlen);
out:
	close(fd);
	return rc;
}

int
policy_prepare_empty_dir(const char *path, char *err, size_t errlen)
{
	uid_t uid = geteuid();
	int fd;

	if (path == NULL || path[0] != '/')
		return policy_err(err, errlen, "empty dir: not an absolute "
		    "path: %s", path ? path : "(null)");
	if (mkdir(path, 0555) == -1 && errno != EEXIST)
		return policy_err(err, errlen, "mkdir %s: %s", path,
		    strerror(errno));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return policy_err(err, errlen, "%s: %s", path,
		    strerror(errno));
	/* Leave a directory that is in use alone. */
	if (check_no_entries(fd, path, err, errlen) == -1) {
		close(fd);
		return -1;
	}
	/* Owner: us (root, or the unprivileged user); mode r-xr-xr-x. */
	if (fchown(fd, uid, (gid_t)-1) == -1 || fchmod(fd, 0555) == -1) {
		int saved = errno;
		close(fd);
		return policy_err(err, errlen, "%s: %s", path,
		    strerror(saved));
	}
	close(fd);
	return policy_check_empty_dir(path, uid, err, errlen);
}
