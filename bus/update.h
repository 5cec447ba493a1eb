#ifndef DNP3D_BUS_UPDATE_H
#define DNP3D_BUS_UPDATE_H

/*
 * Inbound bus messages ("op"): point updates for an outstation and answers
 * to control requests. docs/EVENTS.md is the schema.
 *
 * Who judges what (every worker sees every message, since it is a bus):
 *  - the listener's hub (bus_hub_forward) checks the envelope of every
 *    message it forwards: size, JSON, object, "op" known, "outstation"
 *    present and the name of a configured outstation. It publishes the
 *    `error` event for those faults.
 *  - a worker (bus_update_decode) silently ignores everything that is not
 *    an op message addressed to it by name, and judges the body of the
 *    ones that are: type, index, value, flags, time, batch size. It
 *    publishes the `error` event for those faults.
 * So each bad message gets exactly one error reply.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

#define BUS_MSG_MAX	(64 * 1024)	/* bytes in one inbound message */
#define BUS_BATCH_MAX	1024		/* updates in one batch */
#define BUS_OCTETS_MAX	255		/* octet_string value bytes */

enum bus_msg_error {
	BUS_OK = 0,
	BUS_ERR_TOO_BIG,		/* "message too big" */
	BUS_ERR_NOT_JSON,		/* "not JSON" */
	BUS_ERR_NOT_OBJECT,		/* "not an object" */
	BUS_ERR_NO_OP,			/* "missing op" */
	BUS_ERR_UNKNOWN_OP,		/* "unknown op" */
	BUS_ERR_NO_OUTSTATION,		/* "missing outstation" */
	BUS_ERR_UNKNOWN_OUTSTATION,	/* "unknown outstation" */
	BUS_ERR_UNKNOWN_KEY,		/* "unknown key" */
	BUS_ERR_BAD_ID,			/* "bad id" */
	BUS_ERR_BAD_BATCH,		/* "bad batch" (empty, not a list,
					   both forms, item not an object) */
	BUS_ERR_BATCH_TOO_BIG,		/* "batch too big" */
	BUS_ERR_NO_TYPE,		/* "missing type" */
	BUS_ERR_UNKNOWN_TYPE,		/* "unknown type" */
	BUS_ERR_NO_INDEX,		/* "missing index" */
	BUS_ERR_INDEX,			/* "index out of range" */
	BUS_ERR_NO_VALUE,		/* "missing value" */
	BUS_ERR_VALUE,			/* "wrong value type" (or out of range) */
	BUS_ERR_FLAGS,			/* "bad flags" */
	BUS_ERR_TIME,			/* "bad time" */
	BUS_ERR_STATUS,			/* "bad status" */
	BUS_ERR_COUNT
};

/* DNP3 quality flag bits (the low bits of every point's flags octet). */
#define BUS_FLAG_ONLINE		0x01
#define BUS_FLAG_RESTART	0x02
#define BUS_FLAG_COMM_LOST	0x04
#define BUS_FLAG_REMOTE_FORCED	0x08
#define BUS_FLAG_LOCAL_FORCED	0x10
#define BUS_FLAG_CHATTER_FILTER	0x20	/* binary and double-bit inputs */
#define BUS_FLAG_ROLLOVER	0x20	/* counters */
#define BUS_FLAG_OVER_RANGE	0x20	/* analogs */
#define BUS_FLAG_DISCONTINUITY	0x40	/* counters */
#define BUS_FLAG_REFERENCE_ERR	0x40	/* analogs */

/* One point update, ready for the outstation's database. */
struct bus_update {
	enum point_type type;
	uint32_t index;			/* < cfg->db[type].count */
	uint8_t flags;			/* BUS_FLAG_*; ONLINE if "flags" absent */
	bool has_time;
	int64_t time_ms;		/* UTC ms; meaningful if has_time */
	union {
		bool binary;		/* binary_input, binary_output */
		uint8_t dbit;		/* double_bit_input: 0 intermediate,
					   1 off, 2 on, 3 indeterminate */
		uint32_t counter;	/* counter, frozen_counter */
		double analog;		/* analog_input, analog_output */
		struct {
			uint8_t len;	/* 1..BUS_OCTETS_MAX */
			uint8_t data[BUS_OCTETS_MAX];
		} octets;		/* octet_string */
	} value;
};

enum bus_inbound_kind {
	BUS_IN_UPDATE,
	BUS_IN_CONTROL_ANSWER,
	BUS_IN_STATUS,			/* dnp3-status asks; no body, and
					   without "outstation" every
					   outstation answers */
	BUS_IN_PING		/* for the hub: answered with a pong */
};

struct bus_inbound {
	enum bus_inbound_kind kind;
	int64_t id;			/* "id", -1 if absent (updates) */
	size_t count;			/* BUS_IN_UPDATE: updates written */
	uint8_t status;			/* BUS_IN_CONTROL_ANSWER: DNP3 code */
};

/* Return values of bus_update_decode() besides -enum bus_msg_error. */
#define BUS_DECODE_OK		0
#define BUS_DECODE_IGNORE	1	/* not for this worker: drop silently */

/*
 * Decode one inbound message for outstation `me` (cfg gives the point
 * counts). Returns BUS_DECODE_OK with *in filled and, for updates,
 * out[0..in->count) filled; BUS_DECODE_IGNORE for events, other
 * outstations' messages and anything whose envelope is bad (the hub
 * reports those); or -code (enum bus_msg_error) with a message in err
 * naming what was wrong, e.g. "updates[1]: index 40 out of range
 * (analog_input has 32 points)". On error nothing in out is meant to be
 * applied: a batch is all or nothing. in->id is set whenever the message
 * had a valid "id", also on error, so the error event can echo it.
 */
int bus_update_decode(const char *msg, size_t len,
    const struct outstation_config *cfg, struct bus_inbound *in,
    struct bus_update *out, size_t max, char *err, size_t errlen);

/*
 * The hub's envelope check. known(name, arg) says whether an outstation
 * of that name exists (NULL: any name is accepted). Returns
 * BUS_DECODE_OK for a good op message, BUS_DECODE_IGNORE for an event
 * (any object with "event", even one that also names an "op"), or -code
 * with err filled.
 * *id gets the message's "id" or -1; op (if not NULL, opcap bytes) the op.
 */
int bus_envelope_check(const char *msg, size_t len,
    int (*known)(const char *name, void *arg), void *arg,
    int64_t *id, char *op, size_t opcap, char *err, size_t errlen);

/* "index out of range", ... */
const char *bus_msg_strerror(int code);
/* The enum point_type of "analog_input", ... or -1. */
int bus_point_type_parse(const char *name);

#endif
