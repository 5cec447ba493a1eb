#ifndef DNP3D_LISTENER_SUPERVISE_H
#define DNP3D_LISTENER_SUPERVISE_H

/*
 * Supervision of the workers: one dnp3d-worker process per outstation,
 * started by proc_spawn(), given its configuration over a SOCK_SEQPACKET
 * socketpair, routed to once it has said it is ready, restarted with
 * backoff when it dies, and stopped (bounded) at shutdown.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/config.h"
#include "ipc/channel.h"
#include "ipc/handoff.h"
#include "listener/ledger.h"

#define SUPERVISE_BACKOFF_MIN_MS	100
#define SUPERVISE_BACKOFF_MAX_MS	5000
#define SUPERVISE_STABLE_MS		10000	/* ran this long: reset backoff */
#define SUPERVISE_STOP_WAIT_MS		2000	/* then SIGKILL */
#define SUPERVISE_START_WAIT_MS		10000	/* "ready" by then, or killed */
#define SUPERVISE_PING_EARLY		10	/* a ping may go liveness/10 early */
#define SUPERVISE_DRAIN_MAX		64	/* records read from a dead worker */
#define SUPERVISE_EVENTS_MAX		128	/* workers served per wake-up */
/* Records read per readable event: more than a full ledger can justify
 * (two reports per hand-off), so a healthy worker's reports keep up with
 * an accept burst; a liar is dropped at its first lie. */
#define SUPERVISE_CHAN_BURST		(2 * LEDGER_PENDING_MAX + 2)

enum wproc_state {
	WPROC_IDLE,		/* not running, no restart planned */
	WPROC_STARTING,		/* running, not ready yet */
	WPROC_READY,		/* running, takes connections */
	WPROC_DEAD,		/* channel gone, not reaped yet */
	WPROC_BACKOFF		/* reaped; restart at restart_at */
};

struct wproc {
	const struct outstation_config *cfg;
	enum wproc_state state;
	pid_t		 pid;		/* 0 when not running */
	int		 chan;		/* socket to the worker, -1 when closed */
	int		 chan_in;	/* pipe from the worker (no descriptors
					   can travel on it), -1 when closed */
	uint64_t	 started_at;	/* monotonic ms */
	uint64_t	 restart_at;
	uint32_t	 backoff_ms;	/* delay before the next restart */
	uint32_t	 restarts;
	struct ledger	 ledger;	/* hand-offs made, checked against
					   its CHAN_MASTER reports */
	const char	*killed_for;	/* why the listener killed it */
	/* Liveness (supervise_live.c). */
	uint32_t	 liveness_ms;
	int		 unread;	/* bytes it has not read (SIOCOUTQ) */
	uint64_t	 stall_since;	/* 0, or since when unread > 0 has
					   not shrunk */
	uint64_t	 last_sent;	/* last record sent to it */
	/* The state region (state.c), never mapped here. */
	int		 state_fd;	/* the memfd, -1 before the first start */
	size_t		 state_len;	/* its size, sealed */
	bool		 state_refused;	/* its saved copy was refused: the next
					   worker says so */
	int8_t		 resumed;	/* CHAN_STATE: 1 this worker resumed a
					   kept state, 0 it started clean, -1
					   not said (yet) */
	uint32_t	 quick_exits;	/* of workers that resumed, in a row,
					   each within the window */
	/* The master's socket of a worker that died, for the next one. */
	int		 held_fd;	/* -1: none */
	struct handoff	 held;
};

struct supervisor {
	struct wproc	*w;		/* one per outstation, same index */
	size_t		 count;
	int		 epfd;		/* the workers' pipes, by index: one
					   poll entry for all of them */
	char		 path[4096];	/* the dnp3d-worker program */
	char		 path_tls[4096];	/* dnp3d-worker-tls */
	int		 verbose;	/* passes -d on */
	bool		 stopping;
	bool		 announced;	/* "all ready" reported once */
	uint32_t	 max_pending;	/* hand-offs in flight per worker */
};

