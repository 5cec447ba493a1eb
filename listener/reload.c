/*
 * Reload (see reload.h): check everything, then apply the difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/config_load.h"
#include "listener/hub.h"
#include "listener/nofile.h"
#include "listener/notify.h"
#include "listener/reload.h"
#include "listener/status.h"

/* Nothing changed: say why, in the log, on the bus and to systemd. */
static int
refuse(struct dnp3d_config *n, struct listen_sock *ls, struct pollfd *pfd,
    const char *err)
{
	struct bus_event ev;
	char status[160];

	log_errorx("reload failed, configuration unchanged: %s", err);
	listener_figures.reloads_failed++;
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_RELOAD_FAILED;
	ev.u.reload_failed.reason = err;
	listener_hub_emit(&ev);
	/* systemd shows one short line: the reason cut to fit. */
	snprintf(status, sizeof(status), "reload failed: %.140s", err);
	notify_ready(status);
	config_free(n);
	free(ls);
	free(pfd);
	return -1;
}

/* The new table: kept workers move over, the others start from IDLE. */
static struct wproc *
new_table(const struct supervisor *s, const struct dnp3d_config *n,
    const struct reload_plan *p)
{
	struct wproc *w = calloc(n->outstation_count + 1, sizeof(*w));

	if (w == NULL)
		fatal("%s: calloc", __func__);
	for (uint32_t i = 0; i < n->outstation_count; i++) {
		if (p->fate[i] == RELOAD_KEEP)
			w[i] = s->w[p->from[i]];
		else
			supervise_wproc_init(&w[i]);
		w[i].cfg = &n->outstations[i];
	}
	return w;
}

/* Stops the workers of changed and removed outstations. */
static void
retire(struct supervisor *s, const struct reload_plan *p)
{
	struct wproc **w = calloc(s->count + 1, sizeof(*w));
	uint8_t *why = calloc(s->count + 1, sizeof(*why));
	size_t k = 0;

	if (w == NULL || why == NULL)
		fatal("%s: calloc", __func__);
	for (size_t i = 0; i < s->count; i++)
		if (p->stop[i] != 0) {
			w[k] = &s->w[i];
			why[k++] = p->stop[i];
		}
	supervise_retire(w, why, k);
	/* A changed outstation starts from a new region (its old one no
	   longer matches its configuration); a removed one needs none. */
	for (size_t i = 0; i < k; i++) {
		state_region_close(w[i]);
		supervise_drop_masters(w[i]);
	}
	free(w);
	free(why);
}

/* `reloaded`, and its log line; before the old names are freed. */
static void
announce(const struct dnp3d_config *o, const struct dnp3d_config *n,
    const struct reload_plan *p)
{
	static const char *names[3][BUS_RELOAD_NAMES_MAX];
	struct bus_event ev;
	uint32_t k[3] = { 0, 0, 0 };

	for (uint32_t i = 0; i < n->outstation_count; i++) {
		int l = p->fate[i] == RELOAD_START ? 0 :
		    p->fate[i] == RELOAD_RESTART ? 1 : -1;
		if (l >= 0 && k[l] < BUS_RELOAD_NAMES_MAX)
			names[l][k[l]++] = n->outstations[i].name;
	}
	for (uint32_t i = 0; i < o->outstation_count; i++)
		if (p->stop[i] == CHAN_STOP_REMOVED &&
		    k[2] < BUS_RELOAD_NAMES_MAX)
			names[2][k[2]++] = o->outstations[i].name;
	memset(&ev, 0, sizeof(ev));
	ev.type = BUS_EV_RELOADED;
	for (int l = 0; l < 3; l++) {
		ev.u.reloaded.list[l] = names[l];
		ev.u.reloaded.count[l] = p->count[l];
	}
	listener_hub_emit(&ev);
	log_info("reloaded %s: %u started, %u restarted, %u stopped",
	    n->file, (unsigned)p->count[0], (unsigned)p->count[1],
	    (unsigned)p->count[2]);
}

/* Endpoints that the new configuration does not have. */
static void
close_removed(struct listen_sock *old, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (old[i].fd >= 0)
			log_info("closed %s", old[i].name);
	server_close_all(old, n);
}

static void
apply(struct reload_state *st, struct dnp3d_config *n,
    const struct reload_plan *p, struct listen_sock *ls, struct pollfd *pfd)
{
	struct supervisor *s = st->sup;
	struct wproc *w;
	char status[64];

	retire(s, p);
	close_removed(*st->ls, st->cfg->server_count);
	w = new_table(s, n, p);
	free(s->w);
	s->w = w;
	s->count = n->outstation_count;
	supervise_watch_all(s);		/* the kept ones moved */
	if (p->renamed)
		listener_hub_reconfigure(s->count);
	for (size_t i = 0; i < s->count; i++)
		if (p->fate[i] != RELOAD_KEEP)
			supervise_start(s, &s->w[i]);
	listener_figures.reloads++;
	announce(st->cfg, n, p);
	config_free(st->cfg);
	*st->cfg = *n;		/* the heap arrays move: w[].cfg stay valid */
	free(*st->ls);
	free(*st->pfd);
	*st->ls = ls;
	*st->pfd = pfd;
	snprintf(status, sizeof(status), "%zu outstation%s, reloaded",
	    s->count, s->count == 1 ? "" : "s");
	notify_ready(status);
}

int
reload(const char *file, struct reload_state *st)
{
	struct dnp3d_config n;
	struct reload_plan p;
	struct listen_sock *ls = NULL;
	struct pollfd *pfd = NULL;
	char err[512];

	notify_reloading();
	log_info("reloading %s", file != NULL ? file : CFG_EMBEDDED_NAME);
	memset(&n, 0, sizeof(n));
	if (config_load(file, &n, err, sizeof(err)) == -1 ||
	    reload_fixed(st->cfg, &n, err, sizeof(err)) == -1 ||
	    nofile_raise(n.outstation_count, err, sizeof(err)) == -1)
		return refuse(&n, ls, pfd, err);
	ls = calloc(n.server_count + 1, sizeof(*ls));
	pfd = calloc(LISTENER_POLL_FDS(n.server_count), sizeof(*pfd));
	if (ls == NULL || pfd == NULL)
		fatal("%s: calloc", __func__);
	if (reload_plan_make(st->cfg, &n, &p) == -1)
		fatal("%s: plan", __func__);
	if (reload_bind(st->cfg, &n, *st->ls, st->cfg->server_count, ls,
	    err, sizeof(err)) == -1) {
		reload_plan_free(&p);
		return refuse(&n, ls, pfd, err);
	}
	apply(st, &n, &p, ls, pfd);
	reload_plan_free(&p);
	return 0;
}
