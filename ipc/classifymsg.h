#ifndef DNP3D_IPC_CLASSIFYMSG_H
#define DNP3D_IPC_CLASSIFYMSG_H

/*
 * The listener and the link address classifier (dnp3d-classify,
 * classify/classify.h) use the channel of a worker (ipc/channel.h: a
 * socketpair towards the classifier, a packet-mode pipe back, which
 * carries no descriptor):
 *
 *	listener -> classifier	CHAN_CLASSIFY_CONFIG struct classify_config
 *				CHAN_CLASSIFY_CONN   id u32, timeout_ms u32 +
 *						     the connection's socket
 *	classifier -> listener	CHAN_READY	     locked down, classifying
 *				CHAN_CLASSIFY_ANSWER id u32, verdict u8, 0 u8,
 *						     address u16
 *
 * All little endian. The answer is untrusted: classify_answer_decode()
 * checks its length, verdict, padding and that the address fits the
 * verdict; the listener checks the id against the connections it gave.
 */
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "ipc/channel.h"

/* The descriptors across exec, as a worker's. */
#define CLASSIFY_CHAN_FD	CHAN_WORKER_FD
#define CLASSIFY_OUT_FD		CHAN_WORKER_OUT_FD

#define CLASSIFY_CONN_LEN	8
#define CLASSIFY_ANSWER_LEN	8

/* CHAN_CLASSIFY_CONFIG */
struct classify_config {
	struct chan_helper_config h;	/* user, runtime directory */
	uint32_t max_conns;		/* connections at once */
};

/* What the first bytes of a connection were. */
enum classify_verdict {
	CLASSIFY_ROUTE,		/* a good header to address (not broadcast) */
	CLASSIFY_BROADCAST,	/* to a broadcast address (0xFFFD..0xFFFF) */
	CLASSIFY_TIMEOUT,	/* no whole header within timeout_ms */
	CLASSIFY_CLOSED,	/* the peer closed before a whole header */
	CLASSIFY_BAD_START,	/* not 05 64 */
	CLASSIFY_BAD_LENGTH,	/* LEN < 5 */
	CLASSIFY_BAD_CRC,	/* the header's CRC */
	CLASSIFY_VERDICT_END
};

struct classify_answer {
	uint32_t id;
	uint8_t	 verdict;	/* enum classify_verdict */
	uint16_t address;	/* ROUTE, BROADCAST: the destination; else 0 */
};

void	classify_conn_encode(uint8_t out[CLASSIFY_CONN_LEN], uint32_t id,
	    uint32_t timeout_ms);
/* 0, or -1 when len is wrong or the timeout out of the configured range. */
int	classify_conn_decode(const uint8_t *buf, size_t len, uint32_t *id,
	    uint32_t *timeout_ms);

void	classify_answer_encode(uint8_t out[CLASSIFY_ANSWER_LEN],
	    const struct classify_answer *a);
/* 0, or -1 with *why naming the first problem. */
int	classify_answer_decode(const uint8_t *buf, size_t len,
	    struct classify_answer *a, const char **why);

/* The verdict in words for a `rejected` reason: "bad header CRC". */
const char *classify_verdict_str(uint8_t verdict);

#endif
