/*
 * Listen endpoints as written in the configuration: "a.b.c.d:port" or
 * "[v6]:port". Addresses go through inet_pton only: no name lookups.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config/endpoint.h"

/* Decimal 1..65535, digits only (no sign, no spaces). */
static int
parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Splits text into host and port; brackets mark an IPv6 host. */
static int
split_host_port(const char *text, char *host, size_t hostlen,
    const char **port, int *v6)
{
	const char *colon, *start = text, *end;

	*v6 = (text[0] == '[');
	if (*v6) {
		start = text + 1;
		if ((end = strchr(start, ']')) == NULL || end[1] != ':')
			return -1;
		colon = end + 1;
	} else {
		if ((colon = strrchr(text, ':')) == NULL ||
		    strchr(text, ':') != colon)
			return -1;
		end = colon;
	}
	if (end == start || (size_t)(end - start) >= hostlen)
		return -1;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	*port = colon + 1;
	return 0;
}

int
endpoint_parse(const char *text, struct sockaddr_storage *ss,
    socklen_t *sslen, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN];
	const char *portstr;
	uint16_t port;
	int v6;

	memset(ss, 0, sizeof(*ss));
	if (split_host_port(text, host, sizeof(host), &portstr, &v6) == -1) {
		snprintf(err, errlen, "\"%s\": expected \"address:port\" "
		    "or \"[IPv6 address]:port\"", text);
		return -1;
	}
	if (parse_port(portstr, &port) == -1) {
		snprintf(err, errlen, "\"%s\": port \"%s\" is not a number "
		    "in 1..65535", text, portstr);
		return -1;
	}
	if (v6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			goto badaddr;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*sslen = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			goto badaddr;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*sslen = sizeof(*sin);
	}
	return 0;
badaddr:
	snprintf(err, errlen, "\"%s\": \"%s\" is not a literal %s address",
	    text, host, v6 ? "IPv6" : "IPv4");
	return -1;
}

static int
endpoint_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
		    htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(
	    &((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static uint16_t
endpoint_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port;
	return ((const struct sockaddr_in6 *)ss)->sin6_port;
}

bool
endpoint_equal(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family ||
	    endpoint_port(a) != endpoint_port(b))
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
	return false;
}

bool
endpoint_conflict(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	if (endpoint_equal(a, b))
		return true;
	if (a->ss_family != b->ss_family ||
	    (a->ss_family != AF_INET && a->ss_family != AF_INET6) ||
	    endpoint_port(a) != endpoint_port(b))
		return false;
	return endpoint_wildcard(a) || endpoint_wildcard(b);
}

void
endpoint_format(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(sin->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 =
		    (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else
		snprintf(buf, len, "(family %d)", ss->ss_family);
}
