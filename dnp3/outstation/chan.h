#ifndef DNP3D_DNP3_OUTSTATION_CHAN_H
#define DNP3D_DNP3_OUTSTATION_CHAN_H

/*
 * The outstation's protocol stack over one byte stream (one master
 * connection at a time): link parser and station, transport reassembly
 * and segmentation, and the outstation behind them. Bytes and time go in;
 * link frames to send, the next deadline and what happened come out. No
 * I/O, no clock, no log: the caller reads and writes the socket, runs the
 * timer and logs what it is told (worker/conn.c, tools' testos.c).
 *
 * Memory: outstation_chan_init() allocates the outstation, the
 * reassembly buffer and the frames kept for reuse once; nothing after it
 * allocates.
 *
 * Use:
 *	outstation_chan_init(&c, &params, address, master, mode);
 *	on a new master connection:	outstation_chan_reset(&c);
 *	(the same one, after a restart:	outstation_chan_resume(&c);)
 *	bytes read:	until MORE: ev = outstation_chan_feed(&c, in, len,
 *			    &used, now, out, cap, &e); in += used; ...
 *			e.out_len bytes were written to out (link replies and
 *			the response, e.response_len of them)
 *	at outstation_chan_deadline():	outstation_chan_tick(&c, now, out, cap)
 *	keep-alive:	outstation_chan_link_status(&c, out, cap)
 *	the outstation itself (point updates, controls): c.os
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/link/link.h"
#include "dnp3/outstation/outstation.h"
#include "dnp3/transport/transport.h"

struct outstation_chan_stats {
	uint64_t	 requests;	/* fragments handed to the outstation */
	uint64_t	 confirms;	/* of them, application confirms */
	uint64_t	 responses;	/* fragments sent (unsolicited too) */
	uint64_t	 unsolicited;	/* of them, unsolicited */
	uint64_t	 broadcasts;	/* broadcast requests executed */
	uint64_t	 broadcasts_ignored; /* broadcast requests refused */
	uint64_t	 overflows;	/* fragments that did not fit the output */
};

struct outstation_chan {
	struct outstation *os;
	bool		 os_owned;	/* outstation_chan_free() frees it */
	struct link_parser parser;
	struct link_station station;
	struct transport_rx rx;
	struct transport_tx tx;
	struct transport_reuse reuse;	/* the last response's frames */
	uint8_t		*rxbuf;		/* frag_rx bytes */
	size_t		 frames_max;	/* link frames of one frag_tx fragment */
	uint16_t	 address, master;
	enum link_error_mode mode;
	uint64_t	 discard_reported; /* parser's discarded count told */
	struct outstation_chan_stats stats;
};

/* What one outstation_chan_feed() call did. */
enum outstation_chan_ev {
	OUTSTATION_CHAN_MORE,		/* every input byte used */
	OUTSTATION_CHAN_LINK_ERROR,	/* a malformed frame; with
					   LINK_ERROR_CLOSE the connection is
					   to close (the error is sticky) */
	OUTSTATION_CHAN_DROPPED,	/* a frame not for this outstation or
					   not from its master */
	OUTSTATION_CHAN_FRAME,		/* a link frame, no request (yet) */
	OUTSTATION_CHAN_REQUEST,	/* a request the outstation handled */
	OUTSTATION_CHAN_CONFIRM,	/* an application confirm */
	OUTSTATION_CHAN_BROADCAST,	/* a broadcast request executed */
	OUTSTATION_CHAN_BROADCAST_IGNORED, /* one that asks for an answer */
	OUTSTATION_CHAN_OVERFLOW	/* the response did not fit out: it is
					   lost, the connection is to close */
};

struct outstation_chan_event {
	struct link_header hdr;		/* the frame's (but MORE, LINK_ERROR) */
	enum link_err	 err;		/* LINK_ERROR */
	uint64_t	 discarded;	/* LINK_ERROR: bytes dropped since the
					   last one reported */
	enum link_drop	 drop;		/* DROPPED: why */
	size_t		 frame_size;	/* DROPPED: its bytes on the wire */
	bool		 user_data;	/* the frame carried user data: */
	size_t		 data_len;	/*   its length */
	bool		 broadcast;	/*   to a broadcast address */
	int		 func;		/* a request's function code, or -1 */
	size_t		 out_len;	/* bytes written to out */
	size_t		 response_len;	/* of them, a response's frames */
};

/* Returns 0, or -1 for bad parameters or no memory. */
int	outstation_chan_init(struct outstation_chan *c,
	    const struct outstation_params *p, uint16_t address,
	    uint16_t master, enum link_error_mode mode);
/* The same around an outstation the caller made (outstation_init(),
   outstation_region_open()) and keeps; p are its parameters. */
int	outstation_chan_init_with(struct outstation_chan *c,
	    struct outstation *os, const struct outstation_params *p,
	    uint16_t address, uint16_t master, enum link_error_mode mode);
void	outstation_chan_free(struct outstation_chan *c);

/* A new master connection: link and transport start afresh, the
   outstation forgets the old connection (data and events stay). */
void	outstation_chan_reset(struct outstation_chan *c);
/*
 * The connection of a process that died, given to its successor (whose
 * outstation was attached in the same state region): link and transport
 * start afresh, the outstation keeps the response awaiting its confirm
 * and the fragments left, so a confirm the master sends now counts.
 */
void	outstation_chan_resume(struct outstation_chan *c);

/*
 * Takes bytes up to one link frame from in[0..len) (*used of them) and
 * writes what is to be sent into out[0..cap): the link reply, then the
 * response. cap must hold LINK_HEADER_LEN plus frames_max for a
 * response to fit. Call again with in + *used until MORE.
 */
enum outstation_chan_ev outstation_chan_feed(struct outstation_chan *c,
	    const uint8_t *in, size_t len, size_t *used, uint64_t now_ms,
	    uint8_t *out, size_t cap, struct outstation_chan_event *ev);

/*
 * An output of the outstation (outstation_control_answer()) as link
 * frames into out: bytes written, 0 for nothing to send, -1 when it did
 * not fit (lost; the connection is to close).
 */
int	outstation_chan_output(struct outstation_chan *c,
	    const struct os_output *o, uint8_t *out, size_t cap);

/* The outstation's timers and unsolicited responses, output as above. */
int	outstation_chan_tick(struct outstation_chan *c, uint64_t now_ms,
	    uint8_t *out, size_t cap);

/* When outstation_chan_tick() is due, 0 for never. */
uint64_t outstation_chan_deadline(const struct outstation_chan *c);

/* Request link status to the master (keep-alive): bytes or -1. */
int	outstation_chan_link_status(struct outstation_chan *c, uint8_t *out,
	    size_t cap);

#endif
