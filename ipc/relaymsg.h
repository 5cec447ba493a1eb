#ifndef DNP3D_IPC_RELAYMSG_H
#define DNP3D_IPC_RELAYMSG_H

/*
 * The listener and a multi-drop relay (dnp3d-relay, relay/relay.h), one
 * relay per connection of a server with multidrop = true, use the channel
 * of a worker (ipc/channel.h: a socketpair towards the relay, a
 * packet-mode pipe back, which carries no descriptor):
 *
 *	listener -> relay	CHAN_RELAY_CONFIG struct relay_config
 *				CHAN_RELAY_LINK	  address u16, 0 u16 + one end
 *						  of a stream socketpair; the
 *						  outstation of that link
 *						  address has the other end
 *				CHAN_RELAY_MASTER no payload + the master's
 *						  socket, after every link
 *	relay -> listener	CHAN_READY	  locked down, relaying
 *				CHAN_RELAY_NEWS	  kind u8, 0 u8, address u16
 *
 * All little endian. The news is untrusted: relay_news_decode() checks
 * its length, kind, padding and that the address fits the kind; the
 * listener checks a link's address against the links it gave.
 */
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "ipc/channel.h"

/* The descriptors across exec, as a worker's. */
#define RELAY_CHAN_FD		CHAN_WORKER_FD
#define RELAY_OUT_FD		CHAN_WORKER_OUT_FD

#define RELAY_LINK_LEN		4
#define RELAY_NEWS_LEN		4
#define RELAY_LINKS_MAX		CFG_MULTIDROP_MAX /* outstations, one connection */

/* CHAN_RELAY_CONFIG */
struct relay_config {
	struct chan_helper_config h;	/* user, runtime directory */
	uint32_t links;			/* CHAN_RELAY_LINKs to come */
};

/* What the relay tells the listener about its connection. */
enum relay_news_kind {
	RELAY_NEWS_UNKNOWN,	/* a frame to an address with no outstation
				   on this connection: dropped */
	RELAY_NEWS_OVERRUN,	/* a frame to address dropped: its worker
				   does not read fast enough */
	RELAY_NEWS_LINK_GONE,	/* the worker of address closed its end */
	RELAY_NEWS_WORKER_BAD,	/* the worker of address sent a malformed
				   frame, or one not from its address: its
				   link is closed */
	RELAY_NEWS_MASTER_BAD,	/* a malformed frame from the master: the
				   connection is closed (address 0) */
	RELAY_NEWS_END
};

struct relay_news {
	uint8_t	 kind;		/* enum relay_news_kind */
	uint16_t address;
};

void	relay_link_encode(uint8_t out[RELAY_LINK_LEN], uint16_t address);
/* 0, or -1 when the length, padding or address (a broadcast or above
   the highest station address) is wrong. */
int	relay_link_decode(const uint8_t *buf, size_t len, uint16_t *address);

void	relay_news_encode(uint8_t out[RELAY_NEWS_LEN],
	    const struct relay_news *n);
/* 0, or -1 with *why naming the first problem. */
int	relay_news_decode(const uint8_t *buf, size_t len,
	    struct relay_news *n, const char **why);

/* The kind in words, for the log: "worker sent a malformed frame". */
const char *relay_news_str(uint8_t kind);

#endif
