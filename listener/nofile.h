#ifndef DNP3D_LISTENER_NOFILE_H
#define DNP3D_LISTENER_NOFILE_H

/*
 * The listener's open files grow with the outstations: per worker its
 * channel, the pipe of the worker's records, the state region and the
 * master socket it keeps, and hand-offs in flight. At start the soft
 * RLIMIT_NOFILE is raised as far as the configuration needs (never past
 * the hard limit); a hard limit too low for it is refused at start, not
 * found at the thousandth worker.
 */
#include <stddef.h>
#include <sys/resource.h>

#define NOFILE_PER_WORKER	5
#define NOFILE_SPARE		256	/* listen sockets, the hub, the
					   classifier, relays, logs */

/* Open files the listener may need for this many outstations. */
rlim_t	nofile_need(size_t outstations);

/* Raises the soft limit to nofile_need() when it is lower: 0, or -1 with
   why in err when the hard limit does not allow it. */
int	nofile_raise(size_t outstations, char *err, size_t errlen);

#endif
