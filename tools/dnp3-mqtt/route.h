#ifndef DNP3_MQTT_ROUTE_H
#define DNP3_MQTT_ROUTE_H

/*
 * Topics and the messages that cross the bridge. No I/O: the bus and the
 * broker are in bridge.c and broker.c.
 *
 *   PREFIX/OUTSTATION/event           every bus event of that outstation
 *   PREFIX/_server/event              events of the listener or the hub
 *   PREFIX/OUTSTATION/state           connected/disconnected, retained
 *   PREFIX/OUTSTATION/error           errors answering what came in
 *   PREFIX/OUTSTATION/update          in: point updates (single or batch)
 *   PREFIX/OUTSTATION/control_answer  in: answers to control_request
 */
#include <stddef.h>
#include <stdint.h>

#define ROUTE_TOPIC_MAX		256
#define ROUTE_SERVER		"_server"
#define ROUTE_FILTERS_MAX	64

/* Which outstations the bridge serves: all when n == 0. */
struct route_filter {
	const char *names[ROUTE_FILTERS_MAX];
	size_t n;
};

int route_filter_has(const struct route_filter *, const char *name);

/* Where one bus event goes. */
struct route_out {
	char topic[ROUTE_TOPIC_MAX];	/* .../event */
	char extra[ROUTE_TOPIC_MAX];	/* "" or .../state or .../error */
	int extra_retain;		/* 1 for .../state */
};

/*
 * The topics for the bus message msg: 1 to publish, 0 to leave (not an
 * event -- another client's request --, not JSON, or filtered out).
 */
int route_event(const char *prefix, const struct route_filter *f,
    const char *msg, size_t len, struct route_out *out);

enum route_kind { ROUTE_UPDATE, ROUTE_CONTROL_ANSWER };

/*
 * An inbound topic: PREFIX/NAME/update or PREFIX/NAME/control_answer.
 * 0 with the outstation's name in name (NUL-terminated) and the kind,
 * -1 for any other topic.
 */
int route_topic(const char *prefix, const char *topic, char *name,
    size_t namecap, enum route_kind *kind);

/* What is wrong with an inbound payload, for the error topic. */
struct route_error {
	char error[48];		/* "not JSON", "outstation mismatch", ... */
	char detail[160];
	int64_t id;		/* the message's id, -1 if none */
};

/*
 * The bus message for an inbound payload on a topic of outstation name:
 * a JSON object whose "op" (if any) is that of the topic and whose
 * "outstation" (if any) is name; both are set when absent. The result
 * (malloc'ed, compact JSON) goes to the bus as it is; the outstation
 * judges the body. *id is the message's integer "id", or -1. NULL with e
 * filled when the bridge refuses it (nothing is sent then).
 */
char *route_inbound(const char *name, enum route_kind kind,
    const void *payload, size_t len, int64_t *id, struct route_error *e);

/* The JSON of an error event from the bridge itself (malloc'ed). */
char *route_error_json(const char *name, const char *op,
    const struct route_error *e, int64_t now_ms);

#endif
