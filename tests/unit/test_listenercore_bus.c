/* libs: bus */
/*
 * The listener's side of the bus (listener/bus.c, listener/proc_events.c)
 * as a bus member and the file system see it: the runtime directory 0750
 * in the service group (as root), a shared directory left alone, the
 * socket 0660 in the service group, the listener's events (worker_started,
 * worker_exited with exit code, signal, seccomp reason and restart delay,
 * rejected) and the "unknown outstation" judged against the
 * configuration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <grp.h>
#include <jansson.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bus/bus.h"
#include "common/log.h"
#include "listener/bus.h"
#include "listener/proc.h"
#include "policy/policy.h"
#include "test_bus_fixture.h"

static struct dnp3d_config cfg;
static struct outstation_config oc[2];
static struct bus_client *app;

/* The next message the member gets (the hub pumped), 2 s at most. */
static json_t *
next(void)
{
	json_t *o = bus_fixture_next(app, listener_bus_fd(),
	    listener_bus_forward, 2000);

	if (o == NULL)
		fail_msg("no message within 2 s");
	return o;
}

/* The workers' user, named explicitly: "dnp3d" need not exist here. */
#define TEST_USER	"nobody"

/* The group policy/ runs workers in. */
static gid_t
service_gid(void)
{
	struct passwd *pw = getpwnam(TEST_USER);

	return pw != NULL ? pw->pw_gid : (gid_t)-1;
}

static int
setup(void **state)
{
	char err[256];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(oc, 0, sizeof(oc));
	strcpy(cfg.user, TEST_USER);
	snprintf(cfg.runtime_dir, sizeof(cfg.runtime_dir),
	    "/tmp/dnp3d-lbus.XXXXXX");
	assert_non_null(mkdtemp(cfg.runtime_dir));
	assert_true(snprintf(cfg.bus[0], sizeof(cfg.bus[0]), "ipc://%.64s/"
	    "bus.ipc", cfg.runtime_dir) < (int)sizeof(cfg.bus[0]));
	cfg.bus_count = 1;
	strcpy(oc[0].name, "alpha");
	strcpy(oc[1].name, "beta");
	cfg.outstations = oc;
	cfg.outstation_count = 2;
	assert_int_equal(listener_bus_prepare(&cfg), 0);
	assert_int_equal(listener_bus_open(&cfg), 0);
	app = bus_client_open(cfg.bus[0], NULL, err, sizeof(err));
	assert_non_null(app);
	assert_int_equal(bus_client_wait_connected(app, 2000), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	bus_client_close(app);
	listener_bus_close();	/* removes the socket file */
	rmdir(cfg.runtime_dir);
	return 0;
}

static void
test_permissions(void **state)
{
	char path[CFG_PATH_MAX + 16];
	struct stat st;

	(void)state;
	assert_int_equal(stat(cfg.runtime_dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	snprintf(path, sizeof(path), "%s/bus.ipc", cfg.runtime_dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0660);
	if (geteuid() != 0) {
		print_message("not root: groups not checked\n");
		return;
	}
	assert_int_equal(listener_bus_gid(), service_gid());
	assert_int_equal(st.st_gid, service_gid());
	assert_int_equal(st.st_uid, 0);
	/* The listener is back to its own group afterwards. */
	assert_int_equal(getegid(), getgid());
	assert_int_equal(stat(cfg.runtime_dir, &st), 0);
	assert_int_equal(st.st_gid, service_gid());
}

/* A directory writable by others (like /tmp) keeps its mode. */
static void
test_shared_dir_left_alone(void **state)
{
	struct dnp3d_config c;
	struct stat st;

	(void)state;
	memset(&c, 0, sizeof(c));
	snprintf(c.runtime_dir, sizeof(c.runtime_dir), "%.64s/shared",
	    cfg.runtime_dir);
	assert_int_equal(mkdir(c.runtime_dir, 0700), 0);
	assert_int_equal(chmod(c.runtime_dir, 01777), 0);
	assert_int_equal(listener_bus_prepare(&c), 0);
	assert_int_equal(stat(c.runtime_dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 01777);
	rmdir(c.runtime_dir);
}

static void
test_worker_events(void **state)
{
	json_t *o;

	(void)state;
	proc_event_worker_started(&oc[0], 4242);
	proc_event_worker_exited(&oc[0], 4242, SIGKILL, 100, NULL);
	proc_event_worker_exited(&oc[1], 4243, SIGSYS, 2000, NULL);
	proc_event_worker_exited(&oc[1], 4245, SIGSEGV | 0x80, 400, NULL);
	proc_event_worker_exited(&oc[0], 4244, 3 << 8, 0, NULL);
	proc_event_worker_exited(&oc[1], 4246, SIGKILL, 100, "unresponsive");

	o = next();
	assert_string_equal(str(o, "event"), "worker_started");
	assert_string_equal(str(o, "source"), "listener");
	assert_string_equal(str(o, "outstation"), "alpha");
	assert_int_equal(num(o, "pid"), 4242);
	assert_int_equal(num(o, "seq"), 1);
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "event"), "worker_exited");
	assert_int_equal(num(o, "pid"), 4242);
	assert_string_equal(str(o, "signal"), "SIGKILL");
	assert_int_equal(num(o, "signal_number"), 9);
	assert_int_equal(num(o, "restart_in_ms"), 100);
	assert_null(json_object_get(o, "reason"));
	assert_null(json_object_get(o, "exit_code"));
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "outstation"), "beta");
	assert_string_equal(str(o, "signal"), "SIGSYS");
	assert_string_equal(str(o, "reason"), "seccomp violation");
	assert_int_equal(num(o, "restart_in_ms"), 2000);
	json_decref(o);
	o = next();
	assert_string_equal(str(o, "signal"), "SIGSEGV");
	assert_true(json_is_true(json_object_get(o, "core_dumped")));
	assert_null(json_object_get(o, "reason"));
	json_decref(o);
	o = next();
	assert_int_equal(num(o, "exit_code"), 3);
	assert_null(json_object_get(o, "signal"));
	assert_null(json_object_get(o, "restart_in_ms"));
	json_decref(o);
	/* Killed by the listener: it says why. */
	o = next();
	assert_int_equal(num(o, "pid"), 4246);
	assert_string_equal(str(o, "signal"), "SIGKILL");
	assert_string_equal(str(o, "reason"), "unresponsive");
	json_decref(o);
}

