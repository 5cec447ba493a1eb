/*
 * The worker's first steps: its configuration from the listener.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "config/check.h"
#include "worker/worker.h"

/* A bool from another process may hold any byte: read it as one. */
static bool
demo_flag_valid(const struct outstation_config *cfg)
{
	uint8_t v;

	memcpy(&v, &cfg->demo_values, 1);
	return v <= 1;
}

/*
 * Blocks for the first record, which must be CHAN_CONFIG carrying exactly
 * one struct outstation_config that passes outstation_config_check().
 * Returns 0, or -1 after logging why.
 */
int
worker_recv_config(int chan, struct outstation_config *cfg)
{
	static struct chan_msg msg;	/* 4 KiB: keep it off the stack */
	struct chan_msg *m = &msg;
	char err[256];
	int rc;

	rc = chan_recv(chan, m);
	if (rc == CHAN_EOF) {
		log_warnx("%s: listener closed the channel", __func__);
		return -1;
	}
	if (rc != CHAN_OK) {
		log_warnx("%s: channel: %s", __func__, chan_strerror(rc));
		return -1;
	}
	if (m->type != CHAN_CONFIG) {
		log_warnx("%s: expected config, got %s", __func__,
		    chan_type_name(m->type));
		if (m->fd >= 0)
			close(m->fd);
		return -1;
	}
	if (m->len != sizeof(*cfg)) {
		log_warnx("%s: config is %u bytes, expected %zu", __func__,
		    (unsigned)m->len, sizeof(*cfg));
		return -1;
	}
	memcpy(cfg, m->data, sizeof(*cfg));
	if (!demo_flag_valid(cfg)) {
		log_warnx("%s: invalid config: demo_values", __func__);
		return -1;
	}
	if (outstation_config_check(cfg, err, sizeof(err)) == -1) {
		log_warnx("%s: invalid config: %s", __func__, err);
		return -1;
	}
	return 0;
}

/* DNP3 time: ms since 1970 UTC. */
static uint64_t
realtime_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		fatal("%s: clock_gettime", __func__);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Everything the worker will ever allocate for the outstation, before the
 * lockdown: the outstation, the reassembly buffer, the output queue.
 */
/* The outstation, new or the one kept in the state region. */
static int
init_outstation(struct worker *w, const struct outstation_params *p,
    int state_fd, const char *discard)
{
	struct outstation *os;

	if (state_fd < 0)
		return outstation_chan_init(&w->session, p, w->cfg.address,
		    w->cfg.master, w->cfg.link_error_mode);
	os = worker_state_open(state_fd, p, discard);
	return outstation_chan_init_with(&w->session, os, p, w->cfg.address,
	    w->cfg.master, w->cfg.link_error_mode);
}

void
worker_init(struct worker *w, int chan, const struct outstation_config *cfg,
    int state_fd, const char *discard)
{
	struct outstation_params p;
	uint64_t time_ms = realtime_ms();

	memset(w, 0, sizeof(*w));
	w->chan = chan;
	w->chan_out = -1;
	w->cfg = *cfg;
	w->conn.fd = -1;
	w->stop_why = WDISC_SHUTDOWN;
	config_os_params(cfg, &p);
	if (init_outstation(w, &p, state_fd, discard) == -1)
		fatalx("%s: cannot set up the outstation", __func__);
	/* A kept outstation counts the restarts its masters asked for before
	   this process: those were published already (restart_report.c). */
	w->cold_restarts = outstation_stats(w->session.os)->cold_restarts;
	w->warm_restarts = outstation_stats(w->session.os)->warm_restarts;
	/* A kept outstation keeps its clock (monotonic time is the host's)
	   and its values. */
	if (!worker_state_kept()) {
		outstation_set_time(w->session.os, timer_now(), time_ms);
		if (cfg->demo_values)
			outstation_load_demo_values(w->session.os, time_ms);
	}
	w->conn.outcap = 2 * w->session.frames_max + WORKER_OUT_MAX;
	if ((w->conn.out = malloc(w->conn.outcap)) == NULL)
		fatal("%s: output queue of %zu bytes", __func__,
		    w->conn.outcap);
	if (cfg->demo_values && !worker_state_kept())
		log_info("serving demo values");
}

void
worker_free(struct worker *w)
{
	outstation_chan_free(&w->session);
	worker_state_close();
	free(w->conn.out);
	w->conn.out = NULL;
	w->conn.outcap = 0;
}
