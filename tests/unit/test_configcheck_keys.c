/*
 * The table of configuration keys (config/keys.h): its shape (what the
 * loader's walk relies on), the defaults it gives, the worker's re-check
 * that follows it row by row, and dnp3d.conf(5), which must show every
 * key with the type, range and default of its row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "config/keys.h"

/* A configuration the re-check accepts, from the table's defaults. */
static void
good_config(struct outstation_config *oc)
{
	config_outstation_defaults(oc);
	strcpy(oc->name, "feeder-1");
	oc->filter.any = true;
	oc->address = 10;
	oc->master = 1;
	strcpy(oc->endpoint, "127.0.0.1:20000");
	strcpy(oc->user, "dnp3d");
	strcpy(oc->runtime_dir, "/run/dnp3d");
	strcpy(oc->bus, "ipc:///run/dnp3d/bus.ipc");
}

static bool
scalar(const struct config_key *k)
{
	return k->scope != CK_TOP && k->type != CK_CODE;
}

/* Paths are unique; scopes and nested groups are contiguous runs. */
static void
test_shape(void **state)
{
	const struct config_key *k, *j;
	size_t n;

	(void)state;
	assert_true(config_nkeys > 20);
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		if (k > config_keys)
			assert_true(k->scope >= k[-1].scope);
		n = strcspn(k->path, ".");
		for (j = k + 1; j < config_keys + config_nkeys; j++) {
			assert_string_not_equal(j->path, k->path);
			/* a later row of k's first group follows without gap */
			if (k->path[n] == '.' && j > k + 1 &&
			    strncmp(j->path, k->path, n + 1) == 0)
				assert_int_equal(strncmp(j[-1].path, k->path,
				    n + 1), 0);
		}
		if (!scalar(k))
			continue;
		assert_non_null(k->bad);
		assert_true(k->size == 1 || k->size == 2 || k->size == 4 ||
		    (k->type == CK_FLOAT && k->size == sizeof(double)));
		assert_true(k->offset + k->size <= sizeof(struct
		    outstation_config));
		if (config_key_per_type(k))
			assert_true(k->offset + k->size <= offsetof(struct
			    outstation_config, db) + sizeof(struct
			    point_type_config));
		if (k->type == CK_WORD)
			assert_non_null(k->words[k->max]);
	}
}

/* Every scalar key of every point type starts at its row's default. */
static void
test_defaults(void **state)
{
	struct outstation_config oc;
	const struct config_key *k;
	int t;

	(void)state;
	config_outstation_defaults(&oc);
	for (k = config_keys; k < config_keys + config_nkeys; k++)
		for (t = 0; scalar(k) && t < PT_COUNT; t++) {
			if (k->type == CK_FLOAT)
				assert_true(config_key_get_float(k, &oc, t) ==
				    (double)k->def);
			else
				assert_int_equal(config_key_get(k, &oc, t),
				    k->def);
		}
	assert_int_equal(oc.confirm_ms, 5000);
	assert_int_equal(oc.need_time_ms, CFG_NEED_TIME_DEFAULT);
	assert_int_equal(oc.max_controls, CFG_CONTROLS_DEFAULT);
	assert_int_equal(oc.control_answer_ms, 2000);
	assert_int_equal(oc.db[PT_OCTET_STRING].event_buffer, 100);
	assert_int_equal(oc.db[PT_COUNTER].class, 1);
	assert_int_equal(oc.unsol_retries, 3);
}

