/*
 * notify_*() speak the NOTIFY_SOCKET datagram protocol: the bytes a service
 * manager receives, abstract names, no-op without NOTIFY_SOCKET, and one
 * warning per failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "listener/notify.h"

static char sockpath[108];
static char received[1024];
static char logged[2048];

/* A datagram socket bound to NAME ("/path" or "@abstract"). */
static int
manager_socket(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	assert_true(n < sizeof(sun.sun_path));
	memcpy(sun.sun_path, name, n);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, len), 0);
	return fd;
}

/* The next datagram as a string, or -1 when none is waiting. */
static ssize_t
receive(int fd)
{
	ssize_t n = recv(fd, received, sizeof(received) - 1, MSG_DONTWAIT);

	received[n > 0 ? n : 0] = '\0';
	return n;
}

static int stderr_saved = -1, stderr_pipe[2];

static void
capture_begin(void)
{
	assert_int_equal(pipe(stderr_pipe), 0);
	stderr_saved = dup(STDERR_FILENO);
	assert_true(dup2(stderr_pipe[1], STDERR_FILENO) >= 0);
}

static void
capture_end(void)
{
	dup2(stderr_saved, STDERR_FILENO);
	close(stderr_saved);
	close(stderr_pipe[1]);
	ssize_t n = read(stderr_pipe[0], logged, sizeof(logged) - 1);
	close(stderr_pipe[0]);
	logged[n > 0 ? n : 0] = '\0';
}

static int
count(const char *hay, const char *needle)
{
	int c = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		c++;
	return c;
}

static int
setup_path(void **state)
{
	snprintf(sockpath, sizeof(sockpath), "/tmp/dnp3d-notify-%d.sock",
	    (int)getpid());
	unlink(sockpath);
	int *fd = malloc(sizeof(*fd));
	assert_non_null(fd);
	*fd = manager_socket(sockpath);
	assert_int_equal(setenv("NOTIFY_SOCKET", sockpath, 1), 0);
	*state = fd;
	return 0;
}

static int
teardown_path(void **state)
{
	int *fd = *state;

	close(*fd);
	free(fd);
	unlink(sockpath);
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

static void
test_ready_with_status(void **state)
{
	int fd = *(int *)*state;
	const char *want = "READY=1\nSTATUS=2 outstations on 1 endpoint";

	notify_ready("2 outstations on 1 endpoint");
	assert_int_equal(receive(fd), (ssize_t)strlen(want));
	assert_string_equal(received, want);
	assert_int_equal(receive(fd), -1);
}

static void
test_ready_without_status(void **state)
{
	int fd = *(int *)*state;

	notify_ready(NULL);
	assert_int_equal(receive(fd), 7);
	assert_string_equal(received, "READY=1");
}

static void
test_status_and_stopping(void **state)
{
	int fd = *(int *)*state;

	notify_status("feeder-1: master 10.0.0.5 connected");
	assert_true(receive(fd) > 0);
	assert_string_equal(received,
	    "STATUS=feeder-1: master 10.0.0.5 connected");
	notify_stopping();
	assert_true(receive(fd) > 0);
	assert_string_equal(received, "STOPPING=1");
}

/* A status cannot smuggle in a field: control characters become spaces. */
static void
test_status_cannot_add_fields(void **state)
{
	int fd = *(int *)*state;

	notify_status("up\nREADY=1\tnow\r");
	assert_true(receive(fd) > 0);
	assert_string_equal(received, "STATUS=up READY=1 now ");
	assert_null(strchr(received, '\n'));
}

/* A huge status is cut to one bounded datagram, not dropped. */
static void
test_long_status_is_cut(void **state)
{
	int fd = *(int *)*state;
	char big[4096];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	notify_ready(big);
	ssize_t n = receive(fd);
	assert_true(n > 100 && n < 1024);
	assert_memory_equal(received, "READY=1\nSTATUS=xxxx", 19);
	assert_int_equal(strspn(received + 15, "x"), (size_t)n - 15);
}

static void
test_abstract_name(void **state)
{
	char name[64];
	(void)state;

	snprintf(name, sizeof(name), "@dnp3d-notify-test-%d", (int)getpid());
	int fd = manager_socket(name);
	assert_int_equal(setenv("NOTIFY_SOCKET", name, 1), 0);
	notify_ready("abstract");
	assert_true(receive(fd) > 0);
	assert_string_equal(received, "READY=1\nSTATUS=abstract");
	unsetenv("NOTIFY_SOCKET");
	close(fd);
}

/* Without NOTIFY_SOCKET nothing is sent anywhere and nothing is logged. */
static void
test_unset_is_silent_noop(void **state)
{
	int fd = *(int *)*state;

	unsetenv("NOTIFY_SOCKET");
	capture_begin();
	notify_ready("x");
	notify_status("y");
	notify_stopping();
	assert_int_equal(setenv("NOTIFY_SOCKET", "", 1), 0);
	notify_ready("z");
	capture_end();
	assert_int_equal(receive(fd), -1);
	assert_string_equal(logged, "");
}

/* A bad variable or a dead socket is reported once, then again only after
 * a success in between. */
static void
test_failures_logged_once(void **state)
{
	int fd = *(int *)*state;
	char gone[128];

	log_init("dnp3d", 0);
	capture_begin();
	setenv("NOTIFY_SOCKET", "run/systemd/notify", 1);
	notify_ready(NULL);
	notify_status("again");
	capture_end();
	assert_int_equal(count(logged, "warning: "), 1);
	assert_non_null(strstr(logged, "warning: notify: NOTIFY_SOCKET is "
	    "neither an absolute path nor an @abstract name: "
	    "\"run/systemd/notify\"\n"));

	snprintf(gone, sizeof(gone), "%s.gone", sockpath);
	setenv("NOTIFY_SOCKET", gone, 1);
	capture_begin();
	notify_ready(NULL);
	notify_stopping();
	capture_end();
	assert_int_equal(count(logged, "warning: "), 1);
	assert_non_null(strstr(logged, gone));
	assert_non_null(strstr(logged, ": No such file or directory\n"));

	setenv("NOTIFY_SOCKET", sockpath, 1);
	notify_status("back");
	assert_true(receive(fd) > 0);
	assert_string_equal(received, "STATUS=back");

	setenv("NOTIFY_SOCKET", gone, 1);
	capture_begin();
	notify_stopping();
	capture_end();
	assert_int_equal(count(logged, "warning: "), 1);

	char longname[200];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	capture_begin();
	notify_stopping();
	capture_end();
	assert_non_null(strstr(logged, "NOTIFY_SOCKET is too long"));
	assert_int_equal(receive(fd), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ready_with_status,
		    setup_path, teardown_path),
		cmocka_unit_test_setup_teardown(test_ready_without_status,
		    setup_path, teardown_path),
		cmocka_unit_test_setup_teardown(test_status_and_stopping,
		    setup_path, teardown_path),
		cmocka_unit_test_setup_teardown(test_status_cannot_add_fields,
		    setup_path, teardown_path),
		cmocka_unit_test_setup_teardown(test_long_status_is_cut,
		    setup_path, teardown_path),
		cmocka_unit_test(test_abstract_name),
		cmocka_unit_test_setup_teardown(test_unset_is_silent_noop,
		    setup_path, teardown_path),
		cmocka_unit_test_setup_teardown(test_failures_logged_once,
		    setup_path, teardown_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
