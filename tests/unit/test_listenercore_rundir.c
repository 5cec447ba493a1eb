/*
 * The runtime directory (finding 6 of issue 21): created closed, or used
 * only when it is a real directory of the listener's user that nobody
 * else may write to; a symlink, a 0777 directory or one owned by another
 * user is refused. The bus preparation then closes it to 0750 through
 * the descriptor.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listener/bus_dir.h"
#include "listener/proc.h"

static char base[] = "/tmp/dnp3d-rundir.XXXXXX";
static struct dnp3d_config cfg;

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(base) == NULL)
		return -1;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.runtime_dir, sizeof(cfg.runtime_dir), "%s/run", base);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void
reset(void)
{
	char empty[300];

	snprintf(empty, sizeof(empty), "%s/empty", cfg.runtime_dir);
	rmdir(empty);
	unlink(cfg.runtime_dir);
	rmdir(cfg.runtime_dir);
}

static void
test_created_closed(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	reset();
	fd = proc_prepare_rundir(&cfg);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 077, 0);
	assert_int_equal(listener_bus_prepare(&cfg, fd), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	close(fd);
	/* An existing one of ours, closed to others, is used again. */
	fd = proc_prepare_rundir(&cfg);
	assert_true(fd >= 0);
	close(fd);
}

static void
test_refused(void **state)
{
	char other[300];

	(void)state;
	reset();
	assert_int_equal(mkdir(cfg.runtime_dir, 0777), 0);
	assert_int_equal(chmod(cfg.runtime_dir, 0777), 0);
	assert_int_equal(proc_prepare_rundir(&cfg), -1);
	assert_int_equal(chmod(cfg.runtime_dir, 0770), 0);
	assert_int_equal(proc_prepare_rundir(&cfg), -1);
	/* A symlink to a good directory is refused all the same. */
	reset();
	snprintf(other, sizeof(other), "%s/other", base);
	assert_int_equal(mkdir(other, 0700), 0);
	assert_int_equal(symlink(other, cfg.runtime_dir), 0);
	assert_int_equal(proc_prepare_rundir(&cfg), -1);
	unlink(cfg.runtime_dir);
	if (geteuid() == 0) {
		assert_int_equal(mkdir(cfg.runtime_dir, 0755), 0);
		assert_int_equal(chown(cfg.runtime_dir, 4242, 4242), 0);
		assert_int_equal(proc_prepare_rundir(&cfg), -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created_closed),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
