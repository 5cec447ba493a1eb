#ifndef DNP3D_DNP3_LINK_H
#define DNP3D_DNP3_LINK_H

/*
 * DNP3 data link layer (IEEE 1815 clause 9): frame codec, an incremental
 * parser over a byte stream, and a link station (the secondary side of an
 * outstation and the little a master needs of the primary side).
 *
 * Pure code: no I/O, no clock, no allocation. Bytes in, bytes out.
 *
 * Frame on the wire:
 *   05 64 LEN CTRL DEST(lo,hi) SRC(lo,hi) CRC(lo,hi)   header, 10 bytes
 *   then the user data in blocks of 16 bytes (last one shorter), each
 *   followed by its CRC. LEN counts CTRL, DEST, SRC and user data (no CRCs),
 *   so 5 <= LEN <= 255 and user data is 0..250 bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


#define LINK_START1		0x05
#define LINK_START2		0x64
#define LINK_HEADER_LEN		10	/* start, len, ctrl, dest, src, crc */
#define LINK_BLOCK_LEN		16	/* user data bytes per CRC */
#define LINK_MIN_LEN		5	/* LEN byte: ctrl + dest + src */
#define LINK_MAX_USER_DATA	250	/* 255 - 5 */
#define LINK_MAX_FRAME		292	/* 10 + 250 + 16 * 2 */

/* Addresses. 0xFFF0..0xFFFC are reserved; 0xFFFD..0xFFFF are broadcast. */
#define LINK_ADDR_MAX		0xFFEF	/* highest station address (65519) */
#define LINK_ADDR_SELF		0xFFFC	/* self-address (not answered) */
#define LINK_ADDR_BCAST_NOCONF	0xFFFD	/* broadcast, no app confirm */
#define LINK_ADDR_BCAST_CONF	0xFFFE	/* broadcast, app confirm required */
#define LINK_ADDR_BCAST_OPT	0xFFFF	/* broadcast, app confirm optional */
#define LINK_ADDR_IS_BROADCAST(a) ((a) >= LINK_ADDR_BCAST_NOCONF)

/* Control byte. */
#define LINK_CTRL_DIR		0x80	/* 1: sent by a master */
#define LINK_CTRL_PRM		0x40	/* 1: from the primary station */
#define LINK_CTRL_FCB		0x20	/* frame count bit (primary) */
#define LINK_CTRL_FCV		0x10	/* FCB valid (primary) */
#define LINK_CTRL_DFC		0x10	/* data flow control (secondary) */
#define LINK_CTRL_FUNC		0x0F

/* Primary function codes (PRM = 1). */
enum link_pri_func {
	LINK_PRI_RESET_LINK_STATES	= 0,
	LINK_PRI_TEST_LINK_STATES	= 2,	/* FCV = 1 */
	LINK_PRI_CONFIRMED_USER_DATA	= 3,	/* FCV = 1 */
	LINK_PRI_UNCONFIRMED_USER_DATA	= 4,
	LINK_PRI_REQUEST_LINK_STATUS	= 9
};

/* Secondary function codes (PRM = 0). */
enum link_sec_func {
	LINK_SEC_ACK			= 0,
	LINK_SEC_NACK			= 1,
	LINK_SEC_LINK_STATUS		= 11,
	LINK_SEC_NOT_SUPPORTED		= 15
};

/* The decoded header of one frame. */
struct link_header {
	bool		dir;	/* sent by a master */
	bool		prm;	/* sent by the primary station */
	bool		fcb;	/* primary: frame count bit; secondary: ACD/0 */
	bool		fcv;	/* primary: FCV; secondary: DFC */
	uint8_t		func;	/* enum link_pri_func or enum link_sec_func */
	uint16_t	dest;
	uint16_t	src;
};

/* One received frame: header plus user data with the CRCs removed. */
struct link_frame {
	struct link_header hdr;
	const uint8_t	*data;	/* into the parser's storage; NULL if len 0 */
	size_t		 len;	/* 0..LINK_MAX_USER_DATA */
};

/* ---- frame.c: frame codec ---------------------------------------- */

/* The control octet; exported for the link tests and fuzzer, which
   check every encode against decode. */
uint8_t	link_ctrl_encode(const struct link_header *h);
void	link_ctrl_decode(uint8_t ctrl, struct link_header *h);

