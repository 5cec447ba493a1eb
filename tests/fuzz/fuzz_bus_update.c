/*
 * Inbound bus messages from any local client: the input is one message
 * (not NUL-terminated) and goes through the three pure functions that
 * judge or print it:
 *	bus_update_decode	as the worker of outstation "demo" (the
 *				embedded default's sizes: 10 points of each
 *				type) with a full batch and with room for 2
 *	bus_envelope_check	as the hub, knowing "demo" and "feeder-1",
 *				and knowing every name
 *	bus_format_line		as dnp3-events, into a roomy and a small
 *				buffer
 * Aborts when a result breaks the promises of bus/update.h and
 * bus/format.h: an update outside the database, an error code out of
 * range or without a message, a line that is not NUL-terminated or
 * longer than the buffer.
 *
 * Inputs go up to the bus's limit (BUS_MSG_MAX, 65536 bytes) and a
 * little beyond, which must be refused as too big; the seeds include a
 * batch just under the limit (65535 bytes) and a message one byte over.
 *
 * fuzz-options: -max_len=66000
 */
#include <stdlib.h>
#include <string.h>

#include "bus/format.h"
#include "bus/update.h"

static struct outstation_config cfg;
static struct bus_update out[BUS_BATCH_MAX];

static void
setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	strcpy(cfg.name, "demo");
	for (int t = 0; t < PT_COUNT; t++) {
		cfg.db[t].count = 10;
		cfg.db[t].class = 1;
	}
}

static void
check_code(int rc, const char *err, size_t errlen)
{
	if (rc == BUS_DECODE_OK || rc == BUS_DECODE_IGNORE)
		return;
	if (rc >= 0 || -rc >= BUS_ERR_COUNT)
		abort();
	if (memchr(err, '\0', errlen) == NULL || err[0] == '\0')
		abort();
	if (bus_msg_strerror(rc) == NULL && bus_msg_strerror(-rc) == NULL)
		abort();
}

static void
check_update(const struct bus_update *u)
{
	if ((unsigned)u->type >= PT_COUNT || u->index >= cfg.db[u->type].count)
		abort();
	if (u->type == PT_DOUBLE_BIT_INPUT && u->value.dbit > 3)
		abort();
	if (u->type == PT_OCTET_STRING && u->value.octets.len == 0)
		abort();
}

static void
decode(const char *msg, size_t len, size_t max)
{
	struct bus_inbound in;
	char err[256];
	int rc;

	memset(err, 'x', sizeof(err));
	rc = bus_update_decode(msg, len, &cfg, &in, out, max, err,
	    sizeof(err));
	check_code(rc, err, sizeof(err));
	if (rc != BUS_DECODE_OK)
		return;
	if (in.kind == BUS_IN_UPDATE) {
		if (in.count == 0 || in.count > max)
			abort();
		for (size_t i = 0; i < in.count; i++)
			check_update(&out[i]);
	} else if (in.kind != BUS_IN_CONTROL_ANSWER)
		abort();
}

static int
known(const char *name, void *arg)
{
	(void)arg;
	return strcmp(name, "demo") == 0 || strcmp(name, "feeder-1") == 0;
}

static void
envelope(const char *msg, size_t len, int (*fn)(const char *, void *))
{
	char op[32], err[256];
	int64_t id;
	int rc;

	memset(op, 'x', sizeof(op));
	memset(err, 'x', sizeof(err));
	rc = bus_envelope_check(msg, len, fn, NULL, &id, op, sizeof(op), err,
	    sizeof(err));
	check_code(rc, err, sizeof(err));
	if (rc == BUS_DECODE_OK && memchr(op, '\0', sizeof(op)) == NULL)
		abort();
}

static void
format(const char *msg, size_t len, size_t cap)
{
	char buf[4096];
	int n;

	n = bus_format_line(msg, len, 1764000000123LL, buf, cap);
	if (n < 0)
		return;
	if ((size_t)n >= cap || memchr(buf, '\0', cap) == NULL ||
	    strlen(buf) != (size_t)n)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;

	if (cfg.name[0] == '\0')
		setup();
	decode(msg, size, BUS_BATCH_MAX);
	decode(msg, size, 2);
	envelope(msg, size, known);
	envelope(msg, size, NULL);
	format(msg, size, 4096);
	format(msg, size, 40);
	return 0;
}
