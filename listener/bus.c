/*
 * The listener's side of the bus (see listener/bus.h): the runtime
 * directory's and the socket's permissions, the hub, forwarding.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/hub.h"
#include "common/log.h"
#include "listener/bus.h"
#include "listener/supervise.h"
#include "policy/policy.h"

#define BUS_DIR_MODE	0750
#define BUS_SOCK_MODE	0660

static struct bus_hub *hub;
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
listener_bus_prepare(const struct dnp3d_config *cfg)
{
	const struct passwd *pw;
	struct stat st;
	const char *dir = cfg->runtime_dir;

	if (geteuid() == 0) {
		if ((pw = service_user(cfg)) == NULL) {
			log_warnx("bus: user %s not found: the bus is root's "
			    "only", cfg->user[0] ? cfg->user :
			    POLICY_DEFAULT_USER);
		} else
			service_gid = pw->pw_gid;
	}
	if (stat(dir, &st) == -1) {
		log_warn("runtime directory %s", dir);
		return -1;
	}
	/* A shared directory such as /tmp is not ours to close. */
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & S_IWOTH)) {
		log_warnx("runtime directory %s is not a directory of uid %u "
		    "closed to others: its mode is left alone; the bus "
		    "socket alone limits access", dir, (unsigned)geteuid());
		return 0;
	}
	if (chmod(dir, BUS_DIR_MODE) == -1) {
		log_warn("chmod %s", dir);
		return -1;
	}
	if (service_gid == (gid_t)-1 || st.st_gid == service_gid)
		return 0;
	as_group(true);
	if (chown(dir, (uid_t)-1, service_gid) == -1) {
		log_warn("chown %s to group %u", dir, (unsigned)service_gid);
		as_group(false);
		return -1;
	}
	as_group(false);
	return 0;
}

/* Binds the hub in the service group: the ipc socket files are created
   in it (see as_group). */
static struct bus_hub *
open_as_group(const char *const *urls, size_t n, char *err, size_t errlen)
{
	struct bus_hub *h;

	as_group(true);
	h = bus_hub_open(urls, n, err, errlen);
	for (size_t i = 0; h != NULL && i < n; i++)
		if (bus_ipc_restrict(urls[i], BUS_SOCK_MODE, service_gid,
		    err, errlen) == -1) {
			bus_hub_close(h);
			h = NULL;
		}
	as_group(false);
	return h;
}

/* The workers' internal endpoint that fill_copies() gave every
   outstation, or NULL when they join a public endpoint (no workers, or
   a runtime directory too long for ipc://<dir>/workers.ipc). */
static const char *
workers_url(const struct dnp3d_config *cfg)
{
	const char *url;

	if (cfg->outstation_count == 0)
		return NULL;
	url = cfg->outstations[0].bus;
	if (strncmp(url, "ipc://", 6) != 0)
		return NULL;
	for (uint32_t i = 0; i < cfg->bus_count; i++)
		if (strcmp(cfg->bus[i], url) == 0)
			return NULL;
	return url;
}

/* Not in the service group: the socket is the listener's user's alone
   (root's when run as root), and workers join it before they drop root. */
static int
open_workers(const struct dnp3d_config *cfg)
{
	const char *url = workers_url(cfg);
	char err[256];

	if (url == NULL) {
		if (cfg->outstation_count > 0 &&
		    cfg->outstations[0].bus[0] != '\0')
			log_warnx("bus: workers join the clients' endpoint "
			    "\"%s\": they hear each other",
			    cfg->outstations[0].bus);
		return 0;
	}
	if (bus_hub_open_workers(hub, url, err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	log_debug("bus: workers on %s", url);
	return 0;
}

int
listener_bus_open(struct dnp3d_config *cfg)
{
	const char *urls[CFG_BUS_MAX];
	char err[256];
	size_t n = cfg->bus_count;

	if (n == 0 || n > CFG_BUS_MAX) {
		log_warnx("bus: %zu endpoints configured", n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		urls[i] = cfg->bus[i];
	if ((hub = open_as_group(urls, n, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	if (open_workers(cfg) == -1) {
		bus_hub_close(hub);
		hub = NULL;
		return -1;
	}
	bus_hub_set_known(hub, bus_known_in_config, cfg);
	for (size_t i = 0; i < n; i++)
		log_info("bus on %s", urls[i]);
	return 0;
}

int
listener_bus_fd(void)
{
	return hub != NULL ? bus_hub_fd(hub) : -1;
}

void
listener_bus_forward(void)
{
	if (hub != NULL)
		bus_hub_forward(hub);
}

struct bus_hub *
listener_bus_hub(void)
{
	return hub;
}

gid_t
listener_bus_gid(void)
{
	return service_gid;
}

#define DRAIN_QUIET_MS	50
#define DRAIN_MAX_MS	500

void
listener_bus_close(void)
{
	struct pollfd p;
	uint64_t end;

	if (hub == NULL)
		return;
	p = (struct pollfd){ .fd = bus_hub_fd(hub), .events = POLLIN };
	end = supervise_now() + DRAIN_MAX_MS;
	/* Bounded by time and by rounds: a member may flood the bus. */
	for (int i = 0; i < DRAIN_MAX_MS && supervise_now() < end &&
	    poll(&p, 1, DRAIN_QUIET_MS) > 0; i++)
		bus_hub_forward(hub);
	bus_hub_close(hub);
	hub = NULL;
}
