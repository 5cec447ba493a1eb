/*
 * A client's message, judged without I/O: where it goes, and the error
 * the hub answers for a bad envelope (docs/EVENTS.md, "Who answers").
 * The body of a good op message is the named worker's to judge.
 */
#include <stdio.h>
#include <string.h>

#include "bus/envelope.h"
#include "hub/hub.h"

void
hub_judge(const struct hub *h, const char *msg, size_t len,
    struct hub_verdict *v)
{
	struct bus_envelope env;
	int rc;

	memset(v, 0, sizeof(*v));
	v->to = HUB_NOBODY;
	v->id = -1;
	rc = bus_envelope_parse(msg, len, &env, v->detail, sizeof(v->detail));
	if (rc == BUS_DECODE_OK) {
		v->status = env.kind == BUS_IN_STATUS;
		v->id = env.id;
	}
	if (rc == BUS_DECODE_OK && env.kind == BUS_IN_PING)
		v->to = HUB_PING;
	else if (rc == BUS_DECODE_OK && env.outstation == NULL)
		v->to = HUB_ALL;	/* a status request for every one */
	else if (rc == BUS_DECODE_OK &&
	    (v->to = hub_name_find(h, env.outstation)) < 0) {
		v->to = HUB_NOBODY;
		rc = bus_seterr(v->detail, sizeof(v->detail),
		    BUS_ERR_UNKNOWN_OUTSTATION,
		    "no outstation is named \"%.64s\"", env.outstation);
	}
	if (rc < 0) {
		v->status = false;
		v->code = -rc;
		v->id = env.id;
		if (env.op != NULL)
			snprintf(v->op, sizeof(v->op), "%s", env.op);
		if (env.outstation != NULL)
			snprintf(v->outstation, sizeof(v->outstation), "%s",
			    env.outstation);
		if (rc == -BUS_ERR_TOO_BIG)
			v->to = HUB_DROP;
	}
	bus_envelope_free(&env);
}
