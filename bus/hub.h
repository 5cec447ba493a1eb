#ifndef DNP3D_BUS_HUB_H
#define DNP3D_BUS_HUB_H

/*
 * The bus hub, run by the listener: one raw NN_BUS socket (AF_SP_RAW)
 * bound to every bus endpoint, forwarding each message to every other
 * member (nn_device semantics, but driven from the listener's own poll
 * loop through NN_RCVFD, since nn_device blocks).
 *
 * The listener publishes its own events by injecting them into the hub
 * (bus_hub_emit): a message sent on the raw socket without a header goes
 * to every member. No second socket, no loop back through ipc.
 *
 * Workers join a second, internal socket (bus_hub_open_workers): a
 * client's message goes to the other clients and to every worker, a
 * worker's message to the clients only, the listener's events to the
 * clients only. Workers never hear each other.
 *
 * The hub also checks the envelope of every "op" message it forwards and
 * publishes the `error` event for those that are bad (see update.h).
 *
 * nanomsg is not fork-safe: open the hub after the last fork+exec setup,
 * never in a process that forks without exec afterwards.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bus/event.h"

struct bus_hub;

/* Bind urls[0..n). An ipc:// socket file gets mode 0660 (see
   bus_ipc_restrict). A tcp:// endpoint that is not on a loopback address
   is allowed with a warning. NULL with err filled on failure. */
struct bus_hub *bus_hub_open(const char *const *urls, size_t n,
    char *err, size_t errlen);

/* The workers' side: bind url, an ipc:// socket file created with mode
   0600 (the listener's own user only; workers join it before they drop
   root), on a second raw bus socket. At most once. 0, or -1 with err
   filled (the clients' side stays open). */
int bus_hub_open_workers(struct bus_hub *, const char *url,
    char *err, size_t errlen);

/* The fd to poll for POLLIN (an epoll fd over both sides' NN_RCVFD);
   readable while messages wait. */
int bus_hub_fd(const struct bus_hub *);

/* Forward pending messages without blocking, at most BUS_HUB_BATCH from
   each side per call (call again when the fd is still readable).
   Returns how many. */
#define BUS_HUB_BATCH	64
int bus_hub_forward(struct bus_hub *);

/* known(name, arg) tells the hub which outstations exist, for the
   "unknown outstation" error. Without it, no name is judged unknown. */
void bus_hub_set_known(struct bus_hub *,
    int (*known)(const char *name, void *arg), void *arg);

/* A known() for bus_hub_set_known: arg is the listener's
   struct dnp3d_config *; a name is known if any outstation has it. */
int bus_known_in_config(const char *name, void *dnp3d_config);

/* Publish the listener's own event to the clients: stamps source "listener", the next
   seq and the current time. 0, or -1 (logged) if it could not be sent. */
int bus_hub_emit(struct bus_hub *, struct bus_event *ev);

/* Send a prepared message to every client (not to the workers). 0 or -1. */
int bus_hub_publish(struct bus_hub *, const char *msg, size_t len);

void bus_hub_close(struct bus_hub *);

/*
 * Access control for an ipc:// endpoint: chmod the socket file to mode
 * and, if gid != (gid_t)-1, chown it to root:gid (the runtime directory
 * itself should be 0750 root:dnp3d). Not an ipc:// url: 0, nothing done.
 * 0 or -1 with err filled.
 */
int bus_ipc_restrict(const char *url, mode_t mode, gid_t gid,
    char *err, size_t errlen);

/* ipc://, inproc:// and tcp:// on 127.0.0.0/8 or ::1 are local; any
   other url (tcp:// on "*", tcp://eth0:5555, tcp://10.0.0.1:5555) is not. */
bool bus_url_is_local(const char *url);

#endif
