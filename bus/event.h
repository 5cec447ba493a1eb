#ifndef DNP3D_BUS_EVENT_H
#define DNP3D_BUS_EVENT_H

/*
 * Outbound bus events: one JSON object per nanomsg message, built with
 * jansson (docs/EVENTS.md is the schema). The encoder takes the time and
 * the sequence number from the caller, so it is a pure function; the
 * publishers (bus_client_emit, the worker, the listener and the hub)
 * stamp source, seq and time.
 *
 * Every const char * may be NULL when the field does not apply; it is then
 * left out of the JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/config.h"

enum bus_event_type {
	BUS_EV_CONNECTED,
	BUS_EV_DISCONNECTED,
	BUS_EV_REJECTED,
	BUS_EV_WORKER_STARTED,
	BUS_EV_WORKER_EXITED,
	BUS_EV_LINK_ERROR,
	BUS_EV_CONTROL,		/* a master's control and the status it got */
	BUS_EV_CONTROL_REQUEST,	/* controls = "bus": worker asks the application */
	BUS_EV_ERROR,		/* a bad inbound bus message */
	BUS_EV_HUB_STARTED,	/* listener: the bus hub process started */
	BUS_EV_HUB_EXITED,	/* listener: the bus hub process ended */
	BUS_EV_DROPPED,		/* hub: messages for a worker not delivered */
	BUS_EV_REFUSED,		/* hub: messages from a worker not forwarded */
	BUS_EV_TLS_FAILED,	/* a master's TLS handshake failed */
	BUS_EV_RELOADED,	/* listener: a new configuration applied */
	BUS_EV_RELOAD_FAILED,	/* listener: one refused, nothing changed */
	BUS_EV_RESTARTED,	/* the outstation restarted (FC13/14, process) */
	BUS_EV_STATUS,		/* a worker's answer to a status request */
	BUS_EV_SERVER_STATUS,	/* hub: the listener's figures, for status */
	BUS_EV_WORKER_STATUS,	/* hub: one worker process, for status */
	BUS_EV_PONG,		/* hub: the answer to a client's ping */
	BUS_EV_COUNT
};

enum bus_disconnect_reason {
	BUS_DISC_REPLACED,	/* "replaced" */
	BUS_DISC_PEER_CLOSED,	/* "closed by peer" */
	BUS_DISC_LINK_ERROR,	/* "link error" */
	BUS_DISC_KEEP_ALIVE,	/* "keep-alive timeout" */
	BUS_DISC_SHUTDOWN,	/* "shutdown" */
	BUS_DISC_WORKER_DIED,	/* "worker died" */
	BUS_DISC_SOCKET_ERROR,	/* "socket error": read/write failed (reset) */
	BUS_DISC_NOT_READING,	/* "master not reading": output queue full */
	BUS_DISC_RECONFIGURED,	/* "reconfigured": reload changed it */
	BUS_DISC_REMOVED,	/* "removed": reload removed it */
	BUS_DISC_COUNT
};

/* The kind of a restarted event. */
enum bus_restart_kind {
	BUS_RESTART_COLD,	/* "cold": a master's COLD_RESTART (13) */
	BUS_RESTART_WARM,	/* "warm": a master's WARM_RESTART (14) */
	BUS_RESTART_PROCESS,	/* "process": the worker was started again */
	BUS_RESTART_COUNT
};

/* One figure of a status answer: a count, a text, a time (UTC ms,
   sent as ISO-8601 text; 0 leaves it out, as does a NULL text), or a
   truth (n != 0). */
enum bus_figure_kind { BUS_FIG_COUNT, BUS_FIG_TEXT, BUS_FIG_TIME,
	BUS_FIG_BOOL };

struct bus_figure {
	const char	*name;
	enum bus_figure_kind kind;
	uint64_t	 n;		/* COUNT, TIME, BOOL */
	const char	*text;		/* TEXT */
};

/* What a master asked (control, control_request). */
struct bus_control {
	uint32_t id;		/* control_request: the id the answer must carry */
	const char *function;	/* "select", "operate", "direct_operate",
				   "direct_operate_no_ack" */
	enum point_type type;	/* PT_BINARY_OUTPUT (CROB) or PT_ANALOG_OUTPUT */
	uint32_t index;
	/* CROB only */
	const char *op;		/* "latch_on", "latch_off", "pulse_on",
				   "pulse_off", "close", "trip", "nul" */
	uint8_t count;
	uint32_t on_ms;
	uint32_t off_ms;
	/* analog output only */
	double value;
	/* control only: DNP3 command status code (0 = SUCCESS), see
	   bus_command_status_name() */
	uint8_t status;
};

