/*
 * policy_lockdown_worker(): the order of the worker's privilege drop.
 * Privileges only shrink, and every step that needs one runs before the
 * step that removes it: user lookup before chroot (NSS reads /etc), bounding
 * set before the user change (needs CAP_SETPCAP), seccomp last.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(DNP3D_SECCOMP_LOG_ONLY) && defined(__has_include)
#if __has_include(<sanitizer/lsan_interface.h>)
#include <sanitizer/lsan_interface.h>
#define POLICY_HAVE_LSAN 1
#endif
#endif

#include "common/log.h"
#include "policy/seccomp_filter.h"
#include "policy/internal.h"
#include "policy/policy.h"

/* As root: chroot, bounding set, user, capability sets. */
static int
drop_as_root(const struct policy_worker *p, char *err, size_t errlen)
{
	struct policy_ids ids;
	pid_t parent = getppid();
	int pdeathsig = 0;

	if (prctl(PR_GET_PDEATHSIG, &pdeathsig) == -1)
		pdeathsig = 0;
	if (policy_resolve_user(p->user, &ids, err, errlen) == -1 ||
	    policy_check_empty_dir(p->chroot_dir, 0, err, errlen) == -1 ||
	    policy_chroot(p->chroot_dir, err, errlen) == -1)
		return -1;
	policy_note("chroot %s", p->chroot_dir);
	if (policy_drop_bounding(err, errlen) == -1 ||
	    policy_set_ids(&ids, err, errlen) == -1)
		return -1;
	/* The kernel forgets PR_SET_PDEATHSIG when the uid changes. */
	if (pdeathsig != 0 && prctl(PR_SET_PDEATHSIG, pdeathsig) == -1)
		return policy_err(err, errlen, "PR_SET_PDEATHSIG: %s",
		    strerror(errno));
	if (pdeathsig != 0 && getppid() != parent)
		return policy_err(err, errlen, "parent exited during lockdown");
	policy_note("user %s (%u:%u)", ids.name, (unsigned)ids.uid,
	    (unsigned)ids.gid);
	if (policy_clear_caps(err, errlen) == -1)
		return -1;
	policy_note("no capabilities");
	return 0;
}

/*
 * Not root: a user namespace gives us the chroot where the kernel allows
 * it; the user change is impossible. Say plainly what is missing.
 */
static int
drop_unprivileged(const struct policy_worker *p, char *err, size_t errlen)
{
	char why[160];
	uid_t uid = geteuid();
	int chrooted = 0;

	if (policy_check_empty_dir(p->chroot_dir, uid, err, errlen) == -1)
		return -1;
	if (policy_enter_userns(why, sizeof(why)) == 0) {
		if (policy_chroot(p->chroot_dir, err, errlen) == -1 ||
		    policy_drop_bounding(err, errlen) == -1)
			return -1;
		chrooted = 1;
		policy_note("chroot %s (user namespace)", p->chroot_dir);
	}
	if (policy_clear_caps(err, errlen) == -1)
		return -1;
	policy_note("no capabilities");
	if (chrooted)
		log_warnx("running as uid %u: chroot in a user namespace, no "
		    "user change", (unsigned)uid);
	else
		log_warnx("running as uid %u: no chroot (%s), no user change, "
		    "bounding set kept", (unsigned)uid, why);
	return 0;
}

/*
 * What holds for every thread and user: nothing gains privileges by exec
 * (no_new_privs), nothing of the same user may ptrace us (not dumpable),
 * and, where the kernel has it, Landlock keeps this thread away from
 * abstract unix sockets and signals outside its domain.
 */
static int
restrict_self(char *err, size_t errlen)
{
	int rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return policy_err(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
	policy_note("no_new_privs");
	/* No ptrace and no /proc/<pid>/mem for other processes of the user. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return policy_err(err, errlen, "PR_SET_DUMPABLE: %s",
		    strerror(errno));
	policy_note("not dumpable");
	if ((rc = policy_landlock_scope(err, errlen)) == -1)
		return -1;
	if (rc == 1)
		policy_note("landlock scope (abstract sockets, signals)");
	else
		policy_note("no landlock scope (kernel Landlock ABI %d < 6)",
		    policy_landlock_abi());
	return 0;
}

/* The filter of the process kind, built and installed. */
static int
load_filter(int kind, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;

	if (kind == POLICY_HUB)
		ctx = policy_hub_filter(0, getpid(), err, errlen);
	else if (kind == POLICY_CLASSIFY)
		ctx = policy_classify_filter(0, getpid(), err, errlen);
	else if (kind == POLICY_RELAY)
		ctx = policy_relay_filter(0, getpid(), err, errlen);
	else
		ctx = policy_worker_filter(0, getpid(), err, errlen);
	return policy_filter_install(ctx, err, errlen);
}

/*
 * Sanitizer builds: LeakSanitizer's check at exit needs /proc and ptrace,
 * which a locked-down process has neither of; it would fail every exit.
 * Check for leaks now instead, which also turns the check at exit off.
 */
static void
sanitizer_leak_check(void)
{
#if defined(POLICY_HAVE_LSAN)
	log_warnx("sanitizer build: leak check runs now, not at exit");
	__lsan_do_leak_check();
#endif
}

int
policy_lockdown_worker(const struct policy_worker *p, char *err,
    size_t errlen)
{
	int rc;

	if (p == NULL || p->chroot_dir == NULL)
		return policy_err(err, errlen, "%s: no chroot directory",
		    __func__);
	policy_note_reset();
	sanitizer_leak_check();
	if (geteuid() == 0)
		rc = drop_as_root(p, err, errlen);
	else
		rc = drop_unprivileged(p, err, errlen);
	if (rc == -1)
		return -1;
	if (restrict_self(err, errlen) == -1 ||
	    policy_set_rlimits(p->max_fds, err, errlen) == -1 ||
	    load_filter(p->kind, err, errlen) == -1)
		return -1;
	log_info("locked down: %s", policy_describe());
	return 0;
}
