#ifndef DNP3D_BUS_ACCESS_H
#define DNP3D_BUS_ACCESS_H

/*
 * Who may join the bus: the socket files of ipc:// endpoints (in the
 * runtime directory, handled through its descriptor) and whether a tcp://
 * endpoint is on loopback.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The socket file name of url relative to the runtime directory rundir:
 * for "ipc://<rundir>/bus.ipc" a pointer to "bus.ipc" inside url. NULL
 * when url is not ipc:// or its file is not directly in rundir.
 */
const char *bus_ipc_name(const char *url, const char *rundir);

/*
 * Access control for the socket file name in the directory dirfd: it must
 * be a socket (not followed if it is a symlink); chmod it to mode and, if
 * gid != (gid_t)-1, chown it to that group. 0 or -1 with err filled.
 */
int bus_ipc_restrict_at(int dirfd, const char *name, mode_t mode, gid_t gid,
    char *err, size_t errlen);

/* ipc://, inproc:// and tcp:// on 127.0.0.0/8 or ::1 are local; any
   other url (tcp:// on "*", tcp://eth0:5555, tcp://10.0.0.1:5555) is not. */
bool bus_url_is_local(const char *url);

#endif
