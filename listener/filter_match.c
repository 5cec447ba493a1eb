/*
 * Matching peers against filters, overlap between filters, routing a
 * peer to its outstation, and printing addresses.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "listener/filter.h"

static const uint8_t v4_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int
filter_peer_addr(const struct sockaddr *peer, uint8_t addr[16])
{
	if (peer == NULL)
		return -1;
	if (peer->sa_family == AF_INET) {
		const struct sockaddr_in *sin =
		    (const struct sockaddr_in *)peer;

		memcpy(addr, v4_prefix, sizeof(v4_prefix));
		memcpy(addr + 12, &sin->sin_addr, 4);
		return 0;
	}
	if (peer->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)peer;

		memcpy(addr, &sin6->sin6_addr, 16);
		return 0;
	}
	return -1;
}

/* Eight bytes at a time: a peer is matched against every filter of its
   server, 10,000 of them on a big one. */
static bool
entry_match(const struct filter_entry *e, const uint8_t addr[16])
{
	uint64_t a[2], m[2], f[2];

	memcpy(a, addr, sizeof(a));
	memcpy(m, e->mask, sizeof(m));
	memcpy(f, e->addr, sizeof(f));
	return ((a[0] & m[0]) ^ f[0]) == 0 && ((a[1] & m[1]) ^ f[1]) == 0;
}

bool
filter_match_addr(const struct addr_filter *f, const uint8_t addr[16])
{
	unsigned int i;

	if (f->any)
		return true;
	for (i = 0; i < f->count && i < CFG_FILTER_MAX; i++)
		if (entry_match(&f->entry[i], addr))
			return true;
	return false;
}

bool
filter_match(const struct addr_filter *f, const struct sockaddr *peer)
{
	uint8_t addr[16];

	if (filter_peer_addr(peer, addr) == -1)
		return false;
	return filter_match_addr(f, addr);
}

/*
 * Two entries share an address when they agree on every bit both masks
 * fix. The example takes the fixed bits of either and, where the last
 * byte is free in both, a host part of 1 (192.168.0.1 reads better than
 * 192.168.0.0).
 */
static bool
entry_overlap(const struct filter_entry *a, const struct filter_entry *b,
    uint8_t example[16])
{
	int i;

	for (i = 0; i < 16; i++)
		if (((a->addr[i] ^ b->addr[i]) & a->mask[i] & b->mask[i]) != 0)
			return false;
	for (i = 0; i < 16; i++)
		example[i] = (a->addr[i] & a->mask[i]) |
		    (b->addr[i] & b->mask[i]);
	if ((a->mask[15] | b->mask[15]) == 0)
		example[15] = 1;
	return true;
}

static const struct filter_entry any_entry;	/* mask zero: everything */

bool
filter_overlap(const struct addr_filter *a, const struct addr_filter *b,
    uint8_t example[16])
{
	const struct filter_entry *ea, *eb;
	unsigned int na, nb, i, j;
	uint8_t tmp[16];

	na = a->any ? 1 : a->count;
	nb = b->any ? 1 : b->count;
	if (na > CFG_FILTER_MAX || nb > CFG_FILTER_MAX)
		return false;
	for (i = 0; i < na; i++) {
		ea = a->any ? &any_entry : &a->entry[i];
		for (j = 0; j < nb; j++) {
			eb = b->any ? &any_entry : &b->entry[j];
			if (entry_overlap(ea, eb, tmp)) {
				if (example != NULL)
					memcpy(example, tmp, sizeof(tmp));
				return true;
			}
		}
	}
	return false;
}

/* The first outstation of server whose filter matches peer and, unless
   address is -1, whose link address is address. */
static int
route_by(const struct dnp3d_config *cfg, uint32_t server,
    const struct sockaddr *peer, int32_t address)
{
	const struct server_config *srv;
	uint8_t addr[16];
	uint32_t i;

	if (server >= cfg->server_count ||
	    filter_peer_addr(peer, addr) == -1)
		return -1;
	srv = &cfg->servers[server];
	if (srv->first > cfg->outstation_count ||
	    srv->count > cfg->outstation_count - srv->first)
		return -1;
	for (i = srv->first; i < srv->first + srv->count; i++)
		if ((address == -1 || cfg->outstations[i].address == address) &&
		    filter_match_addr(&cfg->outstations[i].filter, addr))
			return (int)i;
	return -1;
}

int
filter_route(const struct dnp3d_config *cfg, uint32_t server,
    const struct sockaddr *peer)
{
	return route_by(cfg, server, peer, -1);
}

int
filter_route_link(const struct dnp3d_config *cfg, uint32_t server,
    const struct sockaddr *peer, uint16_t address)
{
	return route_by(cfg, server, peer, address);
}

void
filter_format_addr(const uint8_t addr[16], char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];
	int af = AF_INET6;
	const uint8_t *p = addr;

	if (memcmp(addr, v4_prefix, sizeof(v4_prefix)) == 0) {
		af = AF_INET;
		p = addr + 12;
	}
	if (inet_ntop(af, p, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	snprintf(buf, len, "%s", text);
}

/* Number of leading one bits when the mask is a prefix, else -1. */
static int
mask_prefix(const uint8_t mask[16])
{
	int i, bits = 0;

	for (i = 0; i < 16 && mask[i] == 0xff; i++)
		bits += 8;
	if (i < 16) {
		uint8_t m = mask[i];

		while (m & 0x80) {
			bits++;
			m = (uint8_t)(m << 1);
		}
		if (m != 0)
			return -1;
		for (i++; i < 16; i++)
			if (mask[i] != 0)
				return -1;
	}
	return bits;
}

static bool
v4_wildcard_mask(const uint8_t m[4])
{
	int i;

	for (i = 0; i < 4; i++)
		if (m[i] != 0 && m[i] != 0xff)
			return false;
	return true;
}

void
filter_format_entry(const struct filter_entry *e, char *buf, size_t len)
{
	static const uint8_t ones[12] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	char text[INET6_ADDRSTRLEN], oct[4][4];
	int i, bits = mask_prefix(e->mask);
	bool v4 = memcmp(e->addr, v4_prefix, sizeof(v4_prefix)) == 0 &&
	    memcmp(e->mask, ones, sizeof(ones)) == 0;

	filter_format_addr(e->addr, text, sizeof(text));
	if (bits == 128)
		snprintf(buf, len, "%s", text);
	else if (bits >= 0)
		snprintf(buf, len, "%s/%d", text, v4 ? bits - 96 : bits);
	else if (v4 && v4_wildcard_mask(e->mask + 12)) {
		for (i = 0; i < 4; i++) {
			if (e->mask[12 + i] == 0xff)
				snprintf(oct[i], sizeof(oct[i]), "%u",
				    e->addr[12 + i]);
			else
				snprintf(oct[i], sizeof(oct[i]), "*");
		}
		snprintf(buf, len, "%s.%s.%s.%s", oct[0], oct[1], oct[2],
		    oct[3]);
	} else
		snprintf(buf, len, "%s (non-contiguous mask)", text);
}
