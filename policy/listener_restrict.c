/*
 * policy_restrict_listener(): what the listener keeps after binding.
 *
 * It binds again only for a reload, unprivileged ports (so no
 * CAP_NET_BIND_SERVICE), and never reads another user's files. It keeps only what the workers it execs need to drop their
 * own privileges -- an exec'd root worker gets exactly the listener's
 * bounding set -- and what it needs to stop them:
 *   CAP_SETUID, CAP_SETGID	worker: setgroups/setresgid/setresuid
 *   CAP_SYS_CHROOT		worker: chroot to the empty directory
 *   CAP_SETPCAP		worker: drop its bounding set
 *   CAP_KILL			listener: signal workers that now run as
 *				another uid (stop, restart)
 */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/log.h"
#include "policy/internal.h"
#include "policy/policy.h"

static const cap_value_t listener_keep[] = {
	CAP_SETUID, CAP_SETGID, CAP_SYS_CHROOT, CAP_SETPCAP, CAP_KILL
};
#define NKEEP	(int)(sizeof(listener_keep) / sizeof(listener_keep[0]))

static int
keep_only(char *err, size_t errlen)
{
	cap_value_t c, max = (cap_value_t)cap_max_bits();
	cap_t caps;
	int i, keep;

	for (c = 0; c < max; c++) {
		for (keep = 0, i = 0; i < NKEEP; i++)
			keep |= listener_keep[i] == c;
		if (!keep && cap_drop_bound(c) == -1)
			return policy_err(err, errlen, "drop bounding cap %d: "
			    "%s", (int)c, strerror(errno));
	}
	if ((caps = cap_init()) == NULL)
		return policy_err(err, errlen, "cap_init: %s", strerror(errno));
	/* Not inheritable: nothing passes to the worker but the bounding set. */
	if (cap_set_flag(caps, CAP_EFFECTIVE, NKEEP, listener_keep,
	    CAP_SET) == -1 ||
	    cap_set_flag(caps, CAP_PERMITTED, NKEEP, listener_keep,
	    CAP_SET) == -1 || cap_set_proc(caps) == -1) {
		policy_err(err, errlen, "cap_set_proc: %s", strerror(errno));
		cap_free(caps);
		return -1;
	}
	cap_free(caps);
	if (cap_reset_ambient() == -1 && errno != EINVAL)
		return policy_err(err, errlen, "cap_reset_ambient: %s",
		    strerror(errno));
	return 0;
}

int
policy_restrict_listener(char *err, size_t errlen)
{
	int threads = policy_thread_count();

	policy_note_reset();
	/* Capabilities and no_new_privs are per thread: one started earlier
	 * (nanomsg's, for the bus hub) would keep everything. */
	if (threads > 1)
		return policy_err(err, errlen, "%d threads: restrict the "
		    "listener before its first nn_socket()", threads);
	if (geteuid() == 0) {
		if (keep_only(err, errlen) == -1)
			return -1;
		policy_note("capabilities setuid,setgid,sys_chroot,setpcap,"
		    "kill");
	} else
		log_warnx("running as uid %u: workers will run as this uid, "
		    "with no user change and no chroot unless a user "
		    "namespace is allowed", (unsigned)geteuid());
	/* Nothing the listener execs can gain privileges (setuid files). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return policy_err(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
	policy_note("no_new_privs");
	log_info("listener restricted: %s", policy_describe());
	return 0;
}
