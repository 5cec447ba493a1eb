/*
 * Parsing address filter entries. Every address goes through inet_pton;
 * a wildcard octet "*" is turned into "0" for inet_pton and into a zero
 * byte of the mask.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "listener/filter.h"

#define V4_OFFSET	12	/* IPv4 bytes inside ::ffff:a.b.c.d */

static void
set_v4(struct filter_entry *e, const struct in_addr *in)
{
	memset(e->addr, 0, sizeof(e->addr));
	e->addr[10] = e->addr[11] = 0xff;
	memcpy(e->addr + V4_OFFSET, in, 4);
	memset(e->mask, 0xff, sizeof(e->mask));
}

/* "192.168.0.*": exactly four parts; a part is "*" or a decimal octet. */
static int
parse_wildcard(const char *text, struct filter_entry *e)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr in;
	const char *p = text;
	size_t n = 0;
	int part = 0, star[4] = { 0, 0, 0, 0 };

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t plen = dot ? (size_t)(dot - p) : strlen(p);

		if (part == 4 || n + plen + 1 > sizeof(buf))
			return -1;
		if (plen == 1 && *p == '*') {
			star[part] = 1;
			buf[n++] = '0';
		} else {
			memcpy(buf + n, p, plen);
			n += plen;
		}
		part++;
		if (dot == NULL)
			break;
		buf[n++] = '.';
		p = dot + 1;
	}
	buf[n] = '\0';
	if (part != 4 || inet_pton(AF_INET, buf, &in) != 1)
		return -1;
	set_v4(e, &in);
	for (part = 0; part < 4; part++)
		if (star[part])
			e->mask[V4_OFFSET + part] = 0;
	return 0;
}

/* Prefix length: 1 to 3 decimal digits, at most max. */
static int
parse_prefix(const char *s, int max)
{
	int v = 0;
	size_t i;

	if (*s == '\0' || strlen(s) > 3)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

static void
prefix_mask(uint8_t mask[16], int bits)
{
	int i;

	for (i = 0; i < 16; i++, bits -= 8) {
		if (bits >= 8)
			mask[i] = 0xff;
		else if (bits > 0)
			mask[i] = (uint8_t)(0xff << (8 - bits));
		else
			mask[i] = 0;
	}
}

/* A CIDR prefix "10.1.0.0/16" or "fd00::/8"; host bits must be zero. */
static int
parse_cidr(const char *text, const char *slash, struct filter_entry *e,
    char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN], fixed[INET6_ADDRSTRLEN];
	size_t hlen = (size_t)(slash - text);
	struct in_addr in;
	int i, bits, v4, dirty = 0;

	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	v4 = strchr(host, ':') == NULL;
	if ((bits = parse_prefix(slash + 1, v4 ? 32 : 128)) == -1) {
		snprintf(err, errlen, "\"%s\": prefix length must be 0..%d",
		    text, v4 ? 32 : 128);
		return -1;
	}
	if (v4) {
		if (inet_pton(AF_INET, host, &in) != 1)
			goto bad;
		set_v4(e, &in);
		bits += 96;
	} else if (inet_pton(AF_INET6, host, e->addr) != 1)
		goto bad;
	prefix_mask(e->mask, bits);
	for (i = 0; i < 16; i++) {
		dirty |= e->addr[i] & ~e->mask[i];
		e->addr[i] &= e->mask[i];
	}
	if (dirty) {
		filter_format_addr(e->addr, fixed, sizeof(fixed));
		snprintf(err, errlen, "\"%s\": host bits are set after the "
		    "prefix (did you mean %s%s?)", text, fixed, slash);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "\"%s\": not an address prefix", text);
	return -1;
}

int
filter_parse_entry(const char *text, struct filter_entry *e, bool *any,
    char *err, size_t errlen)
{
	struct in_addr in;
	const char *slash;

	memset(e, 0, sizeof(*e));
	*any = false;
	if (strcmp(text, "any") == 0) {
		*any = true;
		return 0;
	}
	if ((slash = strchr(text, '/')) != NULL)
		return parse_cidr(text, slash, e, err, errlen);
	if (strchr(text, '*') != NULL) {
		if (parse_wildcard(text, e) == 0)
			return 0;
		snprintf(err, errlen, "\"%s\": not an IPv4 wildcard "
		    "(like \"192.168.0.*\")", text);
		return -1;
	}
	if (inet_pton(AF_INET, text, &in) == 1) {
		set_v4(e, &in);
		return 0;
	}
	if (inet_pton(AF_INET6, text, e->addr) == 1) {
		memset(e->mask, 0xff, sizeof(e->mask));
		return 0;
	}
	snprintf(err, errlen, "\"%s\": not \"any\", an address, an IPv4 "
	    "wildcard or a prefix", text);
	return -1;
}

void
filter_init(struct addr_filter *f)
{
	memset(f, 0, sizeof(*f));
}

int
filter_add(struct addr_filter *f, const char *text, char *err,
    size_t errlen)
{
	struct filter_entry e;
	bool any;

	if (filter_parse_entry(text, &e, &any, err, errlen) == -1)
		return -1;
	if (any ? f->count > 0 : f->any) {
		snprintf(err, errlen, "\"any\" cannot be combined with "
		    "other entries");
		return -1;
	}
	if (any) {
		f->any = true;
		return 0;
	}
	if (f->count >= CFG_FILTER_MAX) {
		snprintf(err, errlen, "\"%s\": more than %d entries in one "
		    "filter", text, CFG_FILTER_MAX);
		return -1;
	}
	f->entry[f->count++] = e;
	return 0;
}