/* Bytes on the wire for a frame with len bytes of user data. */
size_t	link_frame_size(size_t len);

/* The LINK_HEADER_LEN bytes that start a frame with len (at most
   LINK_MAX_USER_DATA) bytes of user data, into out. */
void	link_header_encode(uint8_t *out, const struct link_header *h,
	    size_t len);

/*
 * Writes one frame into out[0..cap). Returns the frame size, or -1 when
 * len > LINK_MAX_USER_DATA or cap is too small (out is then untouched).
 * data may be NULL when len is 0.
 */
int	link_frame_encode(uint8_t *out, size_t cap, const struct link_header *h,
	    const uint8_t *data, size_t len);

/* ---- parser.c: incremental parser --------------------------------- */

/* What the parser does with a malformed frame (see link_parser_feed). */
enum link_error_mode {
	LINK_ERROR_CLOSE,	/* report; the connection is to close */
	LINK_ERROR_DISCARD	/* skip to the next 05 64 and go on */
};

enum link_err {
	LINK_OK = 0,
	LINK_ERR_START,		/* bytes that are not 05 64 where a frame starts */
	LINK_ERR_LENGTH,	/* LEN < 5 (header CRC was good) */
	LINK_ERR_HEADER_CRC,
	LINK_ERR_BODY_CRC,	/* a user data block failed its CRC */
	LINK_ERR_COUNT
};

/* "bad start", "bad length", "bad header CRC", "bad body CRC", "ok". */
const char *link_err_str(enum link_err e);

struct link_parser_stats {
	uint64_t	frames;			/* good frames returned */
	uint64_t	errors[LINK_ERR_COUNT];	/* by kind ([LINK_OK] unused) */
	uint64_t	discarded;		/* bytes dropped (DISCARD mode) */
};

struct link_parser {
	enum link_error_mode	mode;
	enum link_err		failed;	/* CLOSE mode: sticky error */
	bool			resync;	/* DISCARD: error reported, skipping */
	size_t			have;	/* bytes held in buf */
	uint8_t			buf[LINK_MAX_FRAME];
	uint8_t			data[LINK_MAX_USER_DATA];
	struct link_parser_stats stats;
};

enum link_parse {
	LINK_PARSE_MORE,	/* every input byte used; feed more */
	LINK_PARSE_FRAME,	/* *frame is valid until the next call */
	LINK_PARSE_ERROR	/* *err says why; see below */
};

void	link_parser_init(struct link_parser *p, enum link_error_mode mode);

/*
 * Feeds in[0..len) to the parser. *used is set to the number of input bytes
 * consumed; call again with in + *used until LINK_PARSE_MORE. Several
 * frames in one buffer come out one per call; a frame split over calls
 * is held (at most LINK_MAX_FRAME bytes) until complete.
 *
 * On a malformed frame it returns LINK_PARSE_ERROR with the kind in *err.
 *  LINK_ERROR_CLOSE:   the error is sticky; every later call returns it
 *                      again and consumes nothing. The caller closes.
 *  LINK_ERROR_DISCARD: the parser has dropped the bad bytes (counted in
 *                      stats.discarded) and searches for the next 05 64;
 *                      the caller logs the error and simply calls again.
 *                      A run of garbage is reported once as LINK_ERR_START.
 *                      A frame with a bad body CRC is dropped whole (its
 *                      header, and so its length, was good).
 */
enum link_parse link_parser_feed(struct link_parser *p, const uint8_t *in,
	    size_t len, size_t *used, struct link_frame *frame,
	    enum link_err *err);

/* ---- station.c: link station state machine ---------------------- */

struct link_station_stats {
	uint64_t	rx_frames;	/* frames given to link_station_rx */
	uint64_t	other_dest;	/* for another address: dropped */
	uint64_t	unknown_source;	/* not from the configured peer: dropped */
	uint64_t	wrong_dir;	/* DIR bit from our own side: dropped */
	uint64_t	broadcast;	/* to a broadcast address */
	uint64_t	duplicate;	/* confirmed data repeated (FCB): not delivered */
	uint64_t	not_reset;	/* FCV frame before reset link states: NACK */
	uint64_t	unsupported;	/* unknown primary function: NOT_SUPPORTED */
	uint64_t	delivered;	/* user data handed up */
	uint64_t	secondary;	/* ACK/NACK/LINK_STATUS/... received */
};

