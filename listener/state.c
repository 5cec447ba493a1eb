/*
 * The outstations' state regions (see supervise.h): created, sealed and
 * handed on, never mapped. What a worker writes into its region is the
 * business of the next worker of the same outstation, which checks it
 * (dnp3/outstation/region.h); here the region is only a descriptor.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/log.h"
#include "config/os_params.h"
#include "dnp3/outstation/region.h"
#include "listener/supervise.h"

int
state_region_create(struct wproc *w, bool restore)
{
	struct outstation_params p;
	size_t len;
	int fd;

	if (w->state_fd >= 0)
		return 0;
	config_os_params(w->cfg, &p);
	if ((len = outstation_region_size(&p)) == 0) {
		log_warnx("outstation %s: no state region for its "
		    "configuration", w->cfg->name);
		return -1;
	}
	if ((fd = memfd_create("dnp3d-state", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1) {
		log_warn("outstation %s: memfd_create", w->cfg->name);
		return -1;
	}
	if (ftruncate(fd, (off_t)len) == -1) {
		log_warn("outstation %s: state region", w->cfg->name);
		close(fd);
		return -1;
	}
	if (restore)
		state_store_load(w, fd, len);
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK |
	    F_SEAL_SEAL) == -1) {
		log_warn("outstation %s: state region", w->cfg->name);
		close(fd);
		return -1;
	}
	w->state_fd = fd;
	w->state_len = len;
	log_info("outstation %s: state region of %zu bytes", w->cfg->name,
	    len);
	return 0;
}

bool
state_quick_exit(const struct wproc *w, uint64_t now)
{
	uint32_t window = w->cfg->state_crash_window_ms != 0 ?
	    w->cfg->state_crash_window_ms : CFG_CRASH_WINDOW_DEFAULT;

	return now - w->started_at < window;
}

void
state_note_exit(struct wproc *w, uint64_t now)
{
	if (w->resumed != 0 && state_quick_exit(w, now))
		w->quick_exits++;
	else
		w->quick_exits = 0;
}

int
state_told(struct wproc *w, const uint8_t *data, size_t len)
{
	if (w->state != WPROC_STARTING || w->resumed != -1 || len != 1 ||
	    data[0] > 1)
		return -1;
	w->resumed = (int8_t)data[0];
	return 0;
}

bool
state_crash_loop(struct wproc *w)
{
	if (w->quick_exits < w->cfg->state_crash_count &&
	    w->cfg->state_crash_count != 0)
		return false;
	w->quick_exits = 0;
	return true;
}

void
state_region_close(struct wproc *w)
{
	if (w->state_fd >= 0)
		close(w->state_fd);
	w->state_fd = -1;
}
