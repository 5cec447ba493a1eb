/*
 * bench-bus -m: the same update messages, published with libmosquitto
 * at QoS 1 to PREFIX/OUTSTATION/update, for dnp3-mqtt to carry to the
 * bus. The client runs in its own thread (mosquitto_loop_start): the
 * bench's thread only queues messages and reads the outstation.
 */
#include <mosquitto.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "bench/bus_mqtt.h"
#include "common/log.h"

struct bench_mqtt {
	struct mosquitto *m;
	atomic_int connected;
};

static void
on_connect(struct mosquitto *m, void *arg, int rc)
{
	struct bench_mqtt *q = arg;

	(void)m;
	if (rc == 0)
		atomic_store(&q->connected, 1);
}

struct bench_mqtt *
bench_mqtt_open(const char *url)
{
	struct sockaddr_storage ss;
	struct bench_mqtt *q;
	socklen_t len;
	char host[80], *colon;

	if (strncmp(url, "mqtt://", 7) != 0 ||
	    bench_addr(url + 7, &ss, &len) == -1)
		fatalx("-m %s: want mqtt://HOST:PORT on loopback", url);
	snprintf(host, sizeof(host), "%s", url + 7);
	if ((colon = strrchr(host, ':')) == NULL)
		fatalx("-m %s: no port", url);
	*colon = '\0';
	if ((q = calloc(1, sizeof(*q))) == NULL)
		fatal("calloc");
	mosquitto_lib_init();
	if ((q->m = mosquitto_new(NULL, true, q)) == NULL)
		fatal("mosquitto_new");
	mosquitto_connect_callback_set(q->m, on_connect);
	/* all of a window in flight at once */
	mosquitto_int_option(q->m, MOSQ_OPT_SEND_MAXIMUM, 1000);
	if (mosquitto_connect(q->m, host, atoi(colon + 1), 30) !=
	    MOSQ_ERR_SUCCESS || mosquitto_loop_start(q->m) != MOSQ_ERR_SUCCESS)
		fatalx("-m %s: cannot connect", url);
	for (int i = 0; i < 500 && !atomic_load(&q->connected); i++)
		usleep(10000);
	if (!atomic_load(&q->connected))
		fatalx("-m %s: no CONNACK in 5 s", url);
	return q;
}

void
bench_mqtt_publish(struct bench_mqtt *q, const char *topic, const char *msg,
    size_t len)
{
	int rc = mosquitto_publish(q->m, NULL, topic, (int)len, msg, 1, false);

	if (rc != MOSQ_ERR_SUCCESS)
		fatalx("publish: %s", mosquitto_strerror(rc));
}

void
bench_mqtt_close(struct bench_mqtt *q)
{
	mosquitto_disconnect(q->m);
	mosquitto_loop_stop(q->m, false);
	mosquitto_destroy(q->m);
	mosquitto_lib_cleanup();
	free(q);
}
