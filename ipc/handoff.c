/*
 * Codec of the hand-off header (see handoff.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "dnp3/app/le.h"
#include "ipc/handoff.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int
handoff_from_sockaddr(struct handoff *h, const struct sockaddr *sa,
    socklen_t salen, uint16_t server)
{
	memset(h, 0, sizeof(*h));
	h->server = server;
	if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		h->family = 4;
		h->port = ntohs(sin->sin_port);
		memcpy(h->addr, v4mapped_prefix, sizeof(v4mapped_prefix));
		memcpy(h->addr + 12, &sin->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6 &&
	    salen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 =
		    (const struct sockaddr_in6 *)sa;
		h->port = ntohs(sin6->sin6_port);
		memcpy(h->addr, &sin6->sin6_addr, 16);
		/* A v4 peer on a dual-stack socket is reported as v4. */
		h->family = memcmp(h->addr, v4mapped_prefix, 12) == 0 ? 4 : 6;
		return 0;
	}
	return -1;
}

void
handoff_encode(const struct handoff *h, uint8_t out[HANDOFF_LEN])
{
	put_le32(out, HANDOFF_MAGIC);
	out[4] = HANDOFF_VERSION;
	out[5] = h->family;
	put_le16(out + 6, h->port);
	memcpy(out + 8, h->addr, 16);
	put_le16(out + 24, h->server);
	put_le16(out + 26, h->resumed ? HANDOFF_F_RESUMED : 0);
}

int
handoff_decode(const uint8_t *buf, size_t len, struct handoff *h,
    const char **why)
{
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	memset(h, 0, sizeof(*h));
	if (len != HANDOFF_LEN) {
		*why = "wrong length";
		return -1;
	}
	if (get_le32(buf) != HANDOFF_MAGIC) {
		*why = "bad magic";
		return -1;
	}
	if (buf[4] != HANDOFF_VERSION) {
		*why = "unsupported version";
		return -1;
	}
	if (buf[5] != 4 && buf[5] != 6) {
		*why = "bad address family";
		return -1;
	}
	if (buf[5] == 4 && memcmp(buf + 8, v4mapped_prefix, 12) != 0) {
		*why = "IPv4 address not in mapped form";
		return -1;
	}
	if ((get_le16(buf + 26) & ~HANDOFF_F_RESUMED) != 0) {
		*why = "unknown flags";
		return -1;
	}
	h->family = buf[5];
	h->port = get_le16(buf + 6);
	memcpy(h->addr, buf + 8, 16);
	h->server = get_le16(buf + 24);
	h->resumed = (get_le16(buf + 26) & HANDOFF_F_RESUMED) != 0;
	*why = NULL;
	return 0;
}

char *
handoff_addrstr(const struct handoff *h, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (h->family == 4) {
		inet_ntop(AF_INET, h->addr + 12, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, (unsigned)h->port);
	} else {
		inet_ntop(AF_INET6, h->addr, a, sizeof(a));
		snprintf(buf, size, "[%s]:%u", a, (unsigned)h->port);
	}
	return buf;
}
