#ifndef DNP3D_TOOLS_COLLECT_H
#define DNP3D_TOOLS_COLLECT_H

#include <signal.h>
#include <stdint.h>

#include "status.h"

struct bus_client;

/* Asks (op status, id) and fills r with the answers that come within
   timeout_ms, or until *stop. 0, or -1 when the bus failed. */
int	status_collect(struct bus_client *c, struct status_report *r,
	    int64_t id, int timeout_ms, volatile sig_atomic_t *stop);

#endif
