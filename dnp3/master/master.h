#ifndef DNP3D_DNP3_MASTER_H
#define DNP3D_DNP3_MASTER_H

/*
 * The master side of the protocol core, for dnp3-master and the tests:
 * request builders, response parsing into points, control echo checks,
 * names for IIN bits, flags and command status, and a small channel that
 * turns request fragments into link frames and received bytes into
 * response fragments.
 *
 * Pure code like the rest of dnp3/: no I/O, no clock, no allocation.
 * Every builder writes one request fragment into buf[0..cap) and returns
 * its length, or a negative DNP3_E_* code (dnp3/app.h), DNP3_E_NOSPACE
 * when cap is too small. seq is the application sequence (low 4 bits).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/app/app.h"
#include "dnp3/link/link.h"
#include "dnp3/app/objects.h"
#include "dnp3/transport/transport.h"

/* Class masks for class reads and unsolicited enable/disable. */
#define MASTER_CLASS0		0x01
#define MASTER_CLASS1		0x02
#define MASTER_CLASS2		0x04
#define MASTER_CLASS3		0x08
#define MASTER_CLASS_EVENTS	(MASTER_CLASS1 | MASTER_CLASS2 | MASTER_CLASS3)
#define MASTER_CLASS_ALL	(MASTER_CLASS_EVENTS | MASTER_CLASS0)

/* The IIN bits that say a request failed (IIN2.0 2.1 2.2 2.4 2.5). */
#define MASTER_IIN_ERRORS	(DNP3_IIN2_NO_FUNC_CODE_SUPPORT |	\
	DNP3_IIN2_OBJECT_UNKNOWN | DNP3_IIN2_PARAMETER_ERROR |		\
	DNP3_IIN2_ALREADY_EXECUTING | DNP3_IIN2_CONFIG_CORRUPT)

/* Longest request the builders make (a CROB or a time write is < 32). */
#define MASTER_REQ_MAX		64

/* ---- master_request.c: request builders ------------------------------ */

/*
 * READ of the classes in mask, in the order 1, 2, 3, 0 (g60v2 v3 v4 v1,
 * qualifier 0x06). The integrity poll is MASTER_CLASS_ALL:
 * C0|seq 01 3C 02 06 3C 03 06 3C 04 06 3C 01 06.
 */
int	master_req_classes(uint8_t *buf, size_t cap, uint8_t seq,
	    uint8_t mask);
int	master_req_integrity(uint8_t *buf, size_t cap, uint8_t seq);

/*
 * READ of group/variation: all points (qualifier 0x06) when !range, else
 * start..stop with qualifier 0x00 (stop <= 255) or 0x01. Variation 0 asks
 * for the outstation's default variation.
 */
int	master_req_read(uint8_t *buf, size_t cap, uint8_t seq, uint8_t group,
	    uint8_t variation, bool range, uint32_t start, uint32_t stop);

/*
 * A control of one point: func is DNP3_FC_SELECT, DNP3_FC_OPERATE,
 * DNP3_FC_DIRECT_OPERATE or DNP3_FC_DIRECT_OPERATE_NR. CROB g12v1 and
 * analog output block g41v1..v4 (variation), with qualifier 0x17 (index
 * <= 255) or 0x28. The status field is sent as 0.
 */
int	master_req_crob(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func,
	    uint16_t index, const struct dnp3_crob *crob);
int	master_req_analog(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func,
	    uint16_t index, uint8_t variation, double value);

/*
 * The CROB control code for an operation name: "latch_on" "latch_off"
 * "pulse_on" "pulse_off" "close" (pulse on, close) "trip" (pulse on,
 * trip). Returns 0 or -1 for an unknown name.
 */
int	master_crob_code(const char *name, uint8_t *code);

/* WRITE g50v1 (time, qualifier 0x07 count 1): absolute time ms. */
int	master_req_write_time(uint8_t *buf, size_t cap, uint8_t seq,
	    uint64_t time_ms);
/* WRITE g50v3 (last recorded time), after RECORD_CURRENT_TIME. */
int	master_req_write_recorded_time(uint8_t *buf, size_t cap, uint8_t seq,
	    uint64_t time_ms);
/* WRITE g80v1 index 7 = 0: clear IIN1.7 DEVICE_RESTART. */
int	master_req_clear_restart(uint8_t *buf, size_t cap, uint8_t seq);

/*
 * Requests without objects: DELAY_MEASURE, RECORD_CURRENT_TIME,
 * COLD_RESTART, WARM_RESTART (any function code: 2 bytes).
 */
int	master_req_func(uint8_t *buf, size_t cap, uint8_t seq, uint8_t func);

/* ENABLE/DISABLE_UNSOLICITED for the event classes in mask (1..3). */
int	master_req_unsolicited(uint8_t *buf, size_t cap, uint8_t seq,
	    bool enable, uint8_t mask);

/* Application confirm; uns for an unsolicited response. */
int	master_req_confirm(uint8_t *buf, size_t cap, uint8_t seq, bool uns);

/* ---- master_response.c: response parsing ----------------------------- */

