/*
 * Starting a helper program (worker, hub, classifier, relay) from the
 * listener.
 *
 * The listener holds a few descriptors per outstation (channel, pipe,
 * state region, kept master socket) and maps every state region: with
 * 10,000 outstations a fork() copied tens of thousands of descriptors
 * and page-table entries into each child, which then closed them all
 * (most of the listener's CPU at start-up, and quadratic in the count).
 * So the child shares the listener's memory and descriptor table
 * (CLONE_VM | CLONE_FILES, suspended parent as with vfork) and keeps
 * only what lies below the slots' top: CLOSE_RANGE_UNSHARE copies the
 * table below the first descriptor it closes, nothing above it.
 *
 * The slots are descriptors CHAN_WORKER_FD .. + PROC_EXEC_EXTRA_MAX,
 * reserved at start-up (a placeholder memfd in each). A spawn puts the
 * channel and the extra descriptors there, starts the child, and puts
 * the placeholders back, so that no slot keeps a helper's descriptor
 * open in the listener.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/proc.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE	(1U << 1)
#endif

#define SLOT_COUNT	(1 + PROC_EXEC_EXTRA_MAX)
#define SLOT_TOP	(CHAN_WORKER_FD + SLOT_COUNT)

static int blank = -1;	/* the placeholder, above the slots */

/* What the child needs; static: the child runs on the listener's memory
   while the listener waits for it to exec or exit. */
static struct {
	const char	*path;
	char *const	*argv;
	int		 top;		/* first descriptor not to keep */
	pid_t		 parent;
} job;
static _Alignas(16) char child_stack[32768];

int
proc_spawn_init(void)
{
	int m = memfd_create("dnp3d-spawn-slot", MFD_CLOEXEC);

	if (m == -1)
		return -1;
	blank = fcntl(m, F_DUPFD_CLOEXEC, SLOT_TOP);
	if (blank == -1) {
		close(m);
		return -1;
	}
	if (m >= SLOT_TOP)
		close(m);
	for (int fd = CHAN_WORKER_FD; fd < SLOT_TOP; fd++)
		if (fd != m && dup3(blank, fd, O_CLOEXEC) == -1)
			return -1;
	return 0;
}

/*
 * The child, between clone and exec: only system calls (it shares the
 * listener's memory; errno is the listener's too, which is waiting).
 * Not instrumented: a sanitizer's shadow of this stack is the
 * listener's.
 */
__attribute__((no_sanitize_address)) static int
child(void *unused)
{
	static const char msg[] = "dnp3d: cannot exec a helper program\n";
	sigset_t none;

	(void)unused;
	sigemptyset(&none);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != job.parent)
		_exit(1);
	/* A table of its own with the descriptors below top only; a kernel
	   without CLOSE_RANGE_UNSHARE: a full copy, then closed above top. */
	if (close_range((unsigned)job.top, ~0U, CLOSE_RANGE_UNSHARE) == -1) {
		if (unshare(CLONE_FILES) == -1)
			_exit(1);
		for (int fd = job.top; fd < 65536; fd++)
			close(fd);
	}
	for (int fd = CHAN_WORKER_FD; fd < job.top; fd++)
		if (fcntl(fd, F_SETFD, 0) == -1)
			_exit(1);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(job.path, job.argv);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(127);
	_exit(127);
}

pid_t
proc_spawn(const char *path, char *const argv[], int chan, const int *extra,
    int nextra)
{
	int fds[SLOT_COUNT], n = 0, saved;
	pid_t pid = -1;

	if (blank == -1 || nextra < 0 || nextra > PROC_EXEC_EXTRA_MAX) {
		errno = EINVAL;
		return -1;
	}
	fds[n++] = chan;
	for (int i = 0; i < nextra; i++)
		fds[n++] = extra[i];
	for (int i = 0; i < n; i++)
		if (dup3(fds[i], CHAN_WORKER_FD + i, O_CLOEXEC) == -1)
			goto restore;
	job.path = path;
	job.argv = argv;
	job.top = CHAN_WORKER_FD + n;
	job.parent = getpid();
	pid = clone(child, child_stack + sizeof(child_stack),
	    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, NULL);
restore:
	saved = errno;
	for (int fd = CHAN_WORKER_FD; fd < SLOT_TOP; fd++)
		if (dup3(blank, fd, O_CLOEXEC) == -1)
			fatal("%s: slot %d", __func__, fd);
	errno = saved;
	return pid;
}
