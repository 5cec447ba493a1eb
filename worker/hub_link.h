#ifndef DNP3D_WORKER_HUB_LINK_H
#define DNP3D_WORKER_HUB_LINK_H

/*
 * The worker's side of the bus: a SOCK_SEQPACKET socket whose other end
 * the hub (dnp3d-hub) holds; the listener made the pair and passes the
 * worker's end on the channel (CHAN_BUS), again whenever the hub or the
 * worker restarted. The worker publishes its events on it and gets the
 * messages addressed to its outstation -- only those: the hub routes by
 * name, so no other outstation's traffic reaches it. No nanomsg here.
 */
#include <stddef.h>
#include <stdint.h>

#include "bus/event.h"
#include "bus/update.h"
#include "common/config.h"

#define WORKER_BUS_BURST	64	/* messages taken per poll round */

struct outstation;
struct worker;

/*
 * After worker_init(), before worker_lockdown(): hooks the outstation's
 * controls to the bus and opens what the bus code needs from the
 * filesystem. Until a socket is attached, events are not sent (controls
 * = "bus" then answer TIMEOUT). 0.
 */
int	worker_bus_open(struct worker *w);
/* The socket from CHAN_BUS, replacing the one before. */
void	worker_bus_attach(int fd);
void	worker_bus_close(void);

/* The bus socket to poll for POLLIN, -1 without one. */
int	worker_bus_fd(void);

/* The poll loop's handler for worker_bus_fd(): takes what waits (at most
   WORKER_BUS_BURST messages), applies updates, answers bad ones. */
void	worker_bus_ready(struct worker *w, int fd, short revents,
	    uint64_t now);

/* Who takes an application's answer to control request id (now:
   timer_now()); set by worker_bus_control_init(). */
typedef void (*worker_bus_answer_fn)(struct worker *w, int64_t id,
	    uint8_t status, uint64_t now);
void	worker_bus_set_answer(worker_bus_answer_fn fn);
/* Who answers a status request (status.c, set by worker_start()). */
typedef void (*worker_bus_status_fn)(struct worker *w, int64_t id);
void	worker_bus_set_status(worker_bus_status_fn fn);

/* bus_control.c: controls = "bus". Init hooks the outstation's controls
   (published as control_request) and takes the answers from the hub. */
struct os_control;
void	worker_bus_control_init(struct worker *w);
void	worker_bus_control_hook(void *arg, const struct os_control *c);
void	worker_bus_control_answer(struct worker *w, int64_t id,
	    uint8_t status, uint64_t now);
/* Publishes the control events held back until the response was
   written: after each read, and before any other event. */
void	worker_bus_control_flush(void);
/* Who publishes held-back events before another is published. */
void	worker_bus_set_held(void (*fn)(void));

/* Publish an event (stamps source, seq, time). -1 without a bus. */
int	worker_bus_emit(struct bus_event *ev);


/*
 * One inbound message for outstation cfg->name, without I/O: decodes it
 * (bus_update_decode) and, when good, applies every update to os with
 * outstation_update(); time_ms (DNP3 time) stamps updates without one.
 * Returns BUS_DECODE_OK (*in says what it was), BUS_DECODE_IGNORE (not
 * for this outstation, or an event), or -code (enum bus_msg_error) with
 * err filled and nothing applied.
 */
int	worker_bus_apply(struct outstation *os,
	    const struct outstation_config *cfg, const char *msg, size_t len,
	    uint64_t time_ms, struct bus_inbound *in, char *err, size_t errlen);

#endif
