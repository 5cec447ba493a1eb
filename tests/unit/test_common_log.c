/* The log helpers write one whole line per call, with level and program. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/log.h"

static char captured[2048];

static void
capture(void (*emit)(void))
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	int saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	emit();
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fds[1]);
	ssize_t n = read(fds[0], captured, sizeof(captured) - 1);
	close(fds[0]);
	captured[n > 0 ? n : 0] = '\0';
}

static void emit_warn(void) { errno = ENOENT; log_warn("%s: open %s", "f", "x"); }
static void emit_debug_off(void) { log_setverbose(0); log_debug("hidden"); }
static void emit_info_named(void) { log_procname("feeder-1"); log_info("up"); log_procname(NULL); }

static void
test_warn_appends_errno(void **state)
{
	(void)state;
	log_init("/usr/sbin/dnp3d", 0);
	capture(emit_warn);
	assert_non_null(strstr(captured, "dnp3d["));
	assert_non_null(strstr(captured, "warning: f: open x: No such file or directory\n"));
}

static void
test_debug_hidden_unless_verbose(void **state)
{
	(void)state;
	capture(emit_debug_off);
	assert_string_equal(captured, "");
}

static void
test_procname_in_line(void **state)
{
	(void)state;
	capture(emit_info_named);
	assert_non_null(strstr(captured, " feeder-1: info: up\n"));
}

static void
test_point_type_names(void **state)
{
	(void)state;
	assert_string_equal(point_type_names[PT_ANALOG_INPUT], "analog_input");
	assert_string_equal(point_type_names[PT_OCTET_STRING], "octet_string");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warn_appends_errno),
		cmocka_unit_test(test_debug_hidden_unless_verbose),
		cmocka_unit_test(test_procname_in_line),
		cmocka_unit_test(test_point_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
