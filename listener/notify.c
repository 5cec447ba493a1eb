/*
 * Readiness and status notification to the service manager: the
 * NOTIFY_SOCKET datagram protocol documented in sd_notify(3), written out
 * here so that dnp3d does not need libsystemd.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/notify.h"

/* One datagram; a longer status is cut (systemd shows one line anyway). */
#define NOTIFY_MSG_MAX	512

/* The last failure reported, so a broken socket is logged once, not on
 * every status update. 0 after a success. */
static int notify_last_error;

static void
notify_report(int error, const char *what, const char *path)
{
	if (error == notify_last_error)
		return;
	notify_last_error = error;
	if (error > 0) {
		errno = error;
		log_warn("notify: %s \"%.108s\"", what, path);
	} else
		log_warnx("notify: %s \"%.108s\"", what, path);
}

/*
 * Fills sun from NOTIFY_SOCKET. Returns 1 with an address, 0 when the
 * variable is unset or empty (not started by a service manager), -1 when it
 * holds something this code cannot send to.
 */
static int
notify_address(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t n;

	if (path == NULL || path[0] == '\0')
		return 0;
	if (path[0] != '/' && path[0] != '@') {
		notify_report(-1, "NOTIFY_SOCKET is neither an absolute path "
		    "nor an @abstract name:", path);
		return -1;
	}
	n = strlen(path);
	if (n >= sizeof(sun->sun_path)) {
		notify_report(-2, "NOTIFY_SOCKET is too long:", path);
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	/* An abstract name starts with a NUL byte and its length is exact. */
	if (path[0] == '@')
		sun->sun_path[0] = '\0';
	else
		n++;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	return 1;
}

/*
 * Appends "\n" (unless first) and "<key><value>" to buf, replacing control
 * characters in value by spaces and cutting what does not fit.
 */
static size_t
notify_append(char *buf, size_t size, size_t used, const char *key,
    const char *value)
{
	const char *parts[2] = { key, value };

	if (used > 0 && used < size - 1)
		buf[used++] = '\n';
	for (int i = 0; i < 2; i++) {
		for (const char *p = parts[i]; *p != '\0' && used < size - 1;
		    p++) {
			unsigned char c = (unsigned char)*p;
			buf[used++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
		}
	}
	buf[used] = '\0';
	return used;
}

static void
notify_send(const char *msg, size_t len)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t sunlen;
	ssize_t sent;
	int fd;

	if (notify_address(path, &sun, &sunlen) != 1)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		notify_report(errno, "socket for NOTIFY_SOCKET", path);
		return;
	}
	sent = sendto(fd, msg, len, MSG_NOSIGNAL, (struct sockaddr *)&sun,
	    sunlen);
	if (sent == -1)
		notify_report(errno, "send to NOTIFY_SOCKET", path);
	else if ((size_t)sent != len)
		notify_report(EMSGSIZE, "send to NOTIFY_SOCKET", path);
	else
		notify_last_error = 0;
	close(fd);
}

void
notify_ready(const char *status)
{
	char msg[NOTIFY_MSG_MAX];
	size_t n;

	n = notify_append(msg, sizeof(msg), 0, "READY=", "1");
	if (status != NULL)
		n = notify_append(msg, sizeof(msg), n, "STATUS=", status);
	notify_send(msg, n);
}

void
notify_status(const char *status)
{
	char msg[NOTIFY_MSG_MAX];
	size_t n;

	if (status == NULL)
		return;
	n = notify_append(msg, sizeof(msg), 0, "STATUS=", status);
	notify_send(msg, n);
}

void
notify_stopping(void)
{
	char msg[NOTIFY_MSG_MAX];
	size_t n;

	n = notify_append(msg, sizeof(msg), 0, "STOPPING=", "1");
	notify_send(msg, n);
}

void
notify_reloading(void)
{
	char msg[NOTIFY_MSG_MAX], usec[24];
	struct timespec ts;
	size_t n;

	n = notify_append(msg, sizeof(msg), 0, "RELOADING=", "1");
	/* Type=notify-reload (systemd 253) wants the time of the request. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) {
		snprintf(usec, sizeof(usec), "%llu",
		    (unsigned long long)ts.tv_sec * 1000000 +
		    (unsigned long long)ts.tv_nsec / 1000);
		n = notify_append(msg, sizeof(msg), n, "MONOTONIC_USEC=", usec);
	}
	notify_send(msg, n);
}
