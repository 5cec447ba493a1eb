#ifndef DNP3D_WORKER_SESSION_H
#define DNP3D_WORKER_SESSION_H

/*
 * The glue between the link layer and the outstation: link user data goes
 * through transport reassembly to outstation_request(), and the response
 * fragment comes back as ready-to-write link frames. No I/O and no clock:
 * bytes and time in, bytes out, so it is tested without sockets.
 *
 * Everything is allocated once by session_init(), before the worker locks
 * itself down; nothing on the per-frame path allocates.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "dnp3/link/link.h"
#include "dnp3/outstation/outstation.h"
#include "dnp3/transport/transport.h"

struct session_stats {
	uint64_t	 fragments_in;	/* requests handed to the outstation */
	uint64_t	 fragments_out;	/* response fragments sent */
	uint64_t	 broadcast;	/* broadcast requests executed */
	uint64_t	 broadcast_dropped; /* broadcast requests refused */
	uint64_t	 overflow;	/* fragments that did not fit the output */
};

struct session {
	struct outstation *os;
	uint8_t		*rxbuf;		/* frag_rx bytes */
	struct transport_rx rx;
	struct transport_tx tx;
	size_t		 frames_max;	/* link frames of one frag_tx fragment */
	struct session_stats stats;
};

/*
 * Allocates the outstation and the reassembly buffer for cfg. now_ms is
 * the caller's monotonic clock, time_ms the DNP3 time (ms since 1970 UTC)
 * at that moment; demo values are loaded when cfg->demo_values. Returns 0,
 * or -1 after logging why.
 */
int	session_init(struct session *s, const struct outstation_config *cfg,
	    uint64_t now_ms, uint64_t time_ms);
void	session_free(struct session *s);

/* A new or closed master connection: database and events survive. */
void	session_reset(struct session *s);

/*
 * One link user data delivery (rx->deliver set). The response, if any,
 * is written as link frames from st to its remote into out[0..cap).
 * Returns the bytes written (0: nothing to send), or -1 when the frames
 * did not fit cap (the response is lost; the caller should close).
 * Broadcast requests are executed only when they ask for no response
 * (see broadcast_allowed()) and are never answered; the next response
 * carries IIN1.0.
 */
int	session_user_data(struct session *s, const struct link_station *st,
	    const struct link_rx *rx, uint64_t now_ms, uint8_t *out,
	    size_t cap);

/*
 * Any other outstation output (e.g. from outstation_control_answer()) as
 * link frames, the same way: bytes written, 0, or -1.
 */
int	session_output(struct session *s, const struct link_station *st,
	    const struct os_output *o, uint8_t *out, size_t cap);

/* outstation_tick(): timers and unsolicited responses, same output. */
int	session_tick(struct session *s, const struct link_station *st,
	    uint64_t now_ms, uint8_t *out, size_t cap);

/* When session_tick() is due (monotonic ms), 0 for never. */
uint64_t session_deadline(const struct session *s);

#endif
