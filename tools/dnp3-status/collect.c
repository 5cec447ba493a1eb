/*
 * One round: the request on the bus, then its answers until all are in
 * or the time is up. Whatever else is on the bus passes by.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bus/client.h"
#include "bus/update.h"
#include "common/log.h"
#include "collect.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What waits on the bus, into r (NULL: dropped). -1 on a socket error. */
static int
take(struct bus_client *c, struct status_report *r, int64_t id)
{
	static char msg[BUS_MSG_MAX + 1];
	ssize_t n;

	/* Bounded: a flood of other traffic ends the round at its time. */
	for (int i = 0; i < 4096; i++) {
		if ((n = bus_client_recv(c, msg, sizeof(msg))) == 0)
			return 0;
		if (n < 0 && errno == EMSGSIZE)
			continue;
		if (n < 0) {
			log_warnx("bus: %s", strerror(errno));
			return -1;
		}
		if (r != NULL)
			status_answer(r, id, msg, (size_t)n);
	}
	return 0;
}

/* Asks again, by name, for what did not come; at most AGAIN_MAX names a
   wave, so that the answers fit where the first ones did not. While some
   outstations are not even known by name, the whole request again. */
#define AGAIN_MAX	64
#define QUIET_MS	100	/* no answer for this long: a wave */

static int
ask(struct bus_client *c, int64_t id, const char *name)
{
	char req[128];

	if (name != NULL)
		snprintf(req, sizeof(req), "{\"op\":\"status\",\"outstation\":"
		    "\"%s\",\"id\":%lld}", name, (long long)id);
	else
		snprintf(req, sizeof(req), "{\"op\":\"status\",\"id\":%lld}",
		    (long long)id);
	if (bus_client_publish(c, req, strlen(req)) == -1) {
		log_warnx("cannot send to the bus");
		return -1;
	}
	return 0;
}

static int
ask_again(struct bus_client *c, const struct status_report *r, int64_t id)
{
	const char *name;
	size_t from = 0;

	/* The server's answer, or outstations whose worker_status was lost
	   (no name here yet): ask everyone again (answers in are kept). */
	if (!r->server || r->count < r->n[SC_OUTSTATIONS])
		return ask(c, id, NULL);
	for (int k = 0; k < AGAIN_MAX &&
	    (name = status_missing(r, &from)) != NULL; k++)
		if (ask(c, id, name) == -1)
			return -1;
	return 0;
}

int
status_collect(struct bus_client *c, struct status_report *r, int64_t id,
    int timeout_ms, volatile sig_atomic_t *stop)
{
	struct pollfd p = { .fd = bus_client_fd(c), .events = POLLIN };
	int64_t end = mono_ms() + timeout_ms, left, quiet;
	int n;

	r->server = false;
	r->count = r->ignored = 0;
	/* Answers to an earlier round are not this one's. */
	if (take(c, NULL, id) == -1)
		return -1;
	if (ask(c, id, NULL) == -1)
		return -1;
	quiet = mono_ms() + QUIET_MS;
	while (!*stop && !status_complete(r) && (left = end - mono_ms()) > 0) {
		if ((n = poll(&p, 1, (int)(left < QUIET_MS ? left :
		    QUIET_MS))) == -1 && errno != EINTR)
			return -1;
		if (n > 0)
			quiet = mono_ms() + QUIET_MS;
		else if (mono_ms() >= quiet) {
			if (ask_again(c, r, id) == -1)
				return -1;
			quiet = mono_ms() + QUIET_MS;
		}
		if (take(c, r, id) == -1)
			return -1;
	}
	return 0;
}
