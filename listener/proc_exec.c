/*
 * The child's side of starting a worker or the hub, between fork and
 * exec: the channel goes to CHAN_WORKER_FD and the extra descriptors
 * (the hub's runtime directory and ready pipe) to the ones after it, the
 * signal mask and dispositions are reset, and the child dies with the
 * listener; it gets stdin, stdout, stderr and those, nothing else. Only
 * async-signal-safe calls here.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ipc/channel.h"
#include "listener/proc.h"

/* fd onto want without FD_CLOEXEC (dup2's copy has none). */
static int
place(int fd, int want)
{
	if (fd == want)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, want) == -1 ? -1 : 0;
}

void
proc_exec(const char *path, char *const argv[], int chan, const int *extra,
    int nextra, pid_t parent)
{
	static const char msg[] = "dnp3d: cannot exec a helper program\n";
	int fds[1 + PROC_EXEC_EXTRA_MAX], n = 0, top;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent ||
	    nextra > PROC_EXEC_EXTRA_MAX)
		_exit(1);
	/* Out of the way first, so that no placement overwrites another. */
	top = CHAN_WORKER_FD + 1 + nextra;
	fds[n++] = fcntl(chan, F_DUPFD_CLOEXEC, top);
	for (int i = 0; i < nextra; i++)
		fds[n++] = fcntl(extra[i], F_DUPFD_CLOEXEC, top);
	for (int i = 0; i < n; i++)
		if (fds[i] == -1 || place(fds[i], CHAN_WORKER_FD + i) == -1)
			_exit(1);
	if (close_range(top, ~0U, 0) == -1)
		for (int fd = top; fd < 1024; fd++)
			close(fd);
	execv(path, argv);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(127);
	_exit(127);
}
