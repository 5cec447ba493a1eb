#ifndef DNP3D_RELAY_H
#define DNP3D_RELAY_H

/*
 * dnp3d-relay: the multi-drop relay. For a server with multidrop = true,
 * the listener starts one relay per connection and gives it the master's
 * socket and, for each outstation the master may reach there, one end of
 * a stream socketpair whose other end that outstation's worker has, as
 * if it were the master's socket (ipc/relaymsg.h).
 *
 * The relay reads whole link frames (header, its CRC and every block's
 * CRC checked, frame.c) and forwards each, unchanged, to the link of its
 * destination address, or to every link for a broadcast; it merges the
 * workers' frames onto the master's socket whole frame after whole frame
 * (queue.c), so the bytes of two frames never interleave. It runs
 * unprivileged, chrooted and seccomp-confined (policy/relay_filter.c).
 */
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/link/link.h"
#include "ipc/relaymsg.h"

#define RELAY_RX_MAX	(16 * LINK_MAX_FRAME)	/* read ahead, one source */
#define RELAY_TX_MAX	(32 * LINK_MAX_FRAME)	/* queued, one destination */
#define RELAY_FDS_SPARE	8	/* RLIMIT_NOFILE beyond the links' */

/* frame.c: what the bytes at the head of a buffer are. */
enum relay_frame {
	RELAY_FRAME_MORE,	/* a frame's beginning: more bytes needed */
	RELAY_FRAME_WHOLE,	/* a whole frame, every CRC good */
	RELAY_FRAME_BAD		/* not a frame (start, length or a CRC) */
};

/* Bytes read from one source, split into frames at the head. */
struct relay_rx {
	uint8_t	 buf[RELAY_RX_MAX];
	size_t	 len;
};

/* Whole frames queued for one destination; off bytes already written. */
struct relay_tx {
	uint8_t	 buf[RELAY_TX_MAX];
	size_t	 off, len;
};

/* The size of the frame at buf (n bytes there) in *flen when WHOLE. */
enum relay_frame relay_frame_check(const uint8_t *buf, size_t n,
	    size_t *flen);
/* The frame at rx's head (*frame, *len) when WHOLE; consume it after. */
enum relay_frame relay_rx_next(const struct relay_rx *rx,
	    const uint8_t **frame, size_t *len);
void	relay_rx_consume(struct relay_rx *rx, size_t len);
/* read(2) into rx's room: > 0 bytes, 0 at EOF, -1 with errno. */
ssize_t	relay_rx_read(struct relay_rx *rx, int fd);
/* Destination and source address of a whole frame. */
uint16_t relay_frame_dest(const uint8_t *frame);
uint16_t relay_frame_src(const uint8_t *frame);

/* queue.c: the merger. A whole frame, or nothing when it does not fit. */
bool	relay_tx_put(struct relay_tx *tx, const uint8_t *frame, size_t len);
bool	relay_tx_pending(const struct relay_tx *tx);
/* Writes what it can: 0 (EAGAIN included), or -1 with errno. */
int	relay_tx_flush(struct relay_tx *tx, int fd);

/* One outstation on the connection. */
struct relay_link {
	int		 fd;		/* -1: gone */
	uint16_t	 address;
	struct relay_rx	 rx;		/* its worker's frames */
	struct relay_tx	 tx;		/* the master's frames for it */
};

struct relay {
	int		 chan;		/* from the listener */
	int		 out;		/* the news pipe */
	int		 master;	/* -1: gone */
	struct relay_rx	 rx;		/* the master's frames */
	struct relay_tx	 tx;		/* the workers' frames, merged */
	struct relay_link link[RELAY_LINKS_MAX];
	size_t		 nlinks, open;	/* given, still open */
	size_t		 turn;		/* the link merged first */
	struct pollfd	 pfd[2 + RELAY_LINKS_MAX];	/* chan, master,
							   links */
	/* news: sends one record to the listener (a test may catch it) */
	void		(*news)(struct relay *, uint8_t kind, uint16_t addr);
};

/* links.c: the connection. */
void	relay_init(struct relay *r, int chan, int out);
/* Takes fd for address; -1 (fd closed) when full or a duplicate. */
int	relay_add_link(struct relay *r, int fd, uint16_t address);
/* The frames of the master's rx: each to its link(s), or dropped. */
void	relay_from_master(struct relay *r);
/* The frames of each link's rx onto the master's tx, while they fit. */
void	relay_merge(struct relay *r);
void	relay_close_link(struct relay *r, struct relay_link *l,
	    uint8_t kind);
/* A closed link's new fd (its worker restarted); -1 (fd closed) when
   address is no closed link. */
int	relay_reopen_link(struct relay *r, int fd, uint16_t address);

/* loop.c: until the master or every link is gone, or the listener; a
   link whose worker restarted comes again on the channel. */
void	relay_run(struct relay *r);
/* The default news: a CHAN_RELAY_NEWS record, dropped when the pipe is
   full (the listener limits its log, the relay does not wait). */
void	relay_send_news(struct relay *r, uint8_t kind, uint16_t address);

#endif
