#ifndef DNP3D_WORKER_H
#define DNP3D_WORKER_H

/*
 * dnp3d-worker: one outstation. It gets its configuration and then master
 * sockets from the listener over the channel (ipc/channel.h), serves one
 * master at a time, and runs one poll loop with a timer list. The socket
 * and its output queue are conn.c's; app.c feeds what is read through the
 * outstation's protocol stack (dnp3/outstation/chan.h), whose outstation
 * (database, events) outlives every connection.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "common/config.h"
#include "dnp3/link/link.h"
#include "dnp3/outstation/chan.h"
#include "ipc/handoff.h"
#include "config/os_params.h"
#include "worker/timer.h"

struct worker_tls;
struct worker_tls_ops;

/*
 * The queue for the master holds two whole responses (link frames of
 * frag_tx bytes each) plus WORKER_OUT_MAX for link replies: reading stops
 * while less than one response and the link replies to a full read would
 * fit (so a master that does not read is throttled by TCP), and a
 * response that still does not fit closes the connection.
 */
#define WORKER_OUT_MAX	8192	/* room for link replies to one read */
#define WORKER_IN_MAX	4096	/* bytes read per read(2) */

/* Why a master connection ended (the bus names them the same way). */
enum worker_disc {
	WDISC_REPLACED,		/* "replaced" */
	WDISC_PEER_CLOSED,	/* "closed by peer" */
	WDISC_LINK_ERROR,	/* "link error" */
	WDISC_KEEP_ALIVE,	/* "keep-alive timeout" */
	WDISC_SHUTDOWN,		/* "shutdown" */
	WDISC_IO_ERROR,		/* "socket error" */
	WDISC_NOT_READING,	/* "master not reading": output queue full */
	WDISC_RECONFIGURED,	/* "reconfigured": stopped by a reload */
	WDISC_REMOVED		/* "removed": stopped by a reload */
};

enum worker_timer_id {
	WTIMER_KEEP_ALIVE,	/* silence from the master: probe it */
	WTIMER_KEEP_ALIVE_REPLY,/* probe sent: the master must answer */
	WTIMER_OUTSTATION,	/* outstation_tick() is due */
	WTIMER_TLS,		/* TLS handshake deadline, then key renewal */
	WTIMER_CONN_COUNT,	/* the timers above end with the connection */
	WTIMER_REPLACE_LOG = WTIMER_CONN_COUNT, /* summary of replacements */
	WTIMER_COUNT
};

/*
 * Masters that replace each other in a loop (two of them matching one
 * filter, each reconnecting at once) must not flood the log: after
 * WORKER_REPLACE_BURST replacements within a second, their connected and
 * disconnected lines give way to one summary line per second, until a
 * second passes without one. The bus still gets every event.
 */
#define WORKER_REPLACE_BURST	10
#define WORKER_REPLACE_WINDOW_MS 1000

struct worker_replace_log {
	uint64_t	 window_start;	/* monotonic ms */
	uint32_t	 in_window;	/* replacements since window_start */
	uint32_t	 suppressed;	/* not logged since the last summary */
	bool		 storm;		/* summarising, WTIMER_REPLACE_LOG armed */
	bool		 quiet;		/* the next "connected" is not logged */
};

struct worker_conn {
	int		 fd;		/* -1: no master */
	char		 peer[HANDOFF_ADDRSTR_MAX];
	struct handoff	 handoff;	/* the peer, as the listener sent it */
	uint16_t	 server;
	uint8_t		*out;		/* outcap bytes, allocated once */
	size_t		 outcap;
	size_t		 outlen;
	uint64_t	 bytes_in;
	uint64_t	 user_data;	/* link user data frames handed up */
	uint64_t	 responses;	/* application fragments queued */
	bool		 addr_reported;	/* a wrongly addressed frame logged */
	bool		 tell_pending;	/* CHAN_MASTER to send again (POLLOUT) */
	bool		 refuse_pending; /* ... and then CHAN_MASTER_REFUSED */
	struct handoff	 refused;	/* the latest master refused */
};

/* What the worker tells dnp3-status (status.c): plain counts, bumped
   where the thing happens, since the worker started. */
struct worker_stats {
	uint64_t	 frames_in;	/* link frames from masters */
	uint64_t	 frames_out;	/* link frames to them */
	uint64_t	 link_errors;
	uint64_t	 replaced;	/* masters replaced by a newer one */
	uint64_t	 rejected;	/* accept = "keep": masters refused */
	uint64_t	 controls;	/* control objects answered */
	uint64_t	 connected_ms;	/* the master's arrival, UTC ms; 0 */
	uint64_t	 error_ms;	/* when last_error happened, UTC ms */
	const char	*last_error;	/* static text, NULL: none yet */
	char		 error_buf[96];	/* for a last_error made up here */
};

struct worker {
	int		 chan;		/* socketpair from the listener */
	int		 chan_out;	/* pipe to the listener: no descriptors */
	struct outstation_config cfg;
	struct worker_conn conn;
	struct outstation_chan session;	/* the master session's stack */
	struct timer	 timers[WTIMER_COUNT];
	bool		 stop;
	enum worker_disc stop_why;	/* told to the master at the stop */
	uint64_t	 connections;	/* masters served since start */
	struct worker_stats stats;
	struct worker_replace_log replace_log;
	struct worker_tls *tls;		/* NULL: plain TCP (worker/tls.h) */
	const struct worker_tls_ops *tls_ops;	/* NULL in dnp3d-worker */
	uint64_t	 cold_restarts;	/* the outstation's counts, published */
	uint64_t	 warm_restarts;
};

