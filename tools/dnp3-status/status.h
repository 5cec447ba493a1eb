#ifndef DNP3D_TOOLS_STATUS_H
#define DNP3D_TOOLS_STATUS_H

/*
 * dnp3-status: one round asks dnp3d (op status on its bus) and gathers
 * the answers into a report (collect.c), each checked and bounded
 * (answer.c): the hub's server_status and worker_status, and each
 * worker's status. Anyone in the bus group can publish, so nothing in an
 * answer is trusted: names, addresses and texts are checked or cleaned,
 * counts are integers 0..2^53, and there are at most
 * STATUS_OUTSTATIONS_MAX outstations. Printed as a table, JSON or the
 * Prometheus text format (print_*.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

#define STATUS_OUTSTATIONS_MAX	CFG_OUTSTATIONS_MAX
#define STATUS_TEXT_MAX		128	/* last_error, kept cleaned */
#define STATUS_ADDR_MAX		64	/* "[v6]:port" */

/* The listener's figures (server_status). */
enum server_count {
	SC_OUTSTATIONS, SC_ACCEPTED, SC_REJECTED, SC_HANDED_OFF, SC_RELOADS,
	SC_RELOADS_FAILED, SC_COUNT
};

/* A worker's figures (status). */
enum worker_count {
	WC_CONNECTIONS, WC_FRAMES_IN, WC_FRAMES_OUT, WC_LINK_ERRORS,
	WC_MALFORMED, WC_REPLACED, WC_REJECTED, WC_CONTROLS, WC_EVENTS_1,
	WC_EVENTS_2, WC_EVENTS_3, WC_OVERFLOW, WC_CONFIRM_TIMEOUTS, WC_COUNT
};

/* The key of a figure in the answers, its metric, and what it means. */
struct count_def {
	const char	*key;
	const char	*metric;	/* dnp3d_... */
	const char	*label;		/* an extra label, or NULL */
	const char	*type;		/* "counter", "gauge" */
	const char	*help;
};
extern const struct count_def server_counts[SC_COUNT];
extern const struct count_def worker_counts[WC_COUNT];

enum worker_state {
	WS_UNKNOWN,		/* its worker answered, the hub not (yet) */
	WS_STOPPED, WS_STARTING, WS_RUNNING, WS_RESTARTING
};
extern const char *const worker_state_names[];

struct outstation_status {
	char		 name[CFG_NAME_MAX + 1];
	/* worker_status: the listener's view of its process */
	enum worker_state state;
	uint64_t	 pid, restarts, started_ms;
	/* worker_status: its last `restarted` of kind process, if any */
	bool		 restart_known;
	bool		 state_kept;
	char		 state_reason[STATUS_TEXT_MAX];
	uint64_t	 state_ms;
	/* status: the worker's answer */
	bool		 answered;
	bool		 connected;
	char		 endpoint[STATUS_ADDR_MAX];
	char		 peer[STATUS_ADDR_MAX];
	uint64_t	 since_ms;	/* the master's arrival; 0 */
	uint64_t	 n[WC_COUNT];
	char		 last_error[STATUS_TEXT_MAX];
	uint64_t	 last_error_ms;
};

struct status_report {
	bool		 server;	/* server_status came */
	uint64_t	 started_ms;
	uint64_t	 n[SC_COUNT];
	struct outstation_status *os;	/* count of them, by arrival */
	size_t		 count;
	size_t		 ignored;	/* answers that were not valid */
};

/* answer.c: one bus message for request id into r; ignored when it is
   not an answer to it, counted in r->ignored when it is a bad one. */
void	status_answer(struct status_report *r, int64_t id, const char *msg,
	    size_t len);
/* True when every answer the report waits for is in. */
bool	status_complete(const struct status_report *r);
/* An outstation whose answers did not all come (a burst of answers can
   overflow the bus toward this client: they are asked again by name),
   from index *from on; NULL when there is none. */
const char *status_missing(const struct status_report *r, size_t *from);

/* print_*.c: the report on stdout. */
void	print_table(const struct status_report *r);
int	print_json(const struct status_report *r);
void	print_prometheus(const struct status_report *r);

/* "2026-12-03T14:00:00.000Z" into buf (>= 32 bytes), "-" for 0. */
void	status_time(uint64_t ms, char *buf, size_t cap);

#endif
