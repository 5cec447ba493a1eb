/*
 * Helpers of the policy tests: fork a child ("kid") that locks itself down
 * with the real policy_lockdown_worker(), let it do one thing, and look at
 * how it ended and at its /proc/<pid>/status from outside.
 *
 * Each kid has a pipe in each direction. Every wait is bounded: the kid
 * arms alarm() before lockdown, and the parent kills it after KID_WAIT_MS.
 */
/* Include after <cmocka.h>. */
#ifndef TEST_POLICY_KID_H
#define TEST_POLICY_KID_H

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy.h"

/* Not every test file uses every helper. */
#define KID_FN	static __attribute__((unused))

#define KID_WAIT_MS	10000
#define KID_LOCKDOWN_FAILED	99

struct kid {
	pid_t pid;
	int to_kid, from_kid;	/* parent's ends */
	int in, out;		/* kid's ends */
};

typedef void (*kid_body)(struct kid *k);	/* runs in the kid, _exit()s */

static char kid_tmp[64];	/* mkdtemp() */
static char kid_empty[96];	/* kid_tmp/empty, the chroot */
static const char *kid_user = "nobody";

KID_FN int
kid_group_setup(void **state)
{
	char err[256];

	(void)state;
	/* A kid that died must fail a test, not kill it with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	snprintf(kid_tmp, sizeof(kid_tmp), "/tmp/dnp3d-policy-XXXXXX");
	if (mkdtemp(kid_tmp) == NULL)
		return -1;
	/* Non-root: nobody may traverse an 0700 dir, which is fine. */
	if (geteuid() == 0 && chmod(kid_tmp, 0755) == -1)
		return -1;
	snprintf(kid_empty, sizeof(kid_empty), "%s/empty", kid_tmp);
	if (policy_prepare_empty_dir(kid_empty, err, sizeof(err)) == -1) {
		fprintf(stderr, "prepare: %s\n", err);
		return -1;
	}
	if (geteuid() != 0)
		printf("# not root: no user change; chroot only where user "
		    "namespaces are allowed\n");
	return 0;
}

KID_FN int
kid_group_teardown(void **state)
{
	char path[160];

	(void)state;
	/* What a failed test may have left behind. */
	chmod(kid_empty, 0755);
	snprintf(path, sizeof(path), "%s/e2", kid_tmp);
	unlink(path);	/* a symlink */
	rmdir(path);
	rmdir(kid_empty);
	rmdir(kid_tmp);
	return 0;
}

/* Kid side: send text to the parent (best effort). */
KID_FN void
kid_say(struct kid *k, const char *text)
{
	ssize_t w = write(k->out, text, strlen(text));
	(void)w;
}

/* Kid side: lock down, or tell the parent why not and exit. */
KID_FN void
kid_lockdown_as(struct kid *k, const char *user, const char *dir)
{
	struct policy_worker pw = { user, dir, 0, 0 };
	char err[256], msg[300];

	if (policy_lockdown_worker(&pw, err, sizeof(err)) == -1) {
		snprintf(msg, sizeof(msg), "lockdown: %s", err);
		kid_say(k, msg);
		_exit(KID_LOCKDOWN_FAILED);
	}
}

KID_FN void
kid_lockdown(struct kid *k)
{
	kid_lockdown_as(k, kid_user, kid_empty);
}

KID_FN void
kid_spawn(struct kid *k, kid_body body)
{
	int down[2], up[2];

	if (pipe(down) == -1 || pipe(up) == -1)
		abort();
	fflush(stdout);
	fflush(stderr);
	if ((k->pid = fork()) == -1)
		abort();
	if (k->pid == 0) {
		close(down[1]);
		close(up[0]);
		k->in = down[0];
		k->out = up[1];
		alarm(KID_WAIT_MS / 1000);
		body(k);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	k->to_kid = down[1];
	k->from_kid = up[0];
}

/* Read what the kid says until it closes its end or the time is up. */
KID_FN size_t
kid_read(struct kid *k, char *buf, size_t size)
{
	struct pollfd pfd = { k->from_kid, POLLIN, 0 };
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && poll(&pfd, 1, KID_WAIT_MS) == 1) {
		if ((n = read(k->from_kid, buf + len, size - 1 - len)) <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return len;
}

/* Wait at most KID_WAIT_MS, then kill; returns the wait status. */
KID_FN int
kid_wait(struct kid *k)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int i, status = 0;

	for (i = 0; i < KID_WAIT_MS / 10; i++) {
		if (waitpid(k->pid, &status, WNOHANG) == k->pid)
			goto done;
		nanosleep(&tick, NULL);
	}
	kill(k->pid, SIGKILL);
	waitpid(k->pid, &status, 0);
	fprintf(stderr, "kid %d did not end in time\n", (int)k->pid);
done:
	close(k->to_kid);
	close(k->from_kid);
	return status;
}

/* Run body in a kid; return its wait status and what it said. */
KID_FN int
kid_run(kid_body body, char *said, size_t size)
{
	struct kid k;
	char scratch[512];

	if (said == NULL) {
		said = scratch;
		size = sizeof(scratch);
	}
	kid_spawn(&k, body);
	kid_read(&k, said, size);
	close(k.to_kid);
	k.to_kid = -1;
	{
		int status = kid_wait(&k);
		if (said[0] != '\0')
			printf("# kid said: %s\n", said);
		return status;
	}
}

KID_FN void
kid_describe(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	else
		snprintf(buf, size, "status 0x%x", status);
}

/*
 * Runs body once per name, with *which its index: each kid must die of
 * SIGSYS at the forbidden call it makes after its lockdown (with the
 * log-only seccomp of a sanitizer build, how it ended is only said).
 */
KID_FN void
kid_each_sigsys(kid_body body, size_t *which, const char *const *names,
    size_t n)
{
	char how[64];

	for (*which = 0; *which < n; (*which)++) {
		int status = kid_run(body, NULL, 0);
		kid_describe(status, how, sizeof(how));
		assert_false(WIFEXITED(status) &&
		    WEXITSTATUS(status) == KID_LOCKDOWN_FAILED);
#if defined(DNP3D_SECCOMP_LOG_ONLY)
		printf("# %s: %s; SIGSYS not asserted: log-only seccomp in "
		    "this sanitizer build\n", names[*which], how);
#else
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
			fail_msg("%s: kid ended with %s, not SIGSYS",
			    names[*which], how);
#endif
	}
}

/* Parent: send the kid one byte; if it is gone, say how it ended. */
KID_FN void
kid_tell(struct kid *k, char c)
{
	char how[64];

	if (write(k->to_kid, &c, 1) == 1)
		return;
	kid_describe(kid_wait(k), how, sizeof(how));
	fail_msg("kid %d is gone: %s", (int)k->pid, how);
}

/* Read /proc/<pid>/<file>, whole. */
KID_FN int
proc_read(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* The value of "Key:\t..." in a status text, without the newline. */
KID_FN const char *
status_field(const char *status, const char *key, char *val, size_t size)
{
	char pat[40];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	if ((p = strstr(status, pat)) == NULL)
		return "";
	p += strlen(pat);
	p += strspn(p, " \t");
	n = strcspn(p, "\n");
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;	/* "Groups:" ends in a space */
	if (n >= size)
		n = size - 1;
	memcpy(val, p, n);
	val[n] = '\0';
	return val;
}

#endif