/* setup.c */
int	worker_recv_config(int chan, struct outstation_config *cfg);
/*
 * Fatal on failure. state_fd: the state region (-1: none, the outstation
 * is allocated); discard: why the listener wants its state not kept, or
 * NULL.
 */
void	worker_init(struct worker *w, int chan,
	    const struct outstation_config *cfg, int state_fd,
	    const char *discard);
/* What worker_init allocated. The worker exits instead; the tests free,
   so that the sanitizer build sees no leak. */
void	worker_free(struct worker *w);

/*
 * start.c: from exec to "ready": checks the inherited channel, takes the
 * configuration, joins the bus, locks down, says CHAN_READY; fatal on
 * failure. hook, when not NULL, runs once the configuration is in, before
 * the bus and the lockdown (the test harness, tests/attack/). tls: the
 * TLS side (worker_tls_ops of dnp3d-worker-tls), or NULL in a program
 * without OpenSSL, which then refuses an outstation of a server with tls.
 */
void	worker_start(struct worker *w, const struct worker_tls_ops *tls,
	    void (*hook)(struct worker *), const char *discard);

/* run.c: main() of dnp3d-worker (tls NULL) and dnp3d-worker-tls. */
int	worker_main(int argc, char **argv, const char *name,
	    const struct worker_tls_ops *tls);

/*
 * state.c: the outstation in the state region on fd (fatal when it is
 * not one of the right size), kept when it passes the checks and discard
 * is NULL; worker_state_report() publishes the `restarted` event once the
 * bus is there.
 */
struct outstation *worker_state_open(int fd,
	    const struct outstation_params *p, const char *discard);
bool	worker_state_kept(void);
/* Tells the listener whether the state was kept (CHAN_STATE). */
void	worker_state_tell(const struct worker *w);
void	worker_state_report(struct worker *w);
void	worker_state_close(void);

/* lockdown.c: the one place where the worker gives up privileges. */
void	worker_lockdown(const struct worker *w);

/* loop.c */
int	worker_loop(struct worker *w);

/* conn.c */
/* A new master: adopted, or with accept = "keep" and a master
   connected, closed at once and reported. */
void	worker_conn_adopt(struct worker *w, int fd, const struct handoff *h);
void	worker_conn_close(struct worker *w, enum worker_disc why);
ssize_t	worker_conn_recv(struct worker *w, uint8_t *in, size_t cap,
	    uint64_t now);
void	worker_conn_consume(struct worker *w, size_t n);
void	worker_conn_flush(struct worker *w);
bool	worker_conn_can_read(const struct worker *w);
void	worker_conn_keep_alive(struct worker *w, uint64_t now);
void	worker_conn_tell_listener(struct worker *w);
/* What the listener is still to be told (tell_pending, refuse_pending),
   when the channel has room. */
void	worker_conn_send_news(struct worker *w);
/* With TLS: the handshake is done (connected), or it failed (closed). */
void	worker_conn_established(struct worker *w);
void	worker_conn_tls_failed(struct worker *w, const char *reason);
/* The poll events for the master's socket; true when reading is due
   without waiting for one (bytes decrypted and not yet taken). */
short	worker_conn_events(const struct worker *w);
bool	worker_conn_ready_now(const struct worker *w);

/* app.c: the outstation's stack behind the connection. */
void	worker_app_read(struct worker *w, uint64_t now);
void	worker_app_send(struct worker *w, const struct os_output *o);
void	worker_app_tick(struct worker *w, uint64_t now);
void	worker_app_timer(struct worker *w);

/* report.c: what happened to the connection, logged and on the bus. */
const char *worker_disc_name(enum worker_disc why);
void	worker_report_connected(struct worker *w);
/* The loop's hook for WTIMER_REPLACE_LOG: the summary line, if due. */
void	worker_report_tick(struct worker *w, uint64_t now);
/* report_tls.c: a handshake that failed, and why. */
void	worker_report_tls_failed(struct worker *w, const char *reason);
void	worker_report_disconnected(struct worker *w, enum worker_disc why);
/* accept = "keep": the master of h was closed at once (rejected event). */
void	worker_report_refused(struct worker *w, const struct handoff *h);
/* discarded: bytes the parser dropped since the last one reported. */
void	worker_report_link_error(struct worker *w, enum link_err err,
	    uint64_t discarded, bool closed);
/* A frame dropped for its destination (other_dest) or its source. */
void	worker_report_address(struct worker *w, const struct link_header *h,
	    bool other_dest, size_t frame_size);
void	worker_report_user_data(struct worker *w, size_t len, uint16_t src,
	    bool broadcast);
/* restart_report.c: a master's cold or warm restart, once each. */
void	worker_report_restarts(struct worker *w);

/* status.c: the answer to a status request (id: the request's, -1), and
   the last error it shows (text is copied). */
void	worker_status_answer(struct worker *w, int64_t id);
void	worker_status_error(struct worker *w, const char *text);

#endif
