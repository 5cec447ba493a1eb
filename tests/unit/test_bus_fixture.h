/*
 * Shared by the unit tests that look at what a worker sends the hub on
 * its bus socket: a monotonic clock, the next message as JSON, and JSON
 * field getters.
 */
#ifndef TEST_BUS_FIXTURE_H
#define TEST_BUS_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "bus/bus.h"

static inline int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The next message the test's end fd of a bus socketpair gets (what the
 * hub would receive from a worker), as JSON, or NULL after ms.
 */
static inline json_t *
bus_fixture_next(int fd, int ms)
{
	static char buf[BUS_MSG_MAX + 1];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t end = mono_ms() + ms;
	ssize_t n;

	while (mono_ms() < end) {
		if (poll(&p, 1, 20) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		assert_true(n > 0);
		return json_loadb(buf, (size_t)n, 0, NULL);
	}
	return NULL;
}

/* The string at key k of o, NULL if there is none. */
static inline const char *
str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The integer at key k of o; the test fails if there is none. */
static inline json_int_t
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

#endif
