/*
 * A compromised worker that abuses its channel to the listener. Exec'd by
 * the listener in place of dnp3d-worker ($DNP3D_WORKER); it receives its
 * configuration and locks down with the real worker code, says "ready",
 * and then acts by its outstation's name:
 *
 *	deaf*	never reads its channel again (finding 9: hand-offs pile up
 *		in flight, charged to root)
 *	forge*	reports masters it was never handed (finding 10): one
 *		"connected" for a made-up peer, then a flood of made-up
 *		"connected"/"gone" reports, then it exits with a made-up
 *		master "connected" -- which an unchecked listener reports as
 *		"disconnected (worker died)", signed by itself
 *	other	serves as the real worker does (the healthy neighbour)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "worker/hub_link.h"
#include "worker/tls.h"
#include "worker/worker.h"

#define FORGE_FLOOD	200000	/* reports, unless the listener stops it */

static void __attribute__((noreturn))
deaf(void)
{
	log_info("evil: deaf from now on");
	for (;;)
		poll(NULL, 0, -1);
}

/* A master in 198.18.0.0/15 (benchmarking, never routed) that no
 * listener has handed to this worker. */
static void
made_up(struct handoff *h, uint32_t n)
{
	memset(h, 0, sizeof(*h));
	h->family = 4;
	h->port = (uint16_t)(1024 + n % 60000);
	h->addr[10] = h->addr[11] = 0xff;
	h->addr[12] = 198;
	h->addr[13] = 18;
	h->addr[14] = (uint8_t)(n >> 8);
	h->addr[15] = (uint8_t)n;
}

static int
report(int chan, bool connected, uint32_t n)
{
	uint8_t pl[CHAN_MASTER_LEN];
	struct handoff h;

	made_up(&h, n);
	chan_master_encode(pl, connected, &h);
	return chan_send(chan, CHAN_MASTER, pl, sizeof(pl));
}

static void __attribute__((noreturn))
forge(int chan)
{
	uint32_t i;

	log_info("evil: forging master reports");
	for (i = 0; i < FORGE_FLOOD; i++)
		if (report(chan, i % 2 == 0, i / 2) == -1)
			break;
	/* Still here: the listener believes a made-up master is served. */
	if (i == FORGE_FLOOD)
		report(chan, true, 7);
	log_info("evil: %u forged reports sent (%s), exiting", (unsigned)i,
	    i == FORGE_FLOOD ? "all" : strerror(errno));
	exit(0);
}

int
main(void)
{
	static struct worker w;

	log_init("evil_channel", 1);
	/* The real start-up and lockdown, up to and including "ready". */
	worker_start(&w, &worker_tls_ops, NULL, NULL);
	if (strncmp(w.cfg.name, "deaf", 4) == 0)
		deaf();
	if (strncmp(w.cfg.name, "forge", 5) == 0) {
		/* Blocking again: the flood waits for the listener to read. */
		if (fcntl(w.chan_out, F_SETFL,
		    fcntl(w.chan_out, F_GETFL) & ~O_NONBLOCK) == -1)
			fatal("fcntl");
		forge(w.chan_out);
	}
	return worker_loop(&w) == 0 ? 0 : 1;
}
