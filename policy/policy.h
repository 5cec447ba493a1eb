#ifndef DNP3D_POLICY_H
#define DNP3D_POLICY_H

/*
 * Privilege separation (see SECURITY.md).
 *
 * Every function returns 0 on success, or -1 with a one-line reason in err
 * (err may be NULL). The caller decides what a failure means; a worker must
 * treat a failed lockdown as fatal:
 *
 *	struct policy_worker pw = { cfg->user, chroot_dir, 0 };
 *	if (policy_lockdown_worker(&pw, err, sizeof(err)) == -1)
 *		fatalx("lockdown: %s", err);
 */
#include <stddef.h>

#define POLICY_DEFAULT_USER	"dnp3d"		/* no fallback */
#define POLICY_EMPTY_DIR	"empty"		/* <runtime_dir>/empty */
#define POLICY_WORKER_NOFILE	64		/* RLIMIT_NOFILE default */

struct policy_worker {
	const char *user;	/* NULL or "" = POLICY_DEFAULT_USER; a missing
				 * user is an error (no fallback); uid 0 is
				 * refused */
	const char *chroot_dir;	/* required: empty, not writable by the user
				 * (policy_prepare_empty_dir() made it) */
	unsigned max_fds;	/* RLIMIT_NOFILE; 0 = POLICY_WORKER_NOFILE.
				 * Leave room for received sockets. */
	int	 kind;		/* enum policy_kind: whose allowlist */
};

/* The helpers' allowlists name their channel and pipe by number
   (ipc/classifymsg.h and ipc/relaymsg.h place them there; dnp3d-classify
   and dnp3d-relay check they agree). */
#define POLICY_HELPER_CHAN_FD	3
#define POLICY_HELPER_OUT_FD	4
#define POLICY_CLASSIFY_CHAN_FD	POLICY_HELPER_CHAN_FD
#define POLICY_CLASSIFY_OUT_FD	POLICY_HELPER_OUT_FD
#define POLICY_RELAY_CHAN_FD	POLICY_HELPER_CHAN_FD
#define POLICY_RELAY_OUT_FD	POLICY_HELPER_OUT_FD

enum policy_kind {
	POLICY_WORKER,		/* dnp3d-worker */
	POLICY_HUB,		/* the bus hub, dnp3d-hub */
	POLICY_CLASSIFY,	/* the link address classifier */
	POLICY_RELAY		/* a multi-drop relay, dnp3d-relay */
};

/*
 * Listener, once at startup: create path (mode 0555; owned by root when
 * running as root) or check an existing one: a real directory, empty, not
 * group/other writable. Its parent (runtime_dir) must exist.
 */
int	policy_prepare_empty_dir(const char *path, char *err, size_t errlen);

/*
 * Listener, at startup as root: the workers' user exists and has neither
 * uid nor gid 0. The error names the user and how to fix it.
 */
int	policy_check_user(const char *user, char *err, size_t errlen);

/*
 * Worker, after it has its configuration and has joined the bus, before it
 * touches a master's socket. In order: look up the user, chroot, chdir("/"),
 * drop the bounding set, setgroups/setresgid/setresuid (PR_SET_PDEATHSIG,
 * which the kernel clears then, is set again), clear the capability sets
 * and the ambient set, PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE 0, Landlock
 * scope (abstract unix sockets, signals; kernels with Landlock ABI 6),
 * rlimits (NPROC 0, FSIZE 0 unless the log is a file, CORE 0, NOFILE
 * max_fds), then the seccomp allowlist (default action kill-process, TSYNC
 * so nanomsg's thread is filtered too). Not to be called twice.
 *
 * As non-root, the steps that need privileges are replaced by an
 * unprivileged user namespace where the kernel allows it (for the chroot),
 * or skipped, and a warning names what is missing. no_new_privs, the
 * rlimits and the full seccomp filter always apply.
 *
 * Afterwards the process may only: read/write/send/recv on descriptors it
 * has (setsockopt and fcntl only with the arguments listed in
 * worker_filter.c; no connect, socket() answers EPERM), poll/epoll,
 * timerfd, eventfd, pipe2, clocks,
 * memory (no PROT_EXEC), signals to itself, exit. See SECURITY.md.
 */
int	policy_lockdown_worker(const struct policy_worker *p, char *err,
	    size_t errlen);

/* A helper's (the classifier, a relay): the same, chrooted to
   <runtime_dir>/empty. */
int	policy_lockdown_helper(const char *user, const char *runtime_dir,
	    unsigned max_fds, int kind, char *err, size_t errlen);

/*
 * Listener, after binding its endpoints: keep only CAP_SETUID, CAP_SETGID,
 * CAP_SYS_CHROOT, CAP_SETPCAP (for the workers it execs, which drop their
 * own privileges) and CAP_KILL (to signal workers that run as another uid);
 * drop everything else from the effective, permitted, inheritable, ambient
 * and bounding sets, and set PR_SET_NO_NEW_PRIVS. As non-root only
 * no_new_privs applies. Capabilities belong to threads: call it while the
 * listener has one thread, before its first nn_socket() (the bus hub);
 * with more threads it fails and changes nothing.
 */
int	policy_restrict_listener(char *err, size_t errlen);

/*
 * One line naming the protections in force in this process, e.g.
 * "chroot /run/dnp3d/empty, user nobody (65534:65534), no capabilities,
 * no_new_privs, not dumpable, landlock scope (abstract sockets, signals),
 * rlimits nproc=0 core=0 nofile=64 fsize=0, seccomp kill-process".
 * "none" before any policy call. Static storage.
 */
const char *policy_describe(void);

#endif
