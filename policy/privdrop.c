/*
 * The privileged steps of the worker lockdown: user lookup, chroot, user
 * change, capabilities. Each step is one function so that the order lives
 * in one place (worker_lockdown.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "policy/internal.h"
#include "policy/policy.h"

int
policy_resolve_user(const char *user, struct policy_ids *ids, char *err,
    size_t errlen)
{
	struct passwd *pw;

	if (user == NULL || user[0] == '\0')
		user = POLICY_DEFAULT_USER;
	/* No fallback: a user shared with other daemons ("nobody") is
	   used only when the configuration names it. */
	if ((pw = getpwnam(user)) == NULL)
		return policy_err(err, errlen, "user \"%s\" does not exist: "
		    "create it (adduser --system --group %s, as the package "
		    "does) or name an existing unprivileged user in the "
		    "configuration's \"user\" setting", user, user);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		return policy_err(err, errlen, "user \"%s\" has uid or gid 0",
		    user);
	if (strlen(user) >= sizeof(ids->name))
		return policy_err(err, errlen, "user name too long");
	snprintf(ids->name, sizeof(ids->name), "%s", user);
	ids->uid = pw->pw_uid;
	ids->gid = pw->pw_gid;
	return 0;
}

int
policy_check_user(const char *user, char *err, size_t errlen)
{
	struct policy_ids ids;

	return policy_resolve_user(user, &ids, err, errlen);
}

static int
write_file(const char *path, const char *text)
{
	ssize_t n, len = (ssize_t)strlen(text);
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	n = write(fd, text, (size_t)len);
	close(fd);
	return n == len ? 0 : -1;
}

/*
 * Unprivileged: become root of a new user namespace that maps only our own
 * uid and gid, so that chroot() and the capability drops work. The kernel
 * refuses this in a process with threads (EINVAL) or when unprivileged
 * namespaces are disabled; the caller then goes on without a chroot.
 */
int
policy_enter_userns(char *err, size_t errlen)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER) == -1)
		return policy_err(err, errlen, "unshare(CLONE_NEWUSER): %s",
		    strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) == -1)
		return policy_err(err, errlen, "uid_map: %s", strerror(errno));
	if (write_file("/proc/self/setgroups", "deny") == -1)
		return policy_err(err, errlen, "setgroups: %s",
		    strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) == -1)
		return policy_err(err, errlen, "gid_map: %s", strerror(errno));
	return 0;
}

int
policy_chroot(const char *dir, char *err, size_t errlen)
{
	if (chroot(dir) == -1)
		return policy_err(err, errlen, "chroot %s: %s", dir,
		    strerror(errno));
	if (chdir("/") == -1)
		return policy_err(err, errlen, "chdir /: %s", strerror(errno));
	return 0;
}

/* Needs CAP_SETPCAP, so it runs before the user change clears it. */
int
policy_drop_bounding(char *err, size_t errlen)
{
	cap_value_t c, max = (cap_value_t)cap_max_bits();

	for (c = 0; c < max; c++)
		if (cap_drop_bound(c) == -1)
			return policy_err(err, errlen, "drop bounding cap %d: "
			    "%s", (int)c, strerror(errno));
	return 0;
}

int
policy_set_ids(const struct policy_ids *ids, char *err, size_t errlen)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (setgroups(1, &ids->gid) == -1)
		return policy_err(err, errlen, "setgroups: %s",
		    strerror(errno));
	if (setresgid(ids->gid, ids->gid, ids->gid) == -1)
		return policy_err(err, errlen, "setresgid %u: %s",
		    (unsigned)ids->gid, strerror(errno));
	if (setresuid(ids->uid, ids->uid, ids->uid) == -1)
		return policy_err(err, errlen, "setresuid %u: %s",
		    (unsigned)ids->uid, strerror(errno));
	/* Trust, but verify: all three ids, both kinds. */
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    ru != ids->uid || eu != ids->uid || su != ids->uid ||
	    rg != ids->gid || eg != ids->gid || sg != ids->gid)
		return policy_err(err, errlen, "user change to %s did not "
		    "take", ids->name);
	return 0;
}

/* Empty effective, permitted, inheritable and ambient sets, verified. */
int
policy_clear_caps(char *err, size_t errlen)
{
	cap_t none, now;
	int rc, same;

	if ((none = cap_init()) == NULL)
		return policy_err(err, errlen, "cap_init: %s",
		    strerror(errno));
	rc = cap_set_proc(none);
	if (rc == -1) {
		policy_err(err, errlen, "cap_set_proc: %s", strerror(errno));
		cap_free(none);
		return -1;
	}
	/* EINVAL: a kernel without ambient capabilities has none to clear. */
	if (cap_reset_ambient() == -1 && errno != EINVAL) {
		policy_err(err, errlen, "cap_reset_ambient: %s",
		    strerror(errno));
		cap_free(none);
		return -1;
	}
	now = cap_get_proc();
	same = now != NULL && cap_compare(now, none) == 0;
	if (now != NULL)
		cap_free(now);
	cap_free(none);
	if (!same)
		return policy_err(err, errlen, "capabilities still held after "
		    "cap_set_proc");
	return 0;
}

/* Threads of this process from /proc/self/task; -1 when unknown. */
int
policy_thread_count(void)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc/self/task")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}
