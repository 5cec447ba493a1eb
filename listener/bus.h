#ifndef DNP3D_LISTENER_BUS_H
#define DNP3D_LISTENER_BUS_H

/*
 * The listener's side of the bus (bus/hub.h does the work): who may join,
 * opening the hub, forwarding from the poll loop, and the hub the event
 * hooks of proc_events.c publish on.
 *
 * Order in main(), because of nanomsg's thread and capabilities:
 *	proc_prepare_rundir()		runtime directory exists
 *	listener_bus_prepare()		runtime dir 0750 root:<service group>
 *	server_bind_all(), policy_restrict_listener()	(one thread only)
 *	listener_bus_open()		first nn_socket(): nanomsg's thread
 *	supervise_start_all()		workers join the hub before lockdown
 *
 * Two sockets: the public hub on the configured bus endpoints (0660,
 * the service group) for clients, and ipc://<runtime_dir>/workers.ipc
 * (0600, the listener's user) for the workers only. A client's message
 * reaches the other clients and every worker; a worker's reaches the
 * clients only; the listener's own events reach the clients.
 *
 * A worker resolves the ipc:// path only while it connects, before its
 * chroot: workers cannot rejoin a hub that went away. The hub lives as
 * long as the listener, and workers die with the listener, so both always
 * restart together.
 */
#include <sys/types.h>

#include "common/config.h"

struct bus_hub;

/*
 * Before policy_restrict_listener() (it needs CAP_CHOWN as root): looks
 * up the service group (the workers' user's primary group) and gives the
 * runtime directory mode 0750 and, as root, group <service group>. A
 * directory writable by others (such as /tmp) is left alone, with a
 * warning. 0, or -1 after logging why.
 */
int	listener_bus_prepare(const struct dnp3d_config *cfg);

/*
 * After policy_restrict_listener(), before the first worker starts: binds
 * every bus endpoint of cfg (ipc sockets 0660, group the service group)
 * and the workers' endpoint of cfg->outstations (0600), and judges "unknown outstation" against cfg, which must outlive the
 * hub. 0, or -1 after logging why.
 */
int	listener_bus_open(struct dnp3d_config *cfg);

/* The hub's fd to poll for POLLIN, -1 when no hub is open. */
int	listener_bus_fd(void);

/* The fd was readable: forward what waits (bounded per call). */
void	listener_bus_forward(void);

/* The open hub, or NULL: the event hooks publish on it. */
struct bus_hub *listener_bus_hub(void);

/* The service group found by listener_bus_prepare(), (gid_t)-1 if none. */
gid_t	listener_bus_gid(void);

/* At shutdown, once the workers are gone: forwards what is still on
   the way and gives nanomsg's thread time to send it (until 50 ms pass
   quietly, 500 ms at most), then closes the hub. */
void	listener_bus_close(void);

#endif