static void
test_rejected(void **state)
{
	json_t *o;

	(void)state;
	proc_event_rejected("127.0.0.9:5000", "127.0.0.1:20000",
	    "no outstation matches");
	o = next();
	assert_string_equal(str(o, "event"), "rejected");
	assert_string_equal(str(o, "source"), "listener");
	assert_string_equal(str(o, "peer"), "127.0.0.9:5000");
	assert_string_equal(str(o, "endpoint"), "127.0.0.1:20000");
	assert_string_equal(str(o, "reason"), "no outstation matches");
	assert_null(json_object_get(o, "outstation"));
	json_decref(o);
}

/* The hub knows the configuration's outstations, and only those. */
static void
test_unknown_outstation(void **state)
{
	static const char bad[] = "{\"op\":\"update\",\"outstation\":"
	    "\"gamma\",\"id\":4,\"type\":\"counter\",\"index\":0,\"value\":1}";
	static const char good[] = "{\"op\":\"update\",\"outstation\":"
	    "\"beta\",\"id\":5,\"type\":\"counter\",\"index\":0,\"value\":1}";
	json_t *o;

	(void)state;
	assert_int_equal(bus_client_publish(app, good, strlen(good)), 0);
	assert_int_equal(bus_client_publish(app, bad, strlen(bad)), 0);
	o = next();
	assert_string_equal(str(o, "event"), "error");
	assert_string_equal(str(o, "error"), "unknown outstation");
	assert_string_equal(str(o, "outstation"), "gamma");
	assert_int_equal(num(o, "id"), 4);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_permissions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_shared_dir_left_alone,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_worker_events, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_outstation, setup,
		    teardown),
	};

	log_init("test", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