uint64_t supervise_now(void);

/*
 * Finds dnp3d-worker: $DNP3D_WORKER, else next to this program
 * (/proc/self/exe), else ../libexec/dnp3d/ from there; and so
 * dnp3d-worker-tls ($DNP3D_WORKER_TLS) into tls. 0, or -1 after logging
 * what was tried.
 */
int	 supervise_find_worker(char *path, char *tls, size_t len);
/* The same for program name, with environment variable var. */
int	 supervise_find_program(const char *name, const char *var,
	    char *path, size_t len);
/* The same, once: 0 at once when path holds what was found before; path
   stays empty when it is not found. */
int	 supervise_find_program_once(const char *name, const char *var,
	    char *path, size_t len);

/* Allocates the table; starts nothing. 0 or -1 (logged). */
int	 supervise_init(struct supervisor *s, const struct dnp3d_config *cfg,
	    const char *path, const char *path_tls, int verbose);
void	 supervise_free(struct supervisor *s);

/* Starts every worker (first start: no delay). */
void	 supervise_start_all(struct supervisor *s);
/* Starts one worker now (a reload's new or changed outstation). */
void	 supervise_start(struct supervisor *s, struct wproc *w);
/* An entry that runs nothing (w->cfg is the caller's to set). */
void	 supervise_wproc_init(struct wproc *w);

/*
 * A worker's channel is readable (or a hand-off is about to be refused
 * for the pending bound): handles "ready" and "master" (which master it
 * serves, if any), drops a bad worker.
 */
void	 supervise_chan_event(struct supervisor *s, struct wproc *w);
/* The workers whose pipes epfd says are readable: their records, a burst
   each, at most SUPERVISE_EVENTS_MAX workers a call (the others stay
   readable for the next). */
void	 supervise_chan_events(struct supervisor *s);
/* Every running worker's pipe in epfd under its index in the table (after
   a reload moved them). */
void	 supervise_watch_all(struct supervisor *s);

/* A worker ended: the CHAN_MASTER records it left unread, then nothing. */
void	 supervise_chan_drain(struct wproc *w);

/* Closes both halves of the worker's channel. */
void	 supervise_chan_close(struct wproc *w);

/* SIGCHLD: reaps every exited worker and plans its restart. */
void	 supervise_reap(struct supervisor *s);

/* Restarts the workers whose backoff has run out; kills a worker that
 * has not said "ready" within SUPERVISE_START_WAIT_MS. */
void	 supervise_tick(struct supervisor *s, uint64_t now);

/* poll(2) timeout until the next restart or start deadline, -1 if none. */
int	 supervise_timeout(const struct supervisor *s, uint64_t now);

bool	 supervise_all_ready(const struct supervisor *s);

/* Once every worker and the bus hub are ready: "N outstations ready" in
   the log and READY=1 to systemd. Called when either gets ready. */
void	 supervise_announce_ready(struct supervisor *s);

/*
 * Shutdown: tells every worker to stop (CHAN_STOP, then the channel is
 * closed), waits up to SUPERVISE_STOP_WAIT_MS for them to exit (sigfd is
 * the listener's signalfd, with SIGCHLD), then SIGKILLs and reaps the rest.
 */
void	 supervise_shutdown(struct supervisor *s, int sigfd);

/*
 * supervise_retire.c: a reload ends the n workers w[] (changed or removed
 * outstations): each gets CHAN_STOP with why[i] (enum chan_stop_why,
 * which it tells its master), is waited for, SIGKILLed after
 * SUPERVISE_STOP_WAIT_MS, and reaped by its pid; then it is IDLE and not
 * restarted. Blocks at most twice SUPERVISE_STOP_WAIT_MS; other workers
 * serve their masters meanwhile (the listener is not in their path).
 */
