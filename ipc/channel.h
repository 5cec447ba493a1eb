#ifndef DNP3D_IPC_CHANNEL_H
#define DNP3D_IPC_CHANNEL_H

/*
 * The listener-worker channel, one record per message, in two one-way
 * halves (chan_pair_open):
 *
 *	listener -> worker	a SOCK_SEQPACKET socketpair; the listener's
 *				end is shut for reading, so the worker can
 *				send nothing on it (EPIPE)
 *	worker -> listener	a packet-mode pipe (O_DIRECT): it can carry
 *				no descriptor, so a worker cannot make the
 *				listener hold, or drop the last reference
 *				to, a socket it configured (SECURITY.md)
 *
 * Every record starts with a fixed 12-byte header (all little endian):
 *
 *	magic u32 "D3CH" | version u16 | type u16 | payload length u32
 *
 * and the length must equal the bytes that follow. Only CHAN_CONNECTION,
 * CHAN_BUS, CHAN_HUB_WORKER, CHAN_CLASSIFY_CONN, CHAN_RELAY_LINK and
 * CHAN_RELAY_MASTER carry a descriptor, exactly one each; they all go from the listener to a less privileged
 * process, never back. A worker's records fit PIPE_BUF, so each write is
 * one packet.
 *
 *	listener -> worker	CHAN_CONFIG	struct outstation_config, as bytes
 *				CHAN_CONNECTION	struct handoff (ipc/handoff.h) + fd
 *				CHAN_STOP	no payload, or u8 enum chan_stop_why:
 *						exit now (the master is told why)
 *				CHAN_PING	no payload: nothing to do but
 *						read it (the listener's
 *						liveness check, see
 *						listener/supervise_live.c)
 *				CHAN_BUS	no payload + fd: the worker's end of
 *						its bus socketpair (the hub has
 *						the other end; replaces the old)
 *	worker -> listener	CHAN_STATE	u8: 1 the worker resumed the
 *						state kept in its region, 0 it
 *						started clean (once, before
 *						CHAN_READY; for the crash-loop
 *						rule, listener/state.c)
 *				CHAN_READY	no payload: locked down, serving
 *				CHAN_MASTER	state u8 (enum chan_master_state:
 *						1 connected, 0 gone, 2 refused
 *						at once by accept = "keep") +
 *						the master's struct handoff
 *
 * The listener and the bus hub (dnp3d-hub, hub/hub.h) use the same framing:
 *
 *	listener -> hub		CHAN_HUB_CONFIG	struct hub_config (ipc/hubmsg.h)
 *				CHAN_HUB_NAMES	outstation names, in order
 *				CHAN_HUB_WORKER	u32 outstation index + fd: the
 *						hub's end of that worker's pair
 *				CHAN_HUB_PUBLISH one event (JSON) of the listener
 *				CHAN_HUB_STATUS	struct hub_status_listener: the
 *						listener's figures, for status
 *				CHAN_HUB_WSTATUS struct hub_status_worker: one
 *						outstation's worker process
 *
 * Nothing goes back from the hub on it (see listener/hub.h). The link
 * address classifier's records are in ipc/classifymsg.h; CHAN_CLASSIFY_CONN
 * carries the connection's socket. The multi-drop relay's are in
 * ipc/relaymsg.h.
 *
 * CHAN_MASTER lets the listener report a master that loses its
 * connection because its worker died. Like everything from a worker it
 * is untrusted: chan_master_decode() checks every byte.
 */
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/config.h"
#include "ipc/handoff.h"

#define CHAN_MAGIC		0x48433344u	/* "D3CH" on the wire */
#define CHAN_VERSION		1
#define CHAN_HDR_LEN		12
#define CHAN_PAYLOAD_MAX	4096

/* The worker's ends, fixed across exec: it receives on the socketpair
   and sends on the pipe. */
#define CHAN_WORKER_FD		3
#define CHAN_WORKER_OUT_FD	4
/* The outstation's state region (a sealed memfd), when there is one. */
#define CHAN_WORKER_STATE_FD	5

enum chan_type {
	CHAN_CONFIG = 1,
	CHAN_READY = 2,
	CHAN_CONNECTION = 3,
	CHAN_STOP = 4,
	CHAN_MASTER = 5,
	CHAN_PING = 6,
	CHAN_BUS = 7,
	CHAN_HUB_CONFIG = 8,
	CHAN_HUB_NAMES = 9,
	CHAN_HUB_WORKER = 10,
	CHAN_HUB_PUBLISH = 11,
	CHAN_HUB_STATUS = 12,
	CHAN_HUB_WSTATUS = 13,
	CHAN_STATE = 14,
	CHAN_CLASSIFY_CONFIG = 15,	/* ipc/classifymsg.h */
	CHAN_CLASSIFY_CONN = 16,
	CHAN_CLASSIFY_ANSWER = 17,
	CHAN_RELAY_CONFIG = 18,		/* ipc/relaymsg.h */
	CHAN_RELAY_LINK = 19,
	CHAN_RELAY_MASTER = 20,
	CHAN_RELAY_NEWS = 21,
	CHAN_TYPE_END		/* one past the last type */
};