static void
want_refused(const struct config_key *k, const struct outstation_config *oc,
    int t)
{
	char err[256] = "", want[256];

	if (config_key_per_type(k))
		snprintf(want, sizeof(want), "%s.%s: out of range", k->bad,
		    point_type_names[t]);
	else if (k->type == CK_WORD)
		snprintf(want, sizeof(want), "%s: %d is not %s", k->bad,
		    (int)config_key_get(k, oc, t), k->bad_what);
	else
		snprintf(want, sizeof(want), "%s: %s", k->bad,
		    k->bad_what ? k->bad_what : "out of range");
	assert_int_equal(outstation_config_check(oc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

/* The value fits the field: it reads back as written. */
static bool
settable(const struct config_key *k, struct outstation_config *oc, int t,
    long long v)
{
	config_key_set(k, oc, t, v);
	return config_key_get(k, oc, t) == v;
}

/* min and max pass the worker's re-check. */
static void
want_accepted(const struct config_key *k, const struct outstation_config *good,
    int t)
{
	struct outstation_config oc = *good;
	char err[256];

	config_key_set(k, &oc, t, k->min);
	if (oc.address == oc.master)	/* that rule is not the row's */
		oc.master = (uint16_t)(oc.address + 1);
	assert_int_equal(outstation_config_check(&oc, err, sizeof(err)), 0);
	oc = *good;
	config_key_set(k, &oc, t, k->max);
	assert_int_equal(outstation_config_check(&oc, err, sizeof(err)), 0);
}

/* One past either end of a row's range is refused with its message. */
static void
test_recheck_follows_rows(void **state)
{
	struct outstation_config good, oc;
	const struct config_key *k;
	char err[256];
	int t;

	(void)state;
	good_config(&good);
	assert_int_equal(outstation_config_check(&good, err, sizeof(err)), 0);
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		if (!scalar(k))
			continue;
		t = config_key_per_type(k) ? PT_ANALOG_INPUT : 0;
		oc = good;
		if (k->type == CK_FLOAT) {
			config_key_set_float(k, &oc, t, (double)k->min - 1);
			want_refused(k, &oc, t);
			config_key_set_float(k, &oc, t, NAN);
			want_refused(k, &oc, t);
			continue;
		}
		if (k->doc_range == NULL)	/* else a rule narrows it */
			want_accepted(k, &good, t);
		if (settable(k, &oc, t, k->min - 1))
			want_refused(k, &oc, t);
		oc = good;
		if (settable(k, &oc, t, k->max + 1))
			want_refused(k, &oc, t);
	}
}

/* Spaces in a cell are unpaddable: a -column cell must not break. */
static const char *
cell(const char *text, char buf[96])
{
	size_t i, o = 0;

	for (i = 0; text[i] != '\0' && o + 3 < 96; i++) {
		if (text[i] == ' ')
			buf[o++] = '\\';
		buf[o++] = text[i];
	}
	buf[o] = '\0';
	return buf;
}

/* The line of dnp3d.conf(5)'s KEYS section that shows row k. */
static void
man_line(const struct config_key *k, char *buf, size_t len)
{
	static const char *const type[] = {
		[CK_INT] = "integer", [CK_BOOL] = "boolean",
		[CK_WORD] = "string", [CK_FLOAT] = "number",
	};
	char range[64], def[64], q[3][96];
	size_t off = 0;
	int i, n;

	if (k->type == CK_INT)
		snprintf(range, sizeof(range), "%lld..%lld", k->min, k->max);
	else if (k->type == CK_FLOAT)
		snprintf(range, sizeof(range), "%lld or more", k->min);
	else if (k->type == CK_BOOL)
		snprintf(range, sizeof(range), "true, false");
	else
		range[0] = '\0';
	for (i = 0; k->type == CK_WORD && k->words[i] != NULL; i++)
		off += (size_t)snprintf(range + off, sizeof(range) - off,
		    "%s%s", i ? ", " : "", k->words[i]);
	if (k->flags & CK_REQUIRED)
		snprintf(def, sizeof(def), "required");
	else if (k->type == CK_CODE)
		snprintf(def, sizeof(def), "%s", k->def_text);
	else if (k->type == CK_BOOL)
		snprintf(def, sizeof(def), "%s", k->def ? "true" : "false");
	else if (k->type == CK_WORD)
		snprintf(def, sizeof(def), "%s", k->words[k->def]);
	else
		snprintf(def, sizeof(def), "%lld", k->def);
	n = snprintf(buf, len, ".It Li %s Ta %s Ta %s Ta %s", k->path,
	    cell(k->type == CK_CODE ? k->doc_type : type[k->type], q[0]),
	    cell(k->doc_range ? k->doc_range : range, q[1]),
	    cell(def, q[2]));
	assert_true(n > 0 && (size_t)n < len);	/* the whole line */
}

static void
test_man_page(void **state)
{
	char src[] = __FILE__, path[512], line[256], *page;
	const struct config_key *k;
	size_t len;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/../../deploy/man/dnp3d.conf.5",
	    dirname(src));
	assert_non_null(fp = fopen(path, "r"));
	assert_non_null(page = calloc(1, 1 << 20));
	len = fread(page, 1, (1 << 20) - 1, fp);
	fclose(fp);
	assert_true(len > 0);
	for (k = config_keys; k < config_keys + config_nkeys; k++) {
		man_line(k, line, sizeof(line));
		if (strstr(page, line) == NULL)
			fail_msg("dnp3d.conf(5) lacks \"%s\"", line);
	}
	free(page);
}

int
main(int argc, char **argv)
{
	const struct config_key *k;
	char line[256];

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_recheck_follows_rows),
		cmocka_unit_test(test_man_page),
	};

	/* -m: the lines for the KEYS section of dnp3d.conf(5). */
	if (argc == 2 && strcmp(argv[1], "-m") == 0) {
		for (k = config_keys; k < config_keys + config_nkeys; k++) {
			man_line(k, line, sizeof(line));
			printf("%s\n", line);
		}
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
