/*
 * Who may join the bus: the permissions of the ipc socket file (and of the
 * runtime directory above it), and whether a tcp endpoint is loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/hub.h"

#define IPC_PREFIX	"ipc://"
#define TCP_PREFIX	"tcp://"

int
bus_ipc_restrict(const char *url, mode_t mode, gid_t gid, char *err,
    size_t errlen)
{
	const char *path;

	if (strncmp(url, IPC_PREFIX, strlen(IPC_PREFIX)) != 0)
		return 0;
	path = url + strlen(IPC_PREFIX);
	if (chmod(path, mode) == -1) {
		snprintf(err, errlen, "chmod %s: %s", path, strerror(errno));
		return -1;
	}
	if (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) == -1) {
		snprintf(err, errlen, "chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

bool
bus_url_is_local(const char *url)
{
	char host[INET6_ADDRSTRLEN + 1];
	struct in6_addr a6;
	struct in_addr a4;
	const char *h, *end;
	size_t len;

	if (strncmp(url, IPC_PREFIX, strlen(IPC_PREFIX)) == 0 ||
	    strncmp(url, "inproc://", 9) == 0)
		return true;
	if (strncmp(url, TCP_PREFIX, strlen(TCP_PREFIX)) != 0)
		return false;
	h = url + strlen(TCP_PREFIX);
	if (*h == '[') {
		h++;
		if ((end = strchr(h, ']')) == NULL)
			return false;
	} else if ((end = strrchr(h, ':')) == NULL)
		return false;
	if ((len = (size_t)(end - h)) == 0 || len >= sizeof(host))
		return false;
	memcpy(host, h, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;	/* "*", interface names, host names */
}
