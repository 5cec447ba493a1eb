#ifndef DNP3D_IPC_HANDOFF_H
#define DNP3D_IPC_HANDOFF_H

/*
 * The header that travels with a master's socket from the listener to its
 * worker (payload of a CHAN_CONNECTION record). Fixed 28 bytes, little
 * endian:
 *
 *	magic u32 "D3HO" | version u8 | family u8 (4 or 6) | port u16 |
 *	addr[16] | server u16 | flags u16
 *
 * An IPv4 peer is stored IPv4-mapped (::ffff:a.b.c.d), as filters are.
 * `server` is the index of the server (endpoint) that accepted it.
 * Flags: HANDOFF_F_RESUMED, the connection the outstation's previous
 * worker served when it died (the listener kept it); no other bit is set.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define HANDOFF_MAGIC		0x4f483344u	/* "D3HO" on the wire */
#define HANDOFF_VERSION		1
#define HANDOFF_LEN		28
#define HANDOFF_ADDRSTR_MAX	56	/* "[v6]:port" */
#define HANDOFF_F_RESUMED	0x0001

struct handoff {
	uint8_t	 family;	/* 4 or 6 */
	uint16_t port;
	uint8_t	 addr[16];
	uint16_t server;
	bool	 resumed;	/* HANDOFF_F_RESUMED */
};

/* From an accepted peer. 0, or -1 for an unsupported address family. */
int	 handoff_from_sockaddr(struct handoff *h, const struct sockaddr *sa,
	    socklen_t salen, uint16_t server);

void	 handoff_encode(const struct handoff *h, uint8_t out[HANDOFF_LEN]);

/*
 * Checks and decodes: length exact, magic, version, family, a v4 address in
 * mapped form, no unknown flag. 0, or -1 with *why naming the first problem.
 */
int	 handoff_decode(const uint8_t *buf, size_t len, struct handoff *h,
	    const char **why);

/* "192.0.2.1:20000" or "[2001:db8::1]:20000" into buf. Returns buf. */
char	*handoff_addrstr(const struct handoff *h, char *buf, size_t size);

#endif
