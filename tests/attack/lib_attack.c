/*
 * The compromised-worker harness (see lib_attack.h).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "lib_attack.h"
#include "worker/hub_link.h"

#define ATTACK_MASTER_WAIT_MS	30000

static struct attack *self;

/* landlock_create_ruleset, _add_rule, _restrict_self: as if absent. */
static void
hide_landlock(void)
{
	static const int nr[] = { 444, 445, 446 };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (ctx == NULL)
		fatalx("attack: seccomp_init");
	for (size_t i = 0; i < sizeof(nr) / sizeof(nr[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr[i], 0) < 0)
			fatalx("attack: seccomp rule %d", nr[i]);
	if (seccomp_load(ctx) < 0)
		fatalx("attack: seccomp_load");
	seccomp_release(ctx);
}

/* The Nth start of this outstation (0, 1, ...), counted in a file. */
static int
next_start(const char *dir, const char *name)
{
	char path[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s.starts", dir, name);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		fclose(f);
	}
	if ((f = fopen(path, "w")) == NULL)
		fatal("attack: %s", path);
	fprintf(f, "%d\n", n + 1);
	fclose(f);
	return n;
}

/* Vector number n of the comma-separated list, or "" past its end. */
static void
pick_vector(char *out, size_t size, const char *list, int n)
{
	const char *p = list;

	out[0] = '\0';
	while (n-- > 0 && p != NULL)
		if ((p = strchr(p, ',')) != NULL)
			p++;
	if (p != NULL && *p != '\0')
		snprintf(out, size, "%.*s", (int)strcspn(p, ","), p);
}

static pid_t
read_victim(const char *dir)
{
	char path[512];
	FILE *f;
	int pid = 0;

	snprintf(path, sizeof(path), "%s/victim.pid", dir);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

/* Before the bus and the lockdown: files are still reachable. */
static void
before_lockdown(struct worker *w)
{
	const char *target = getenv("DNP3D_ATTACK_TARGET");
	const char *dir = getenv("DNP3D_ATTACK_DIR");
	const char *list = getenv("DNP3D_ATTACK");
	const char *port = getenv("DNP3D_ATTACK_PORT");

	(void)w;
	if (target == NULL || strcmp(target, self->w.cfg.name) != 0 ||
	    dir == NULL || list == NULL)
		return;
	pick_vector(self->vector, sizeof(self->vector), list,
	    next_start(dir, self->w.cfg.name));
	self->victim = read_victim(dir);
	self->port = port != NULL ? atoi(port) : 0;
	/* Before nanomsg's thread exists, so that it inherits the filter. */
	if (getenv("DNP3D_ATTACK_NO_LANDLOCK") != NULL)
		hide_landlock();
}

void
attack_start(struct attack *a, int argc, char **argv)
{
	int ch, verbose = 0;

	while ((ch = getopt(argc, argv, "d")) != -1)
		if (ch == 'd')
			verbose++;
	log_init("dnp3d-worker", verbose);
	memset(a, 0, sizeof(*a));
	self = a;
	worker_start(&a->w, &worker_tls_ops, before_lockdown, NULL);
	if (a->vector[0] != '\0')
		attack_say(a, "start (victim pid %d)", (int)a->victim);
}

void
attack_say(const struct attack *a, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_info("attack %s: %s", a->vector, text);
}

void
attack_result(const struct attack *a, const char *what, long rc)
{
	attack_say(a, "%s: %s", what, rc == -1 ? strerror(errno) : "ok");
}

int
attack_wait_master(struct attack *a)
{
	static struct chan_msg m;
	struct pollfd pfd = { a->w.chan, POLLIN, 0 };

	attack_say(a, "waiting for a master");
	for (;;) {
		if (poll(&pfd, 1, ATTACK_MASTER_WAIT_MS) != 1) {
			attack_say(a, "no master came");
			exit(2);
		}
		int rc = chan_recv(a->w.chan, &m);
		if (rc == CHAN_ESYS && errno == EAGAIN)
			continue;
		if (rc == CHAN_OK && m.type == CHAN_BUS) {
			/* The bus socket from the hub: the busfd attack keeps it. */
			worker_bus_attach(m.fd);
			continue;
		}
		if (rc == CHAN_OK && m.type == CHAN_PING)
			continue;
		if (rc != CHAN_OK || m.type != CHAN_CONNECTION)
			exit(2);
		attack_say(a, "got the master's socket");
		return m.fd;
	}
}