struct bus_event {
	enum bus_event_type type;
	/* Stamped by the publisher (bus_event_stamp). */
	const char *source;	/* "listener" or the outstation's name */
	uint64_t seq;		/* per source, from 1 */
	int64_t time_ms;	/* UTC, milliseconds since the epoch */

	const char *outstation;
	const char *endpoint;	/* server endpoint, "127.0.0.1:20000" */
	const char *peer;	/* master, "127.0.0.2:40000" / "[::1]:40000" */

	union {
		struct {
			const char *subject;	/* TLS: the master certificate's */
		} connected;
		struct {
			const char *reason;	/* "certificate expired" */
		} tls_failed;
		struct {
			enum bus_disconnect_reason reason;
		} disconnected;
		struct {
			enum bus_restart_kind kind;
			int state_kept;		/* "process" only: 1 = the
						   points survived */
			const char *reason;	/* "process", not kept: why,
						   or NULL */
		} restarted;
		struct {
			const char *reason;	/* "no filter matched" */
			uint32_t count;		/* a summary: rejections not
						   reported one by one */
		} rejected;
		struct {
			pid_t pid;
		} worker_started;		/* also hub_started */
		struct {
			pid_t pid;
			int status;		/* raw wait(2) status */
			uint32_t restart_ms;	/* 0 = not restarted */
			const char *reason;	/* why the listener killed it */
		} worker_exited;		/* also hub_exited */
		struct {
			uint64_t count;		/* messages since the last report */
			const char *reason;	/* "worker not reading", ... */
		} dropped;			/* dropped, refused */
		struct {
			const char *what;	/* "bad CRC in header" */
			int closed;		/* 1: socket closed, 0: bytes discarded */
			uint32_t discarded;	/* bytes skipped (discard mode) */
		} link_error;
		struct bus_control control;	/* control, control_request */
		struct {
			/* Outstation names; at most BUS_RELOAD_NAMES_MAX of
			   each list are named, the counts are exact. */
			const char *const *list[3];	/* started, restarted,
							   stopped */
			uint32_t count[3];
		} reloaded;
		struct {
			const char *reason;	/* "FILE:LINE: KEY: ..." */
		} reload_failed;
		struct {
			int64_t id;		/* the ping's "id", -1 = none */
		} pong;
		struct {
			int64_t id;		/* the request's "id", -1 = none */
			const struct bus_figure *fig;	/* in this order */
			size_t count;
		} status;			/* status, server_status,
						   worker_status */
		struct {
			int code;		/* enum bus_msg_error, see update.h */
			const char *detail;	/* "updates[2]: index 40 ..." */
			const char *op;		/* the op of the bad message, if any */
			int64_t id;		/* the bad message's "id", -1 = none */
		} error;
	} u;
};

#define BUS_EVENT_MAX	4096	/* an encoded event always fits */
#define BUS_RELOAD_NAMES_MAX	24	/* names per list of `reloaded` */

/* "connected", "disconnected", ... ; NULL for an invalid type. */
const char *bus_event_name(enum bus_event_type);
/* "replaced", "closed by peer", ... */
const char *bus_disconnect_reason_name(enum bus_disconnect_reason);
/* "cold", "warm", "process"; NULL for an invalid kind. */
const char *bus_restart_kind_name(enum bus_restart_kind);
/* "SUCCESS", "TIMEOUT", ...; "UNDEFINED" for codes DNP3 does not define. */
const char *bus_command_status_name(uint8_t code);
/* The code of a status name, or -1. */
int bus_command_status_parse(const char *name);

/* The current time, UTC milliseconds since the epoch. */
int64_t bus_now_ms(void);

/* Loads what glibc, jansson and nanomsg would open on first use, and
   keeps glibc's malloc from opening a file later (bus/preload.c). A
   sandboxed process calls it before its first thread starts. */
void bus_preload(void);

/* Stamps ev (source, ++*seq, the current time) and encodes it into buf
   (BUS_EVENT_MAX bytes). The length, or -1 (logged). */
int bus_event_stamp(struct bus_event *ev, const char *source, uint64_t *seq,
    char *buf, size_t cap);

/* Fills ev as the `error` event answering a bad inbound message: code is
   the (negative or positive) enum bus_msg_error, detail its text, op and
   id those of the bad message (NULL / -1: none). */
void bus_event_error(struct bus_event *ev, const char *outstation, int code,
    const char *detail, const char *op, int64_t id);

/* "2026-11-24T11:30:00.123Z" into buf (at least 25 bytes). */
int bus_format_time(int64_t ms, char *buf, size_t cap);

/*
 * Encode ev as one compact JSON object into buf (NUL-terminated).
 * Returns the length without the NUL, or -1 if ev is invalid or does not
 * fit (nothing useful is left in buf then).
 */
int bus_event_encode(const struct bus_event *ev, char *buf, size_t cap);

#endif
