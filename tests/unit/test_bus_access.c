/*
 * Who may join the bus: the socket file of an ipc:// endpoint, named
 * relative to the runtime directory and restricted through its
 * descriptor (never a symlink, never anything but a socket), and which
 * tcp:// endpoints are local.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bus/access.h"

static void
test_ipc_name(void **state)
{
	(void)state;
	assert_string_equal(bus_ipc_name("ipc:///run/dnp3d/bus.ipc",
	    "/run/dnp3d"), "bus.ipc");
	assert_string_equal(bus_ipc_name("ipc:///run/dnp3d/bus.ipc",
	    "/run/dnp3d/"), "bus.ipc");
	assert_null(bus_ipc_name("ipc:///run/dnp3d/sub/bus.ipc",
	    "/run/dnp3d"));
	assert_null(bus_ipc_name("ipc:///run/dnp3dx/bus.ipc", "/run/dnp3d"));
	assert_null(bus_ipc_name("ipc:///tmp/bus.ipc", "/run/dnp3d"));
	assert_null(bus_ipc_name("ipc:///run/dnp3d/", "/run/dnp3d"));
	assert_null(bus_ipc_name("ipc:///run/dnp3d/..", "/run/dnp3d"));
	assert_null(bus_ipc_name("tcp://127.0.0.1:5555", "/run/dnp3d"));
}

static void
test_restrict_at(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/dnp3d-access.XXXXXX", err[256] = "";
	struct stat st;
	int dfd, s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_true((dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/bus.ipc", dir);
	assert_true((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(bus_ipc_restrict_at(dfd, "bus.ipc", 0600, (gid_t)-1,
	    err, sizeof(err)), 0);
	assert_int_equal(fstatat(dfd, "bus.ipc", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	if (geteuid() == 0) {	/* chown to another group needs root */
		assert_int_equal(bus_ipc_restrict_at(dfd, "bus.ipc", 0660,
		    4242, err, sizeof(err)), 0);
		assert_int_equal(fstatat(dfd, "bus.ipc", &st, 0), 0);
		assert_int_equal(st.st_gid, 4242);
		assert_int_equal(st.st_mode & 07777, 0660);
	}
	/* A symlink to the socket is not followed; a file is not a socket. */
	assert_int_equal(symlinkat("bus.ipc", dfd, "link.ipc"), 0);
	assert_int_equal(bus_ipc_restrict_at(dfd, "link.ipc", 0666, (gid_t)-1,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "link.ipc: not a socket");
	assert_int_equal(fstatat(dfd, "bus.ipc", &st, 0), 0);
	assert_int_not_equal(st.st_mode & 07777, 0666);
	assert_int_equal(bus_ipc_restrict_at(dfd, "none.ipc", 0660, (gid_t)-1,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "none.ipc: No such file or directory");
	close(s);
	unlinkat(dfd, "link.ipc", 0);
	unlinkat(dfd, "bus.ipc", 0);
	close(dfd);
	rmdir(dir);
}

static void
test_url_is_local(void **state)
{
	(void)state;
	assert_true(bus_url_is_local("ipc:///run/dnp3d/bus.ipc"));
	assert_true(bus_url_is_local("tcp://127.0.0.1:5555"));
	assert_true(bus_url_is_local("tcp://127.3.2.1:5555"));
	assert_true(bus_url_is_local("tcp://[::1]:5555"));
	assert_false(bus_url_is_local("tcp://*:5555"));
	assert_false(bus_url_is_local("tcp://0.0.0.0:5555"));
	assert_false(bus_url_is_local("tcp://10.0.0.1:5555"));
	assert_false(bus_url_is_local("tcp://[::]:5555"));
	assert_false(bus_url_is_local("tcp://eth0:5555"));
	assert_false(bus_url_is_local("ws://127.0.0.1:5555"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipc_name),
		cmocka_unit_test(test_restrict_at),
		cmocka_unit_test(test_url_is_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
