/* libs: dnp3os dnp3link listenercore */
/*
 * The embedded default (no -c) marks its outstations for demo values, a
 * configuration file does not; the worker loads them into its outstation
 * when it sets up (worker_init).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "listener/config_load.h"
#include "worker/worker.h"

static struct worker w;

static double
analog_output(uint32_t i)
{
	return outstation_db(w.session.os)->points[PT_ANALOG_OUTPUT][i].v.analog;
}

static void
test_embedded_default_demo(void **state)
{
	struct dnp3d_config dc;
	char err[256], path[] = "/tmp/test_workercore_demo.XXXXXX";
	const char text[] = "runtime_dir = \"/tmp\";\nservers = ( { listen = "
	    "\"127.0.0.1:20000\"; outstations = ( { name = \"a\"; filter = "
	    "\"any\"; address = 10; master = 1; } ); } );\n";
	FILE *f;
	int fd;
	(void)state;

	assert_int_equal(config_load(NULL, &dc, err, sizeof(err)), 0);
	assert_int_equal(dc.outstation_count, 1);
	assert_true(dc.outstations[0].demo_values);
	worker_init(&w, -1, &dc.outstations[0], -1, NULL);
	assert_true(analog_output(4) == 10.0);	/* i * 2.5 */
	worker_free(&w);
	config_free(&dc);

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(config_load(path, &dc, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(dc.outstation_count, 1);
	assert_false(dc.outstations[0].demo_values);
	worker_init(&w, -1, &dc.outstations[0], -1, NULL);
	assert_true(analog_output(4) == 0.0);
	worker_free(&w);
	config_free(&dc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_default_demo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
