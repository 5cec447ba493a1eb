/*
 * Who may join the bus (see listener/bus_dir.h): the service group, and the
 * runtime directory's mode and group. The hub (listener/hub.h) binds the
 * sockets in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/access.h"
#include "common/log.h"
#include "listener/bus_dir.h"
#include "policy/policy.h"

#define BUS_DIR_MODE	0750
#define BUS_SOCK_MODE	0660	/* as the hub makes them (hub/setup.c) */

static gid_t service_gid = (gid_t)-1;

/* The workers' user as policy/ picks it (no fallback: main() refused a
   missing one). */
static const struct passwd *
service_user(const struct dnp3d_config *cfg)
{
	return getpwnam(cfg->user[0] != '\0' ? cfg->user :
	    POLICY_DEFAULT_USER);
}

/*
 * The owner of a file may give it any group it is in itself, without
 * CAP_CHOWN, which neither the restricted listener nor the systemd unit's
 * bounding set has: so the listener takes the service group as effective
 * gid (CAP_SETGID, which it keeps) while it sets the group of the runtime
 * directory and creates the bus socket. on: switch; !on: switch back.
 */
static void
as_group(bool on)
{
	static gid_t saved = (gid_t)-1;

	if (on && service_gid != (gid_t)-1 && service_gid != getegid()) {
		saved = getegid();
		if (setegid(service_gid) == -1) {
			log_warn("bus: setegid %u", (unsigned)service_gid);
			saved = (gid_t)-1;
		}
	} else if (!on && saved != (gid_t)-1) {
		if (setegid(saved) == -1)
			fatal("bus: setegid %u", (unsigned)saved);
		saved = (gid_t)-1;
	}
}

int
listener_bus_prepare(const struct dnp3d_config *cfg, int dirfd)
{
	const struct passwd *pw;
	struct stat st;

	if (geteuid() == 0) {
		if ((pw = service_user(cfg)) == NULL) {
			log_warnx("bus: user %s not found: the bus is root's "
			    "only", cfg->user[0] ? cfg->user :
			    POLICY_DEFAULT_USER);
		} else
			service_gid = pw->pw_gid;
	}
	if (fstat(dirfd, &st) == -1 || fchmod(dirfd, BUS_DIR_MODE) == -1) {
		log_error("runtime directory %s", cfg->runtime_dir);
		return -1;
	}
	if (service_gid == (gid_t)-1 || st.st_gid == service_gid)
		return 0;
	as_group(true);
	if (fchown(dirfd, (uid_t)-1, service_gid) == -1) {
		log_error("chown %s to group %u", cfg->runtime_dir,
		    (unsigned)service_gid);
		as_group(false);
		return -1;
	}
	as_group(false);
	return 0;
}

void
listener_bus_refresh(const struct dnp3d_config *cfg, int dirfd)
{
	struct stat st;
	const char *name;
	char err[256];

	if (service_gid == (gid_t)-1)
		return;
	as_group(true);
	if (fstat(dirfd, &st) == -1 || (st.st_gid != service_gid &&
	    fchown(dirfd, (uid_t)-1, service_gid) == -1))
		log_warn("chown %s to group %u", cfg->runtime_dir,
		    (unsigned)service_gid);
	for (uint32_t i = 0; i < cfg->bus_count; i++) {
		name = bus_ipc_name(cfg->bus[i], cfg->runtime_dir);
		if (name != NULL && faccessat(dirfd, name, F_OK,
		    AT_SYMLINK_NOFOLLOW) == 0 && bus_ipc_restrict_at(dirfd,
		    name, BUS_SOCK_MODE, service_gid, err, sizeof(err)) == -1)
			log_warnx("bus: %s", err);
	}
	as_group(false);
}

gid_t
listener_bus_gid(void)
{
	return service_gid;
}
