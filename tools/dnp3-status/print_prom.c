/*
 * The report in the Prometheus text exposition format, for
 * node_exporter's textfile collector: a family's HELP and TYPE once,
 * then its samples. Label values are checked names and addresses
 * (answer.c), which need no escaping.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

static void
family(const char *metric, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", metric, help, metric, type);
}

static void
sample(const char *metric, const struct outstation_status *s,
    const char *label, uint64_t v)
{
	printf("%s{outstation=\"%s\",server=\"%s\"%s%s} %" PRIu64 "\n",
	    metric, s->name, s->endpoint, label ? "," : "", label ? label : "",
	    v);
}

/* Seconds since 1970 of a UTC ms time, as Prometheus takes times. */
static void
seconds(const char *metric, const struct outstation_status *s,
    uint64_t ms)
{
	printf("%s{outstation=\"%s\",server=\"%s\"} %" PRIu64 ".%03u\n",
	    metric, s->name, s->endpoint, ms / 1000, (unsigned)(ms % 1000));
}

static void
per_worker(const struct status_report *r)
{
	family("dnp3d_outstation_up", "gauge", "1 when the outstation's "
	    "worker answered the status request.");
	for (size_t i = 0; i < r->count; i++)
		sample("dnp3d_outstation_up", &r->os[i], NULL,
		    r->os[i].answered);
	family("dnp3d_worker_running", "gauge", "1 while the outstation's "
	    "worker runs and takes masters.");
	for (size_t i = 0; i < r->count; i++)
		sample("dnp3d_worker_running", &r->os[i], NULL,
		    r->os[i].state == WS_RUNNING);
	family("dnp3d_worker_restarts_total", "counter", "Times the "
	    "outstation's worker was started again after it ended.");
	for (size_t i = 0; i < r->count; i++)
		sample("dnp3d_worker_restarts_total", &r->os[i], NULL,
		    r->os[i].restarts);
	family("dnp3d_master_connected", "gauge", "1 while a master is "
	    "connected.");
	for (size_t i = 0; i < r->count; i++)
		sample("dnp3d_master_connected", &r->os[i], NULL,
		    r->os[i].connected);
	family("dnp3d_master_connected_since_seconds", "gauge", "When the "
	    "connected master came, seconds since 1970.");
	for (size_t i = 0; i < r->count; i++)
		if (r->os[i].connected && r->os[i].since_ms != 0)
			seconds("dnp3d_master_connected_since_seconds",
			    &r->os[i], r->os[i].since_ms);
}

static void
worker_figures(const struct status_report *r)
{
	for (int k = 0; k < WC_COUNT; k++) {
		const struct count_def *d = &worker_counts[k];
		if (k == 0 || strcmp(d->metric, worker_counts[k - 1].metric))
			family(d->metric, d->type, d->help);
		for (size_t i = 0; i < r->count; i++)
			if (r->os[i].answered)
				sample(d->metric, &r->os[i], d->label,
				    r->os[i].n[k]);
	}
}

void
print_prometheus(const struct status_report *r)
{
	family("dnp3d_up", "gauge", "1 when dnp3d answered the status "
	    "request.");
	printf("dnp3d_up %d\n", r->server ? 1 : 0);
	if (!r->server)
		return;
	family("dnp3d_start_time_seconds", "gauge", "When dnp3d started, "
	    "seconds since 1970.");
	printf("dnp3d_start_time_seconds %" PRIu64 ".%03u\n",
	    r->started_ms / 1000, (unsigned)(r->started_ms % 1000));
	for (int k = 0; k < SC_COUNT; k++) {
		family(server_counts[k].metric, server_counts[k].type,
		    server_counts[k].help);
		printf("%s %" PRIu64 "\n", server_counts[k].metric, r->n[k]);
	}
	per_worker(r);
	worker_figures(r);
}
