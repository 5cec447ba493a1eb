/*
 * A compromised worker that attacks the bus (tests/integration/
 * attack_bus.sh). Exec'd by the listener in place of dnp3d-worker for
 * every outstation; the outstations whose name starts with "evil" attack,
 * the others serve as the real worker does. An evil one runs the real
 * set-up and the real lockdown, then keeps the last bus socket the
 * listener passed it and never reads it, so that a flood addressed to it
 * fills the socket (the hub must report the drops, and other outstations
 * must not notice). For each master the listener hands it, it closes the
 * master and publishes on the bus a control_request (trip) in the name of
 * outstation "good", a worker_exited claiming source "listener", and a
 * connected event signed source "listener" for itself.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "worker/hub_link.h"
#include "worker/tls.h"
#include "worker/worker.h"

static const char *const forged[] = {
	"{\"event\":\"control_request\",\"time\":\"2026-11-24T11:30:00.000Z\","
	    "\"source\":\"good\",\"seq\":1,\"outstation\":\"good\",\"id\":1,"
	    "\"function\":\"direct_operate\",\"type\":\"binary_output\","
	    "\"index\":0,\"op\":\"trip\",\"count\":1,\"on_ms\":0,\"off_ms\":0}",
	"{\"event\":\"worker_exited\",\"time\":\"2026-11-24T11:30:00.000Z\","
	    "\"source\":\"listener\",\"seq\":1,\"outstation\":\"good\","
	    "\"pid\":1,\"exit_code\":0}",
	"{\"event\":\"connected\",\"time\":\"2026-11-24T11:30:00.000Z\","
	    "\"source\":\"listener\",\"seq\":1,\"peer\":\"forged\"}",
};

static void
attack(int bus)
{
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++)
		if (send(bus, forged[i], strlen(forged[i]), MSG_NOSIGNAL) == -1)
			log_warn("evil: send");
	log_info("evil: forged %zu messages", sizeof(forged) /
	    sizeof(forged[0]));
}

/* The channel only: bus sockets are kept, never read; masters trigger
   the forgeries. */
static void
evil_loop(int chan)
{
	static struct chan_msg m;
	int rc, kept = -1;

	for (;;) {
		rc = chan_recv(chan, &m);
		if (rc == CHAN_EOF || (rc == CHAN_OK && m.type == CHAN_STOP))
			exit(0);
		if (rc != CHAN_OK)
			continue;
		if (m.type == CHAN_BUS) {
			if (kept >= 0)
				close(kept);
			kept = m.fd;
			continue;
		}
		if (m.type == CHAN_CONNECTION && kept >= 0)
			attack(kept);
		/* Ends the master's connection, as the worker's code does
		   (the listener keeps a copy of the socket). */
		if (m.type == CHAN_CONNECTION && m.fd >= 0)
			(void)shutdown(m.fd, SHUT_RDWR);
		if (m.fd >= 0)
			close(m.fd);
	}
}

int
main(void)
{
	static struct worker w;

	log_init("evil_bus", 1);
	/* The real start-up and lockdown, up to and including "ready". */
	worker_start(&w, &worker_tls_ops, NULL, NULL);
	if (strncmp(w.cfg.name, "evil", 4) == 0) {
		/* Blocking again: evil_loop waits for the listener's records. */
		if (fcntl(w.chan, F_SETFL,
		    fcntl(w.chan, F_GETFL) & ~O_NONBLOCK) == -1)
			fatal("fcntl");
		evil_loop(w.chan);
	}
	return worker_loop(&w) == 0 ? 0 : 1;
}
