#ifndef DNP3D_TESTS_LIB_ATTACK_H
#define DNP3D_TESTS_LIB_ATTACK_H

/*
 * The compromised-worker harness: a program the listener execs in place of
 * dnp3d-worker ($DNP3D_WORKER) runs the real start-up and lockdown
 * (attack_start), then attacks instead of serving. Everything it reports
 * goes to the worker's stderr, which is the listener's log:
 *
 *	dnp3d-worker[PID] NAME: info: attack VECTOR: WHAT: RESULT
 *
 * and the test asserts on those lines and on how the listener saw the
 * worker end ("killed by seccomp (SIGSYS)").
 *
 * Environment (set by the test for the listener, inherited by workers):
 *	DNP3D_ATTACK_TARGET	the outstation that attacks; every other one
 *				serves as a real worker does
 *	DNP3D_ATTACK		comma-separated vectors, one per start of the
 *				target: the Nth start runs the Nth vector
 *				(counted in DNP3D_ATTACK_DIR), later starts
 *				serve
 *	DNP3D_ATTACK_DIR	the test's temporary directory (read before
 *				the lockdown: the start counter, victim.pid)
 *	DNP3D_ATTACK_NO_LANDLOCK=1
 *				hide Landlock from the lockdown (ENOSYS), as
 *				on a kernel before 6.12 such as Debian 12's
 *				6.1: what is left is seccomp alone
 */
#include <stdbool.h>
#include <sys/types.h>

#include "worker/tls.h"
#include "worker/worker.h"

struct attack {
	struct worker	 w;
	char		 vector[32];	/* "" when this worker serves */
	pid_t		 victim;	/* from victim.pid, 0 if none */
	int		 port;		/* $DNP3D_ATTACK_PORT, 0 if unset */
};

/* Real start-up and lockdown; picks this start's vector. Fatal on error. */
void	 attack_start(struct attack *a, int argc, char **argv);

/* One report line (see above), with the vector's name in front. */
void	 attack_say(const struct attack *a, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* "what: result" for a call that returned rc: "ok" or strerror(errno). */
void	 attack_result(const struct attack *a, const char *what, long rc);

/*
 * Says "waiting for a master", then waits (at most 30 s) for the listener
 * to hand one over; returns its socket. The worker exits 2 without one.
 */
int	 attack_wait_master(struct attack *a);

#endif
