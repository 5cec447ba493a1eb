#ifndef DNP3D_STOP_SIGNALS_H
#define DNP3D_STOP_SIGNALS_H

/*
 * How the tools stop: SIGINT and SIGTERM set a flag (no SA_RESTART, so a
 * poll in progress returns), SIGPIPE is ignored. nanomsg starts a thread
 * with its first socket, and a signal taken by that thread would set the
 * flag without waking our poll: so both stay blocked from catch until
 * release, across the opening of the bus (the thread inherits the mask),
 * and are then taken by the main thread only.
 */
#include <signal.h>

/* The handlers for *flag, with SIGINT and SIGTERM blocked (into *held). */
void	stop_signals_catch(volatile sig_atomic_t *flag, sigset_t *held);
/* Unblock what catch blocked, in this thread. */
void	stop_signals_release(const sigset_t *held);

#endif
