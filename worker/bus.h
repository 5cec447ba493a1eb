#ifndef DNP3D_WORKER_BUS_H
#define DNP3D_WORKER_BUS_H

/*
 * The worker's side of the bus (bus/client.h does the work): it joins the
 * listener's hub before the lockdown, publishes its events, and applies
 * the point updates addressed to its outstation.
 *
 * The ipc:// path is resolved when nanomsg connects: after the chroot it
 * no longer exists, so a worker cannot rejoin a hub that went away. The
 * hub lives as long as the listener, and the worker dies with the
 * listener (PR_SET_PDEATHSIG), so they always restart together.
 */
#include <stddef.h>
#include <stdint.h>

#include "bus/event.h"
#include "bus/update.h"
#include "common/config.h"

#define WORKER_BUS_WAIT_MS	3000	/* to join the hub at start */
#define WORKER_BUS_BURST	64	/* messages taken per poll round */

struct outstation;
struct worker;

/*
 * After worker_init(), before worker_lockdown(): hooks the outstation's
 * controls to the bus, joins w->cfg.bus as member w->cfg.name and waits
 * (at most WORKER_BUS_WAIT_MS) until the hub has it. A failure is logged
 * and the worker serves without the bus (controls = "bus" then answer
 * TIMEOUT). 0 or -1.
 */
int	worker_bus_open(struct worker *w);
void	worker_bus_close(void);

/* The bus fd to poll for POLLIN, -1 without a bus. */
int	worker_bus_fd(void);

/* The poll loop's handler for worker_bus_fd(): takes what waits (at most
   WORKER_BUS_BURST messages), applies updates, answers bad ones. */
void	worker_bus_ready(struct worker *w, int fd, short revents,
	    uint64_t now);

/* bus_control.c: the outstation's control hook (arg: the worker), and
   an application's answer to control request id (now: timer_now()). */
struct os_control;
void	worker_bus_control_hook(void *arg, const struct os_control *c);
void	worker_bus_control_answer(struct worker *w, int64_t id,
	    uint8_t status, uint64_t now);

/* Publish an event (stamps source, seq, time). -1 without a bus. */
int	worker_bus_emit(struct bus_event *ev);

/* Before the process ends: nanomsg's thread sends in the background, so
   give it WORKER_BUS_FLUSH_MS for the last events (no way to ask it). */
#define WORKER_BUS_FLUSH_MS	50
void	worker_bus_flush(void);

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
