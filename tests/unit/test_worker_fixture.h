/*
 * Shared by the worker's bus tests: a worker "feeder-1" (outstation 10,
 * master 1, 4 points of every type) with a bus socketpair whose other
 * end the test holds, as the hub would.
 */
#ifndef TEST_WORKER_FIXTURE_H
#define TEST_WORKER_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "dnp3/outstation/outstation.h"
#include "worker/hub_link.h"
#include "worker/worker.h"
#include "test_bus_fixture.h"

/* Fills *w and gives it a bus socket; the hub's end goes to *hub_end. */
static inline void
worker_fixture_open(struct worker *w, int *hub_end)
{
	struct outstation_params p;
	int sv[2];

	memset(w, 0, sizeof(*w));
	strcpy(w->cfg.name, "feeder-1");
	strcpy(w->cfg.endpoint, "127.0.0.1:20000");
	for (int t = 0; t < PT_COUNT; t++)
		w->cfg.db[t].count = 4;
	w->cfg.confirm_ms = w->cfg.select_ms = 5000;
	w->cfg.frag_rx = w->cfg.frag_tx = 2048;
	w->cfg.address = 10;
	w->cfg.master = 1;
	config_os_params(&w->cfg, &p);
	w->session.os = outstation_new(&p);
	assert_non_null(w->session.os);
	w->conn.fd = -1;
	assert_int_equal(worker_bus_open(w), 0);
	worker_bus_control_init(w);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	worker_bus_attach(sv[0]);
	*hub_end = sv[1];
}

#endif
