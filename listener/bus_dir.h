#ifndef DNP3D_LISTENER_BUS_DIR_H
#define DNP3D_LISTENER_BUS_DIR_H

/*
 * Who may join the bus: the runtime directory is 0750 root:<service
 * group> and the hub (listener/hub.h) creates the bus socket 0660 in that
 * group.
 *
 * Order in main():
 *	proc_prepare_rundir()		runtime directory checked, open
 *	listener_bus_prepare()		0750 root:<service group>
 *	server_bind_all(), policy_restrict_listener()
 *	listener_hub_start()		dnp3d-hub binds the bus endpoints
 *	supervise_start_all()
 */
#include <sys/types.h>

#include "common/config.h"

/*
 * Before policy_restrict_listener(): looks up the service group (the
 * workers' user's primary group) and gives the runtime directory dirfd
 * mode 0750 and, as root, group <service group>. 0, or -1 after logging
 * why.
 */
int	listener_bus_prepare(const struct dnp3d_config *cfg, int dirfd);

/*
 * On SIGHUP, before the reload is reported: systemd gives a unit's
 * RuntimeDirectory back to its user and group (root:root) whenever it
 * runs a command of the unit, so ExecReload took the bus from the service
 * group. The directory and the bus sockets in it get the group again (a
 * socket the hub has not bound yet is left to it). A reload cannot change
 * runtime_dir or the buses, so the configuration in force names them.
 */
void	listener_bus_refresh(const struct dnp3d_config *cfg, int dirfd);

/* The service group found by listener_bus_prepare(), (gid_t)-1 if none. */
gid_t	listener_bus_gid(void);

#endif
