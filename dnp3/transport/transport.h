#ifndef DNP3D_DNP3_TRANSPORT_H
#define DNP3D_DNP3_TRANSPORT_H

/*
 * DNP3 transport function (IEEE 1815 clause 8): one header byte
 * FIN(0x80) FIR(0x40) SEQ(6 bits) in front of each link frame's user data;
 * up to 249 bytes of an application fragment per segment.
 *
 * Pure code: the fragment buffers belong to the caller.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/link/link.h"

#define TRANSPORT_FIN		0x80
#define TRANSPORT_FIR		0x40
#define TRANSPORT_SEQ_MASK	0x3F
#define TRANSPORT_MAX_PAYLOAD	249	/* LINK_MAX_USER_DATA - 1 header */
#define TRANSPORT_FRAG_MIN	249	/* fragment size limits (config) */
#define TRANSPORT_FRAG_MAX	65535

/* ---- rx.c: reassembly ---------------------------------------- */

struct transport_rx_stats {
	uint64_t	segments;	/* segments offered */
	uint64_t	fragments;	/* fragments completed */
	uint64_t	out_of_seq;	/* wrong SEQ: segment and partial dropped */
	uint64_t	no_fir;		/* non-FIR segment with nothing started */
	uint64_t	oversize;	/* fragment longer than the buffer */
	uint64_t	empty;		/* zero-length segment (no header) */
	uint64_t	restarted;	/* FIR arrived while a fragment was open */
};

struct transport_rx {
	uint8_t		*buf;		/* caller's fragment buffer */
	size_t		 cap;		/* its size, 249..65535 */
	size_t		 len;		/* bytes of the open fragment */
	bool		 open;		/* FIR seen, FIN not yet */
	uint8_t		 next_seq;
	struct transport_rx_stats stats;
};

enum transport_rx_result {
	TRANSPORT_RX_MORE,	/* segment taken, fragment not complete */
	TRANSPORT_RX_FRAGMENT,	/* *frag, *fraglen: a whole fragment */
	TRANSPORT_RX_DROPPED	/* segment dropped (see stats) */
};

/* Returns -1 (and sets nothing) if cap is outside 249..65535. */
int	transport_rx_init(struct transport_rx *t, uint8_t *buf, size_t cap);

/* Forgets a partial fragment (e.g. on a new connection). */
void	transport_rx_reset(struct transport_rx *t);

/*
 * Takes one segment (a link frame's user data). A FIR segment starts a new
 * fragment with its own SEQ (a partial one is dropped, stats.restarted);
 * later segments must carry SEQ + 1 (mod 64) or the segment and the
 * partial fragment are dropped. A fragment that would exceed cap is dropped
 * whole, and so is one with a segment longer than 250 bytes (more than a
 * link frame can carry). On TRANSPORT_RX_FRAGMENT *frag points into the
 * caller's buffer and stays valid until the next call.
 */
enum transport_rx_result transport_rx_segment(struct transport_rx *t,
	    const uint8_t *seg, size_t len, const uint8_t **frag,
	    size_t *fraglen);

/* ---- tx.c: segmentation -------------------------------------- */

struct transport_tx {
	uint8_t		seq;		/* SEQ of the next segment */
};

void	transport_tx_init(struct transport_tx *t, uint8_t seq);

/*
 * Writes the segment of frag[0..len) that starts at *off into out (which
 * must hold TRANSPORT_MAX_PAYLOAD + 1 bytes): header, then up to 249
 * bytes. Advances *off and the sequence number. Returns the segment size.
 * A fragment of length 0 makes one FIR|FIN segment of one byte.
 * transport_tx_frames() is the stack's way; this one is for the
 * segment-by-segment checks of test_dnp3link_transport.
 */
size_t	transport_tx_segment(struct transport_tx *t, const uint8_t *frag,
	    size_t len, size_t *off, uint8_t *out);

/* Bytes that transport_tx_frames needs for a fragment of len bytes. */
size_t	transport_tx_frames_size(size_t len);

/*
 * The two ways of framing share these: the header of the segment of a
 * fragment of len bytes that starts at off, with *n set to the bytes it
 * carries (the sequence number moves on); and whether frag[0..len) is a
 * fragment whose frames fit cap bytes.
 */
uint8_t	transport_tx_next(struct transport_tx *t, size_t off, size_t len,
	    size_t *n);
bool	transport_tx_fits(const uint8_t *frag, size_t len, size_t cap);

/*
 * Turns one application fragment into all the link frames (unconfirmed
 * user data from s to its remote) ready to write, into out[0..cap).
 * Returns the number of bytes written, or -1 if cap is too small (the
 * sequence number is then unchanged).
 */
int	transport_tx_frames(struct transport_tx *t,
	    const struct link_station *s, const uint8_t *frag, size_t len,
	    uint8_t *out, size_t cap);

/* ---- tx_reuse.c: segmentation that reuses the frames it built ---- */

/*
 * An outstation answers the same integrity poll with the same bytes again
 * and again, and most of a response's cost is its link framing (a CRC
 * every 16 bytes). This keeps the frames of the last response, one slot
 * per frame position; a frame whose user data past its first block is
 * byte for byte what the slot's frame carried is copied from the slot,
 * and only its header and first block (which hold the transport and
 * application sequence numbers) are written afresh. The comparison is
 * the proof: what goes out is always exactly what transport_tx_frames()
 * would have written.
 */
#define TRANSPORT_REUSE_FRAMES	32	/* frame positions kept */

struct transport_reuse {
	uint8_t		*body;	/* TRANSPORT_REUSE_FRAMES slots: a frame's
				   bytes after its header, and its data */
	uint8_t		 len[TRANSPORT_REUSE_FRAMES]; /* each one's user data
				   length, transport header included; 0: none */
	size_t		 next;	/* slot of the next frame */
	uint64_t	 reused, built; /* frames copied, frames encoded */
};

/* Allocates the slots (about 17 KiB, touched as frames fill them): 0,
   or -1 for no memory. */
int	transport_reuse_init(struct transport_reuse *r);
void	transport_reuse_free(struct transport_reuse *r);
/* Forgets every frame kept. */
void	transport_reuse_clear(struct transport_reuse *r);

/*
 * transport_tx_frames(), the same bytes, through r. first: frag starts a
 * response (its frames go to the slots from the first on); a later
 * fragment of the same response takes the slots after the previous one.
 */
int	transport_tx_frames_reuse(struct transport_tx *t,
	    struct transport_reuse *r, const struct link_station *s,
	    const uint8_t *frag, size_t len, bool first, uint8_t *out,
	    size_t cap);

#endif
