#ifndef DNP3D_POLICY_MQTT_H
#define DNP3D_POLICY_MQTT_H

/*
 * The sandbox of dnp3-mqtt, the bridge between the bus and an MQTT
 * broker (see SECURITY.md, "The MQTT bridge"). Two steps, because the
 * bus and the broker client are created between them:
 *
 *	policy_mqtt_become(user)	as root: become user, no capability
 *	... bus_client_open(), broker client ...
 *	policy_mqtt_lockdown()		no_new_privs, rlimits, seccomp
 *
 * Both return 0, or -1 with a one-line reason in err.
 */
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * As root: become user (its uid, gid and supplementary groups -- the
 * group that may enter dnp3d's runtime directory), with the bounding set
 * and every capability set emptied. A user that does not exist or has
 * uid or gid 0 is refused: the bridge never runs as root. Not root: the
 * capability sets are cleared and the process stays who it is.
 */
int	policy_mqtt_become(const char *user, char *err, size_t errlen);

/*
 * no_new_privs, not dumpable, rlimits (NPROC 0, CORE 0, NOFILE 64), and
 * the allowlist of policy_mqtt_filter() for every thread (TSYNC).
 */
int	policy_mqtt_lockdown(char *err, size_t errlen);

/*
 * The bridge's allowlist: the worker's kind of list, plus what a network
 * client needs: socket(AF_UNIX, AF_INET, AF_INET6) of type SOCK_STREAM,
 * connect, and the socket options of nanomsg and libmosquitto. No bind,
 * listen, accept, no file opened, no exec. kill/tgkill only for self.
 */
scmp_filter_ctx	policy_mqtt_filter(uint32_t extra_arch, pid_t self,
		    char *err, size_t errlen);

#endif
