#ifndef DNP3D_LISTENER_FILTER_H
#define DNP3D_LISTENER_FILTER_H

/*
 * Address filters: which masters an outstation accepts (dnp3d.conf(5)).
 *
 * Entries: "any", "10.0.0.5", "2001:db8::1", "192.168.0.*" (any octet may
 * be *), "10.1.0.0/16", "fd00::/8". IPv4 is kept IPv4-mapped (see
 * common/config.h) so an IPv4 peer and an IPv6 peer ::ffff:a.b.c.d match
 * the same IPv4 filters. A CIDR prefix with host bits set is rejected.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/config.h"

#define FILTER_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

/* Clears *f (matches nothing until an entry is added). */
void	filter_init(struct addr_filter *f);

/*
 * Parses one text entry and adds it to *f. Returns 0, or -1 with err set
 * (e.g. "\"10.1.2.3/16\": host bits set (10.1.0.0/16?)"); *f is unchanged
 * on error. "any" cannot be combined with other entries.
 */
int	filter_add(struct addr_filter *f, const char *text,
	    char *err, size_t errlen);

/* Parses a single entry ("any" sets *any and leaves *e zeroed). */
int	filter_parse_entry(const char *text, struct filter_entry *e,
	    bool *any, char *err, size_t errlen);

/* The peer as 16 bytes (IPv4 becomes ::ffff:a.b.c.d); -1 if not IP. */
int	filter_peer_addr(const struct sockaddr *peer, uint8_t addr[16]);

bool	filter_match_addr(const struct addr_filter *f, const uint8_t addr[16]);
bool	filter_match(const struct addr_filter *f, const struct sockaddr *peer);

/*
 * True when some address matches both filters; then example (if not NULL)
 * holds one such address.
 */
bool	filter_overlap(const struct addr_filter *a,
	    const struct addr_filter *b, uint8_t example[16]);

/*
 * The outstation of server number `server` whose filter matches peer:
 * an index into cfg->outstations, or -1 (no match, or bad server index).
 */
int	filter_route(const struct dnp3d_config *cfg, uint32_t server,
	    const struct sockaddr *peer);

/*
 * route = "link_address": the outstation of that server with link
 * address `address` whose filter matches peer, or -1. The configuration
 * check makes it unique.
 */
int	filter_route_link(const struct dnp3d_config *cfg, uint32_t server,
	    const struct sockaddr *peer, uint16_t address);

/* IPv4-mapped addresses print as a dotted quad, others as IPv6. */
void	filter_format_addr(const uint8_t addr[16], char *buf, size_t len);

/* One entry as text, e.g. "10.1.0.0/16" or "192.168.0.*" style masks. */
void	filter_format_entry(const struct filter_entry *e, char *buf,
	    size_t len);

#endif
