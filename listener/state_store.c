/*
 * The state regions across a restart of dnp3d (see supervise.h). At
 * SIGTERM, once every worker has ended, each region is copied as opaque
 * bytes to <state_dir>/<name>.state (temp file, fsync, rename, fsync of
 * the directory). At the next start each outstation's file is copied
 * into its new memfd and removed at once, so a file never outlives the
 * start that used it: after an unclean stop (power loss, a killed
 * listener) there is none, and the outstations start clean. Files of
 * outstations that are no longer configured are removed at the start.
 *
 * The bytes were written by workers, which are not trusted: here they
 * are only copied, bounded by the region's size, never looked at; the
 * worker that maps them checks them (dnp3/outstation/region.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "config/check.h"
#include "listener/proc.h"
#include "listener/supervise.h"

#define SAVED_SUFFIX	".state"
#define TEMP_SUFFIX	".state.tmp"
#define COPY_CHUNK	65536
#define DIR_ENTRIES_MAX	100000	/* entries looked at when clearing */

static int statedir = -1;

/* <name><suffix>; false for a name that is not a plain file name. */
static bool
file_name(const struct wproc *w, const char *suffix, char *buf, size_t len)
{
	const char *name = w->cfg->name;
	int n;

	if (!config_name_valid(name))
		return false;
	n = snprintf(buf, len, "%s%s", name, suffix);
	return n > 0 && (size_t)n < len;
}

/* Exactly len bytes from in to out; -1 on a short read or an error. */
static int
copy(int in, int out, size_t len)
{
	static char buf[COPY_CHUNK];
	size_t done = 0;
	ssize_t r;

	while (done < len) {
		r = pread(in, buf, len - done < sizeof(buf) ? len - done :
		    sizeof(buf), (off_t)done);
		if (r <= 0 || pwrite(out, buf, (size_t)r, (off_t)done) != r)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

int
state_store_open(const struct dnp3d_config *cfg)
{
	if (cfg->state_dir[0] == '\0') {
		log_info("no state directory: the outstations' state is not "
		    "saved across a restart");
		return 0;
	}
	if ((statedir = proc_private_dir("state directory",
	    cfg->state_dir)) == -1)
		return -1;
	return 0;
}

/*
 * The saved bytes of w into memfd (len bytes, zero, not sealed yet): 1
 * copied, 0 no file, -1 refused (the memfd is left zero). The file is
 * removed in every case.
 */
static int
load(struct wproc *w, int memfd, size_t len)
{
	char name[CFG_NAME_MAX + sizeof(TEMP_SUFFIX)];
	struct stat st;
	int fd, rc = -1;

	if (statedir < 0 || !file_name(w, SAVED_SUFFIX, name, sizeof(name)))
		return 0;
	fd = openat(statedir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("outstation %s: saved state %s", w->cfg->name, name);
	} else if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		log_warnx("outstation %s: saved state %s is not a file",
		    w->cfg->name, name);
	else if ((uint64_t)st.st_size != len)
		log_warnx("outstation %s: saved state of %lld bytes, %zu "
		    "expected: discarded", w->cfg->name,
		    (long long)st.st_size, len);
	else if (copy(fd, memfd, len) == -1)
		log_warn("outstation %s: saved state unreadable",
		    w->cfg->name);
	else
		rc = 1;
	if (fd >= 0)
		close(fd);
	if (unlinkat(statedir, name, 0) == -1 && errno != ENOENT)
		log_warn("outstation %s: remove %s", w->cfg->name, name);
	if (rc == -1 && (ftruncate(memfd, 0) == -1 ||
	    ftruncate(memfd, (off_t)len) == -1))
		fatal("%s: ftruncate", __func__);
	if (rc == 1)
		log_info("outstation %s: saved state loaded (%zu bytes)",
		    w->cfg->name, len);
	return rc;
}

void
state_store_load(struct wproc *w, int memfd, size_t len)
{
	w->state_refused = load(w, memfd, len) == -1;
}

/* Saved or temp files left: outstations no longer configured, a save
   cut short. The configured ones were removed when loaded. */
static void
clear_dir(void)
{
	DIR *d;
	struct dirent *e;
	size_t n, s = strlen(SAVED_SUFFIX), t = strlen(TEMP_SUFFIX), len;
	int fd;

	if ((fd = dup(statedir)) == -1 || (d = fdopendir(fd)) == NULL) {
		log_warn("%s: state directory", __func__);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (n = 0; n < DIR_ENTRIES_MAX && (e = readdir(d)) != NULL; n++) {
		len = strlen(e->d_name);
		if ((len <= s || strcmp(e->d_name + len - s, SAVED_SUFFIX)) &&
		    (len <= t || strcmp(e->d_name + len - t, TEMP_SUFFIX)))
			continue;
		if (unlinkat(statedir, e->d_name, 0) == 0)
			log_info("state directory: %s removed (left over)",
			    e->d_name);
	}
	closedir(d);
}

void
state_store_restore(struct supervisor *s)
{
	if (statedir < 0)
		return;
	for (size_t i = 0; i < s->count; i++)
		if (state_region_create(&s->w[i], true) == -1)
			log_warnx("outstation %s: no region to restore into",
			    s->w[i].cfg->name);
	clear_dir();
	if (fsync(statedir) == -1)
		log_warn("%s: fsync state directory", __func__);
}

/* One region to <name>.state, atomically: 0, or -1 (the temp removed). */
static int
save(struct wproc *w)
{
	char tmp[CFG_NAME_MAX + sizeof(TEMP_SUFFIX)];
	char name[CFG_NAME_MAX + sizeof(TEMP_SUFFIX)];
	int fd;

	if (!file_name(w, TEMP_SUFFIX, tmp, sizeof(tmp)) ||
	    !file_name(w, SAVED_SUFFIX, name, sizeof(name)))
		return -1;
	fd = openat(statedir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	/* The memfd cannot grow or shrink (sealed): state_len is its size. */
	if (copy(w->state_fd, fd, w->state_len) == -1 || fsync(fd) == -1) {
		close(fd);
		unlinkat(statedir, tmp, 0);
		return -1;
	}
	if (close(fd) == -1 || renameat(statedir, tmp, statedir, name) == -1) {
		unlinkat(statedir, tmp, 0);
		return -1;
	}
	return 0;
}

void
state_store_save(struct supervisor *s)
{
	if (statedir < 0)
		return;
	for (size_t i = 0; i < s->count; i++) {
		struct wproc *w = &s->w[i];

		/* A worker still running could still write: not saved. */
		if (w->state_fd < 0)
			continue;
		if (w->pid != 0)
			log_warnx("outstation %s: worker %d still running, "
			    "state not saved", w->cfg->name, (int)w->pid);
		else if (save(w) == -1)
			log_warn("outstation %s: state not saved",
			    w->cfg->name);
		else
			log_info("outstation %s: state saved (%zu bytes)",
			    w->cfg->name, w->state_len);
	}
	if (fsync(statedir) == -1)
		log_warn("%s: fsync state directory", __func__);
}
