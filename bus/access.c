/*
 * Who may join the bus: the permissions of the ipc socket file (and of the
 * runtime directory above it), and whether a tcp endpoint is loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus/access.h"

#define IPC_PREFIX	"ipc://"
#define TCP_PREFIX	"tcp://"

const char *
bus_ipc_name(const char *url, const char *rundir)
{
	size_t n = strlen(rundir);
	const char *name;

	if (strncmp(url, IPC_PREFIX, strlen(IPC_PREFIX)) != 0)
		return NULL;
	url += strlen(IPC_PREFIX);
	while (n > 1 && rundir[n - 1] == '/')
		n--;
	if (strncmp(url, rundir, n) != 0 || url[n] != '/')
		return NULL;
	name = url + n + 1;
	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return NULL;
	return name;
}

int
bus_ipc_restrict_at(int dirfd, const char *name, mode_t mode, gid_t gid,
    char *err, size_t errlen)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: not a socket", name);
		return -1;
	}
	if (fchmodat(dirfd, name, mode, 0) == -1) {
		snprintf(err, errlen, "chmod %s: %s", name, strerror(errno));
		return -1;
	}
	if (gid != (gid_t)-1 && st.st_gid != gid &&
	    fchownat(dirfd, name, (uid_t)-1, gid, AT_SYMLINK_NOFOLLOW) == -1) {
		snprintf(err, errlen, "chown %s: %s", name, strerror(errno));
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
