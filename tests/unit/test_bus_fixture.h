/*
 * Shared by the unit tests that run a real bus hub (ipc:// in a temp
 * dir) and look at what an application on it receives: the nanomsg
 * leak suppression, a monotonic clock, the next message as JSON with
 * the hub pumped meanwhile, and JSON field getters.
 *
 * Include it once per test program: it defines
 * __lsan_default_suppressions.
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
#include <sys/types.h>
#include <time.h>

#include "bus/bus.h"

/* nanomsg 1.1.5 keeps global state after the last socket closes. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:nn_\n";
}

static inline int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The next message app gets, as JSON, or NULL after ms. Meanwhile
 * forward() is called whenever the hub's descriptor hub_fd is readable.
 */
static inline json_t *
bus_fixture_next(struct bus_client *app, int hub_fd, void (*forward)(void),
    int ms)
{
	static char buf[BUS_MSG_MAX + 1];
	struct pollfd p[2] = {
		{ .fd = hub_fd, .events = POLLIN },
		{ .fd = bus_client_fd(app), .events = POLLIN },
	};
	int64_t end = mono_ms() + ms;
	ssize_t n;

	while (mono_ms() < end) {
		if (poll(p, 2, 20) > 0 && (p[0].revents & POLLIN))
			forward();
		if ((n = bus_client_recv(app, buf, sizeof(buf))) > 0)
			return json_loadb(buf, (size_t)n, 0, NULL);
		assert_true(n == 0);
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
