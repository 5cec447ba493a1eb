/*
 * The loader reads every scalar key of config/keys.h through its row: a
 * value in range lands in the row's field, one past the range is refused
 * naming file, line and the key's path. A new row is covered here
 * without a new test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "config/keys.h"
#include "listener/config_load.h"

/* The file: a memfd, named by its /proc path in the messages. */
static char conf[64];

/* The point type a per-type key is tried with. */
#define TYPE	PT_ANALOG_INPUT

/* "a.*.b" = V as nested groups: "a = { analog_input = { b = V; }; };" */
static void
nested(const char *path, const char *value, char *buf, size_t len)
{
	char comp[64];
	size_t n, off = 0, depth = 0;

	for (;;) {
		n = strcspn(path, ".");
		snprintf(comp, sizeof(comp), "%.*s", (int)n, path);
		if (strcmp(comp, "*") == 0)
			snprintf(comp, sizeof(comp), "%s",
			    point_type_names[TYPE]);
		if (path[n] == '\0')
			break;
		off += (size_t)snprintf(buf + off, len - off, "%s = { ", comp);
		depth++;
		path += n + 1;
	}
	off += (size_t)snprintf(buf + off, len - off, "%s = %s; ", comp,
	    value);
	while (depth-- > 0)
		off += (size_t)snprintf(buf + off, len - off, "}; ");
}

/* One line: the key k = value in the first outstation (or its server). */
static int
load_with(const struct config_key *k, const char *value,
    struct dnp3d_config *cfg, char *err, size_t errlen)
{
	char key[256], addr[64] = "", master[64] = "";
	FILE *fp;
	int fd, rc;

	nested(k->path, value, key, sizeof(key));
	/* A tls group needs its three files (not opened without -t). */
	if (strncmp(k->path, "tls.", 4) == 0)
		snprintf(key + strlen(key) - 3, sizeof(key) - strlen(key) + 3,
		    "certificate = \"/c\"; private_key = \"/k\"; "
		    "ca = \"/a\"; }; ");
	/* multidrop needs its route. */
	if (strcmp(k->path, "multidrop") == 0)
		snprintf(key + strlen(key), sizeof(key) - strlen(key),
		    "route = \"link_address\"; ");
	if (strcmp(k->path, "address") != 0)
		snprintf(addr, sizeof(addr), "address = 10; ");
	if (strcmp(k->path, "master") != 0)
		snprintf(master, sizeof(master), "master = 1; ");
	fd = memfd_create("dnp3d.conf", 0);
	assert_true(fd >= 0);
	snprintf(conf, sizeof(conf), "/proc/self/fd/%d", fd);
	assert_non_null(fp = fdopen(fd, "w"));
	fprintf(fp, "servers = ( { listen = \"127.0.0.1:20000\"; %s"
	    "outstations = ( { name = \"a\"; filter = \"any\"; %s%s%s} ); "
	    "} );\n", k->scope == CK_SERVER ? key : "", addr, master,
	    k->scope == CK_OUTSTATION ? key : "");
	fflush(fp);
	rc = config_load(conf, cfg, err, errlen);
	fclose(fp);
	return rc;
}

/* A value inside the range, as text and as the field should hold it. */
static long long
inside(const struct config_key *k, char *text, size_t len)
{
	long long v = k->doc_range ? 1 : k->max;	/* 1: a valid variation */

	if (k->type == CK_BOOL)
		snprintf(text, len, "%s", v ? "true" : "false");
	else if (k->type == CK_WORD)
		snprintf(text, len, "\"%s\"", k->words[v]);
	else if (k->type == CK_FLOAT)
		snprintf(text, len, "2.5");
	else
		snprintf(text, len, "%lld", v);
	return v;
}

static void
test_every_key_read(void **state)
{
	const struct config_key *k;
	struct dnp3d_config cfg;
	char text[64], err[512];
	long long v;
	int n = 0;

	(void)state;
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		if (k->scope == CK_TOP || k->type == CK_CODE)
			continue;
		v = inside(k, text, sizeof(text));
		if (load_with(k, text, &cfg, err, sizeof(err)) != 0)
			fail_msg("%s = %s: %s", k->path, text, err);
		if (k->type == CK_FLOAT)
			assert_true(config_key_get_float(k, &cfg.outstations[0],
			    TYPE) == 2.5);
		else
			assert_int_equal(config_key_get(k, &cfg.outstations[0],
			    TYPE), v);
		config_free(&cfg);
		n++;
	}
	assert_true(n > 15);	/* the loop reached the table */
}

static void
test_every_range_refused(void **state)
{
	const struct config_key *k;
	struct dnp3d_config cfg;
	char text[64], path[256], want[512], err[512];
	size_t i;

	(void)state;
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		if (k->scope == CK_TOP || k->type != CK_INT)
			continue;
		/* libconfig wants an L on what does not fit in 32 bits */
		snprintf(text, sizeof(text), "%lld%s", k->max + 1,
		    k->max + 1 > INT32_MAX ? "L" : "");
		assert_int_equal(load_with(k, text, &cfg, err, sizeof(err)),
		    -1);
		snprintf(path, sizeof(path), "%s", k->path);
		for (i = 0; path[i] != '\0'; i++)
			if (path[i] == '*')
				break;
		if (path[i] == '*')
			snprintf(path + i, sizeof(path) - i, "%s%s",
			    point_type_names[TYPE], k->path + i + 1);
		snprintf(want, sizeof(want), "%s:1: servers.[0].%s%s: %lld is "
		    "out of range %lld..%lld", conf, k->scope == CK_SERVER ?
		    "" : "outstations.[0].", path, k->max + 1, k->min, k->max);
		assert_string_equal(err, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key_read),
		cmocka_unit_test(test_every_range_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