struct link_station {
	uint16_t	local;		/* own address */
	uint16_t	remote;		/* configured peer (the master, for us) */
	bool		master;		/* our role: DIR bit on what we send */
	bool		any_source;	/* accept frames from any source address */

	/* Secondary side: what we expect from the peer's primary. */
	bool		reset;		/* reset link states received */
	bool		expect_fcb;	/* FCB of the next new FCV frame */
	uint8_t		last_reply;	/* secondary function last sent */

	/* Primary side: FCB for our next FCV frame. */
	bool		tx_fcb;

	struct link_station_stats stats;
};

/* Why link_station_rx dropped a frame without a reply. */
enum link_drop {
	LINK_DROP_NONE,
	LINK_DROP_OTHER_DEST,		/* for another address */
	LINK_DROP_WRONG_DIR,		/* DIR bit from our own side */
	LINK_DROP_UNKNOWN_SOURCE	/* not from the configured peer */
};

/* What link_station_rx made of one frame. */
struct link_rx {
	enum link_drop	 drop;		/* dropped (nothing else is set) */
	const uint8_t	*data;		/* user data to hand up (transport) */
	size_t		 len;		/* valid when deliver */
	bool		 deliver;
	bool		 broadcast;	/* dest was 0xFFFD..0xFFFF: no link reply;
					   the application sets IIN1.0 */
	uint16_t	 dest;		/* as received (broadcast kind) */
	uint16_t	 src;
	bool		 secondary;	/* a secondary frame was received: */
	uint8_t		 sec_func;	/*   its function (enum link_sec_func) */
	size_t		 reply_len;	/* bytes of reply written (0: none) */
};

/*
 * Sets up a station. any_source = false: frames whose source is not
 * remote are dropped and counted (stats.unknown_source), as a secondary
 * must only answer its own master; true: they are answered (the reply goes
 * to the frame's source).
 */
void	link_station_init(struct link_station *s, uint16_t local,
	    uint16_t remote, bool master, bool any_source);

/*
 * Processes one received frame (from link_parser_feed). A reply frame, if
 * one is due, is written into reply[0..cap) (cap >= LINK_HEADER_LEN is
 * always enough: replies carry no user data) and its size put in
 * r->reply_len. User data to hand up is r->data/r->len when r->deliver; it
 * points into the frame's storage (valid until the next parser call).
 *
 * Secondary behaviour (frames with PRM = 1):
 *   request link status   -> LINK_STATUS
 *   reset link states     -> ACK; next expected FCB = 1
 *   test link states      -> ACK if FCB is the expected one (and toggle),
 *                            otherwise repeat the last reply; NACK if the
 *                            link was never reset
 *   confirmed user data   -> ACK and deliver if FCB is the expected one
 *                            (and toggle); ACK without delivering a repeat;
 *                            NACK without delivering if never reset
 *   unconfirmed user data -> deliver
 *   any other function    -> NOT_SUPPORTED
 * Broadcast frames are never answered; their user data is delivered with
 * r->broadcast set. Frames with PRM = 0 are reported in r->secondary.
 * Dropped and counted, without a reply: frames for another address (the
 * self-address 0xFFFC included: not supported), frames whose DIR bit says
 * they come from our own side, and (unless any_source) frames from a
 * source other than remote. The function code alone selects the action;
 * FCV is not checked.
 */
void	link_station_rx(struct link_station *s, const struct link_frame *f,
	    uint8_t *reply, size_t cap, struct link_rx *r);

/*
 * Encodes a frame from this station to its remote: unconfirmed user data
 * (our outgoing transport segments). Returns bytes written or -1.
 */
int	link_station_encode_data(const struct link_station *s,
	    const uint8_t *data, size_t len, uint8_t *out, size_t cap);
/* The header of those frames (all but the length). */
void	link_station_data_header(const struct link_station *s,
	    struct link_header *h);

/*
 * Encodes a primary frame without user data to the remote: request link
 * status (keep-alive), reset link states (and sets tx_fcb for the next
 * FCV frame), test link states (uses and toggles tx_fcb). Returns bytes
 * written or -1 (other functions, or cap too small).
 */
int	link_station_encode_primary(struct link_station *s,
	    enum link_pri_func func, uint8_t *out, size_t cap);

#endif
