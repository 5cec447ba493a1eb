/*
 * The outstation in its state region: the sealed memfd the listener
 * keeps for this outstation and passes to every worker on
 * CHAN_WORKER_STATE_FD. Mapped shared before the lockdown (no call of
 * the seccomp allowlist is needed for it); the outstation lives in it,
 * so that the next worker resumes it (dnp3/outstation/region.h). What
 * happened is published as a `restarted` event once the bus is there.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "dnp3/outstation/region.h"
#include "ipc/channel.h"
#include "worker/hub_link.h"
#include "worker/worker.h"

static struct {
	void			*mem;
	size_t			 len;
	enum os_region_start	 how;
	const char		*why;
	bool			 told;
} region;

struct outstation *
worker_state_open(int fd, const struct outstation_params *p,
    const char *discard)
{
	struct stat st;
	size_t need = outstation_region_size(p);
	struct outstation *os;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		fatalx("descriptor %d is not a state region", fd);
	if (need == 0 || (uint64_t)st.st_size != need)
		fatalx("state region of %lld bytes, %zu expected",
		    (long long)st.st_size, need);
	region.mem = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (region.mem == MAP_FAILED)
		fatal("%s: mmap", __func__);
	close(fd);
	region.len = need;
	os = outstation_region_open(region.mem, need, p, discard == NULL,
	    &region.how, &region.why);
	if (os == NULL)
		fatalx("%s: state region does not fit", __func__);
	/* A region the listener left empty on purpose was discarded too. */
	if (discard != NULL) {
		region.why = discard;
		region.how = OS_REGION_DISCARDED;
	}
	if (region.how == OS_REGION_KEPT)
		log_info("state kept: %zu bytes", need);
	else if (region.how == OS_REGION_DISCARDED)
		log_warnx("state discarded (%s): starting clean, %zu bytes",
		    region.why, need);
	else
		log_info("state region: %zu bytes", need);
	return os;
}

bool
worker_state_kept(void)
{
	return region.how == OS_REGION_KEPT;
}

void
worker_state_tell(const struct worker *w)
{
	uint8_t kept = region.how == OS_REGION_KEPT;

	if (region.mem != NULL &&
	    chan_send(w->chan_out, CHAN_STATE, &kept, 1) == -1)
		fatal("%s: send state", __func__);
}

void
worker_state_report(struct worker *w)
{
	struct bus_event ev;

	if (region.mem == NULL || region.told || region.how == OS_REGION_NEW)
		return;
	region.told = true;
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_RESTARTED;
	ev.outstation = w->cfg.name;
	ev.u.restarted.kind = BUS_RESTART_PROCESS;
	ev.u.restarted.state_kept = region.how == OS_REGION_KEPT;
	ev.u.restarted.reason = region.how == OS_REGION_KEPT ? NULL :
	    region.why;
	worker_bus_emit(&ev);
}

void
worker_state_close(void)
{
	if (region.mem != NULL)
		munmap(region.mem, region.len);
	region.mem = NULL;
}