struct master_response {
	uint8_t		 control;
	uint8_t		 func;		/* DNP3_FC_RESPONSE or _UNSOLICITED */
	uint8_t		 seq;
	bool		 fir, fin, con, uns;
	uint16_t	 iin;
	const uint8_t	*objs;		/* object headers, into the fragment */
	size_t		 objs_len;
};

/*
 * Parses the 4-byte header of a response or unsolicited response.
 * Returns 0, DNP3_E_HDR_SHORT, or DNP3_E_PARAM when the function code is
 * not a response (129, 130).
 */
int	master_response_parse(const uint8_t *frag, size_t len,
	    struct master_response *r);

/* One object of a response, decoded. */
struct master_point {
	uint8_t		 group, variation;
	uint8_t		 kind;		/* enum dnp3_kind */
	const struct dnp3_objdesc *desc;
	bool		 indexed;	/* false: g50 g51 g52 (count qualifier) */
	uint32_t	 index;
	union dnp3_obj	 obj;		/* by kind (dnp3/objects.h) */
	/*
	 * Point kinds: the time of the object as absolute DNP3 time (a
	 * relative time resolved with the preceding CTO); time_valid is
	 * false when the variation has no time, or a relative time came
	 * without a CTO.
	 */
	bool		 time_valid;
	uint64_t	 time_ms;
};

/*
 * Called once per object; returning nonzero stops the walk and is
 * returned by master_response_points.
 */
typedef int master_point_fn(void *arg, const struct master_point *p);

/*
 * Walks every object of a parsed response. Returns the number of objects
 * (>= 0), a callback's nonzero result, or a negative DNP3_E_* code for a
 * malformed fragment (objects before the error have been reported).
 * Free-format and class headers carry no points and are skipped.
 */
int	master_response_points(const struct master_response *r,
	    master_point_fn *fn, void *arg);

/*
 * Checks the echo of a control request (SELECT, OPERATE, DIRECT_OPERATE):
 * the response must carry the same object headers and objects as the
 * request, with only the status fields changed. *status is set to the
 * first status other than SUCCESS (or SUCCESS). Returns 0, or DNP3_E_PARAM
 * when the response does not echo the request (e.g. an IIN2.0 response
 * without objects), or another DNP3_E_* code for a malformed one.
 */
int	master_control_status(const uint8_t *req, size_t req_len,
	    const struct master_response *r, uint8_t *status);

/* ---- master_names.c: names for printing ------------------------------ */

/* "DEVICE_RESTART" for DNP3_IIN1_DEVICE_RESTART, ...; NULL if not one bit. */
const char *master_iin_name(uint16_t bit);
/*
 * The flag names of a flag octet for a point kind, separated by sep:
 * "ONLINE", "ONLINE,RESTART", "" when none. Truncated at a whole name.
 */
void	master_flags_str(uint8_t kind, uint8_t flags, char sep, char *buf,
	    size_t cap);
/* Flag name of one bit for a point kind, NULL if none. */
const char *master_flag_name(uint8_t kind, uint8_t bit);
/* "SUCCESS", "NOT_SUPPORTED", ...; "UNKNOWN" otherwise. */
const char *master_status_name(uint8_t status);
/* "LATCH_ON", "PULSE_ON", ... for the operation of a control code. */
const char *master_crob_op_name(uint8_t code);

/* ---- master_chan.c: link and transport for the master ---------------- */

struct master_chan {
	struct link_parser	parser;
	struct link_station	station;
	struct transport_rx	rx;
	struct transport_tx	tx;
};

enum master_chan_ev {
	MASTER_CHAN_MORE,	/* every byte used; feed more */
	MASTER_CHAN_FRAGMENT,	/* ev->frag, ev->len: a whole fragment */
	MASTER_CHAN_LINK,	/* a secondary frame: ev->sec_func */
	MASTER_CHAN_NONE,	/* a frame that made nothing (call again) */
	MASTER_CHAN_ERROR	/* a malformed frame: ev->err; close */
};

struct master_chan_event {
	const uint8_t	*frag;
	size_t		 len;
	uint8_t		 sec_func;	/* enum link_sec_func */
	enum link_err	 err;
	/* a link reply to send (e.g. LINK_STATUS to a keep-alive) */
	uint8_t		 reply[LINK_HEADER_LEN];
	size_t		 reply_len;
};

/*
 * Sets up a channel from master address local to outstation remote, with
 * the caller's reassembly buffer rxbuf[0..cap) (249..65535 bytes).
 * Returns 0 or -1 for a bad cap.
 */
int	master_chan_init(struct master_chan *c, uint16_t local,
	    uint16_t remote, uint8_t *rxbuf, size_t cap);

/*
 * Feeds received bytes; *used says how many were taken. Call again with
 * the rest until MASTER_CHAN_MORE. Check ev->reply_len after every call.
 */
enum master_chan_ev master_chan_feed(struct master_chan *c,
	    const uint8_t *in, size_t len, size_t *used,
	    struct master_chan_event *ev);

/* One request fragment as link frames, ready to write: bytes or -1. */
int	master_chan_frames(struct master_chan *c, const uint8_t *frag,
	    size_t len, uint8_t *out, size_t cap);

/* REQUEST_LINK_STATUS to the outstation: bytes or -1. */
int	master_chan_link_status(struct master_chan *c, uint8_t *out,
	    size_t cap);

#endif
