/*
 * The hub's privileged start: bind every bus endpoint while still root,
 * relative to the runtime directory the listener opened and checked
 * (HUB_DIR_FD: no path is resolved again, so nobody can swap a symlink
 * or a socket in between), then the lockdown: chroot into the empty
 * directory below it, the service user, no capabilities, no_new_privs,
 * rlimits, the hub's seccomp allowlist.
 */
#include <errno.h>
#include <nanomsg/nn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/access.h"
#include "common/log.h"
#include "hub/hub.h"
#include "policy/policy.h"

#define BUS_SOCK_MODE	0660

/* An ipc:// endpoint in the runtime directory: created 0600 (no window
   for others), in the bus group (the effective gid, see hub_bind_all),
   then opened to the group. */
static int
bind_ipc(struct hub *h, const char *url, const char *name, char *err,
    size_t errlen)
{
	char rel[CFG_BUS_URL_MAX];
	gid_t gid = h->cfg.gid == UINT32_MAX ? (gid_t)-1 : h->cfg.gid;
	mode_t mask;
	int rc;

	snprintf(rel, sizeof(rel), "ipc://%s", name);
	mask = umask(0177);
	rc = nn_bind(h->sock, rel);
	umask(mask);
	if (rc < 0) {
		snprintf(err, errlen, "bus endpoint %s: %s", url,
		    nn_strerror(nn_errno()));
		return -1;
	}
	return bus_ipc_restrict_at(h->dirfd, name, BUS_SOCK_MODE, gid, err,
	    errlen);
}

static int
bind_one(struct hub *h, const char *url, char *err, size_t errlen)
{
	const char *name = bus_ipc_name(url, h->cfg.runtime_dir);

	if (name != NULL)
		return bind_ipc(h, url, name, err, errlen);
	if (strncmp(url, "ipc://", 6) == 0) {
		snprintf(err, errlen, "bus endpoint %s: an ipc:// endpoint "
		    "must be in the runtime directory %s", url,
		    h->cfg.runtime_dir);
		return -1;
	}
	if (nn_bind(h->sock, url) < 0) {
		snprintf(err, errlen, "bus endpoint %s: %s", url,
		    nn_strerror(nn_errno()));
		return -1;
	}
	if (!bus_url_is_local(url))
		log_warnx("bus endpoint %s is not on a loopback address: "
		    "anyone who can reach it may read events and send "
		    "updates", url);
	return 0;
}

/*
 * The owner of a file may give it any group it is in itself, without
 * CAP_CHOWN (which neither the listener nor the systemd unit's bounding
 * set has): so the socket files are created with the bus group as
 * effective gid (CAP_SETGID, inherited from the listener).
 */
int
hub_bind_all(struct hub *h, char *err, size_t errlen)
{
	gid_t saved = getegid();
	bool as_group = h->cfg.gid != UINT32_MAX && geteuid() == 0 &&
	    (gid_t)h->cfg.gid != saved;
	int rc = 0;

	if (fchdir(h->dirfd) == -1) {
		snprintf(err, errlen, "runtime directory %s: %s",
		    h->cfg.runtime_dir, strerror(errno));
		return -1;
	}
	if (as_group && setegid((gid_t)h->cfg.gid) == -1) {
		snprintf(err, errlen, "setegid %u: %s", (unsigned)h->cfg.gid,
		    strerror(errno));
		return -1;
	}
	for (uint32_t i = 0; rc == 0 && i < h->cfg.bus_count; i++)
		rc = bind_one(h, h->cfg.bus[i], err, errlen);
	if (as_group && setegid(saved) == -1)
		fatal("setegid %u", (unsigned)saved);
	return rc;
}

void
hub_lockdown(const struct hub *h)
{
	char dir[CFG_PATH_MAX + sizeof(POLICY_EMPTY_DIR) + 1], err[256];
	struct policy_worker pw = {
		.user = h->cfg.user,
		.chroot_dir = dir,
		.max_fds = h->cfg.max_fds,
		.kind = POLICY_HUB,
	};

	snprintf(dir, sizeof(dir), "%s/%s", h->cfg.runtime_dir,
	    POLICY_EMPTY_DIR);
	if (policy_lockdown_worker(&pw, err, sizeof(err)) == -1)
		fatalx("lockdown: %s", err);
}
