#ifndef DNP3D_CONFIG_ENDPOINT_H
#define DNP3D_CONFIG_ENDPOINT_H

/*
 * Listen endpoints: "0.0.0.0:20000", "127.0.0.1:20000", "[::]:20000",
 * "[::1]:20000". Literal addresses only (no name lookups), port 1..65535.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Returns 0 and fills *ss and *sslen, or -1 with err set. */
int	endpoint_parse(const char *text, struct sockaddr_storage *ss,
	    socklen_t *sslen, char *err, size_t errlen);

/* Same family, address and port. */
bool	endpoint_equal(const struct sockaddr_storage *a,
	    const struct sockaddr_storage *b);

/*
 * True when both cannot be bound at once: equal, or one is the wildcard
 * address of the same family on the same port.
 */
bool	endpoint_conflict(const struct sockaddr_storage *a,
	    const struct sockaddr_storage *b);

/* "127.0.0.1:20000" or "[::1]:20000". */
void	endpoint_format(const struct sockaddr_storage *ss, char *buf,
	    size_t len);

#endif