void	 supervise_retire(struct wproc *const *w, const uint8_t *why,
	    size_t n);

/*
 * The connection of the master a dead worker served (plain TCP: the
 * ledger kept the listener's copy) outlives it. Keep: at its death, the
 * copy is taken (else the master is reported lost) and the ledger's
 * others closed. Hand back: once the next worker is ready, the socket is
 * its first hand-off, flagged resumed, so that it goes on where its
 * predecessor stopped (a confirm of its response counts). Drop: the
 * outstation stops or is retired, or its workers crash-loop; every copy
 * is closed.
 */
void	 supervise_keep_master(struct supervisor *s, struct wproc *w);
void	 supervise_hand_back(struct wproc *w);
void	 supervise_drop_masters(struct wproc *w);
/* state_crash_loop() for the next start; in a crash loop the kept
   master is dropped too: its bytes may be what kills the workers. */
bool	 supervise_crash_loop(struct wproc *w);

/* SIGKILLs a worker that broke the rules; why goes into its exit event. */
void	 supervise_kill(struct wproc *w, const char *why);

/*
 * supervise_live.c: a worker must read what the listener sends within its
 * worker_liveness_ms, or it is killed as "unresponsive". Every record to a
 * running worker goes through supervise_send(), which keeps the books.
 */
int	 supervise_send(struct wproc *w, enum chan_type type,
	    const void *data, size_t len, int fd);
void	 supervise_live_start(struct wproc *w, uint64_t now);
void	 supervise_live_tick(struct wproc *w, uint64_t now);
uint64_t supervise_live_deadline(const struct wproc *w);

/*
 * state.c: each outstation's state region, a memfd of the size its
 * configuration needs, sealed (no grow, no shrink, no more seals),
 * created before its first worker and passed to every worker after the
 * channel; the listener never maps or reads it. With restore, what
 * state_store_save() left for the outstation is copied in first (see
 * state_store_load()). 0, or -1 (logged).
 */
int	 state_region_create(struct wproc *w, bool restore);
/*
 * A worker ended at now: counts it if it came soon after its start and
 * the worker had resumed a kept state, or died before saying whether it
 * had (perhaps while resuming it); any other exit ends the count. A
 * worker that dies again and again but starts clean each time is left to
 * the restart backoff.
 */
void	 state_note_exit(struct wproc *w, uint64_t now);
/* Whether a worker that ends now ran less than state.crash_window_ms. */
bool	 state_quick_exit(const struct wproc *w, uint64_t now);
/* CHAN_STATE from w: -1 when not what w may say now. */
int	 state_told(struct wproc *w, const uint8_t *data, size_t len);
/* The next worker is to start clean (a crash loop); the count restarts. */
bool	 state_crash_loop(struct wproc *w);
void	 state_region_close(struct wproc *w);

/*
 * state_store.c: the regions across a restart of dnp3d, in the state
 * directory (state_dir). Open: before the lockdown, 0 or -1 (logged).
 * Restore: at the start, before the first workers, every outstation's
 * region from its saved file (the file is removed; files of outstations
 * no longer configured too). Load: the saved bytes of w into memfd
 * (len bytes, not sealed yet); a file of the wrong size sets
 * w->state_refused. Save: at shutdown, once the workers have ended.
 */
int	 state_store_open(const struct dnp3d_config *cfg);
void	 state_store_restore(struct supervisor *s);
void	 state_store_load(struct wproc *w, int memfd, size_t len);
void	 state_store_save(struct supervisor *s);

/* The delay before a restart of a process started at started_at that
   ended at now: *backoff_ms, which doubles (up to the maximum) unless it
   ran SUPERVISE_STABLE_MS. */
uint32_t supervise_backoff(uint32_t *backoff_ms, uint64_t started_at,
	    uint64_t now);

/* "exited with status 1", "killed by seccomp (SIGSYS)", ... */
const char *supervise_status_str(int status, char *buf, size_t len);

#endif
