/*
 * dnp3-mqtt: a bridge between the dnp3d bus and an MQTT broker.
 *
 * Start-up, in the order privileges allow: options (the password file
 * is read now), the broker's address and TLS files (as root, if started
 * so), then the user change, the bus, the lockdown, and only then the
 * first byte to the broker. See dnp3-mqtt(1) and SECURITY.md.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge.h"
#include "common/log.h"
#include "common/stop_signals.h"
#include "policy/mqtt.h"

static volatile sig_atomic_t stop;

int
main(int argc, char **argv)
{
	struct mqtt_opts o;
	struct bridge b;
	sigset_t sigs;
	char err[512];
	int rc;

	/* before the lockdown, and before bus_client_open() starts
	   nanomsg's threads */
	bus_preload();
	mqtt_parse_args(argc, argv, &o);
	memset(&b, 0, sizeof(b));
	b.o = &o;
	seen_init(&b.seen);
	if (queue_init(&b.q, o.queue_max) == -1)
		fatalx("no memory for a queue of %zu", o.queue_max);
	stop_signals_catch(&stop, &sigs);
	if ((b.broker = broker_open(&o, bridge_inbound, &b, err,
	    sizeof(err))) == NULL)
		fatalx("%s", err);
	if (policy_mqtt_become(o.user, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if ((b.bus = bus_client_open(o.bus_url, NULL, err, sizeof(err))) ==
	    NULL)
		fatalx("%s", err);
	stop_signals_release(&sigs);
	if (policy_mqtt_lockdown(err, sizeof(err)) == -1)
		fatalx("lockdown: %s", err);
	if (broker_start(b.broker, err, sizeof(err)) == -1)
		fatalx("%s", err);
	rc = bridge_run(&b, &stop);
	log_info("exiting");
	broker_close(b.broker);
	bus_client_close(b.bus);
	queue_free(&b.q);
	free(o.password);
	return rc;
}