#define CHAN_MASTER_LEN		(1 + HANDOFF_LEN)

/* CHAN_STOP's optional byte: why the worker stops (a reload's). */
enum chan_stop_why {
	CHAN_STOP_SHUTDOWN = 0,
	CHAN_STOP_RECONFIGURED = 1,
	CHAN_STOP_REMOVED = 2
};

enum chan_status {
	CHAN_OK		= 1,
	CHAN_EOF	= 0,
	CHAN_ESYS	= -1,	/* errno; EAGAIN when nonblocking */
	CHAN_ETRUNC	= -2,	/* record longer than CHAN_HDR_LEN + max */
	CHAN_ECTRUNC	= -3,	/* MSG_CTRUNC: descriptors were lost */
	CHAN_EFDS	= -4,	/* descriptor where none belongs, or missing */
	CHAN_ECMSG	= -5,	/* control message other than SCM_RIGHTS */
	CHAN_ESHORT	= -6,	/* shorter than the header */
	CHAN_EMAGIC	= -7,
	CHAN_EVERSION	= -8,
	CHAN_ELENGTH	= -9,	/* length field != bytes received */
	CHAN_ETYPE	= -10	/* unknown type */
};

struct chan_msg {
	uint16_t type;
	uint32_t len;
	int	 fd;		/* chan_type_has_fd() types only, else -1 */
	uint8_t	 data[CHAN_PAYLOAD_MAX];
};

/* Both halves, close-on-exec. */
struct chan_pair {
	int	 to_worker;	/* listener: sends on the socketpair */
	int	 from_worker;	/* listener: reads the pipe */
	int	 worker_in;	/* worker: receives (CHAN_WORKER_FD) */
	int	 worker_out;	/* worker: writes the pipe (CHAN_WORKER_OUT_FD) */
};

/* 0, or -1 with errno; nothing is left open on failure. */
int	 chan_pair_open(struct chan_pair *p);
void	 chan_pair_close(struct chan_pair *p);

/*
 * One record without a descriptor, on a socket or a pipe. 0, or -1 with
 * errno (EMSGSIZE when len is too large).
 */
int	 chan_send(int fd, enum chan_type type, const void *data, size_t len);

/* The listener's hand-off: a record with one descriptor (a socket). */
int	 chan_send_fd(int sock, enum chan_type type, const void *data,
	    size_t len, int fd);

/* Worker: one record from the socketpair into *msg: CHAN_OK, CHAN_EOF or
   a negative chan_status. */
int	 chan_recv(int sock, struct chan_msg *msg);

/* Listener: one record from the worker's pipe (msg->fd is always -1). */
int	 chan_read(int fd, struct chan_msg *msg);

const char *chan_strerror(int status);

/* chan_master.c: the payload of a CHAN_MASTER record. */
enum chan_master_state {
	CHAN_MASTER_GONE,	/* the master's connection closed */
	CHAN_MASTER_CONNECTED,	/* adopted, served from now on */
	CHAN_MASTER_REFUSED	/* closed at once: the worker keeps its master */
};
void	 chan_master_encode(uint8_t out[CHAN_MASTER_LEN], int state,
	    const struct handoff *h);
/* 0, or -1 with *why naming the first problem (length, state, header). */
int	 chan_master_decode(const uint8_t *buf, size_t len, uint8_t *state,
	    struct handoff *h, const char **why);
const char *chan_type_name(uint16_t type);

/*
 * chan_helper.c: the start of a helper program (the classifier, a relay):
 * [-d] only (usage and exit 1 otherwise), the log as name, death with the
 * listener (PR_SET_PDEATHSIG), SIGPIPE ignored, and the channel and pipe
 * where the listener leaves them (else it says it is started by dnp3d
 * and exits).
 */
void	 chan_helper_start(int argc, char **argv, const char *name);

/* What a helper's configuration record starts with. */
struct chan_helper_config {
	char	 user[CFG_USER_MAX + 1];	/* to run as */
	char	 runtime_dir[CFG_PATH_MAX];	/* chroot: its "empty" */
};
/* Its first record: of that type, exactly len bytes, starting with a
   struct chan_helper_config whose strings end inside it; into cfg, or
   it exits saying why. */
void	 chan_helper_config(uint16_t type, void *cfg, size_t len);
/* Whether records of this type carry exactly one descriptor. */
bool	 chan_type_has_fd(uint16_t type);

#endif
