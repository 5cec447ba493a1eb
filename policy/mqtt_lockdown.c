/*
 * The sandbox of dnp3-mqtt (see policy/mqtt.h): the user change as root,
 * then no_new_privs, rlimits and the allowlist of mqtt_filter.c.
 */
#include <errno.h>
#include <grp.h>
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
#include "policy/mqtt.h"
#include "policy/policy.h"

#define MQTT_NOFILE	64

/* The user's own groups too (initgroups): the one that may join the bus. */
static int
become_ids(const struct policy_ids *ids, char *err, size_t errlen)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (initgroups(ids->name, ids->gid) == -1)
		return policy_err(err, errlen, "initgroups %s: %s", ids->name,
		    strerror(errno));
	if (setresgid(ids->gid, ids->gid, ids->gid) == -1 ||
	    setresuid(ids->uid, ids->uid, ids->uid) == -1)
		return policy_err(err, errlen, "user change to %s: %s",
		    ids->name, strerror(errno));
	if (getresuid(&ru, &eu, &su) == -1 || getresgid(&rg, &eg, &sg) == -1 ||
	    ru != ids->uid || eu != ids->uid || su != ids->uid ||
	    rg != ids->gid || eg != ids->gid || sg != ids->gid)
		return policy_err(err, errlen, "user change to %s did not "
		    "take", ids->name);
	return 0;
}

int
policy_mqtt_become(const char *user, char *err, size_t errlen)
{
	struct policy_ids ids;

	policy_note_reset();
	if (geteuid() != 0) {
		log_info("running as uid %u", (unsigned)geteuid());
		policy_note("uid %u", (unsigned)geteuid());
	} else {
		if (user == NULL || user[0] == '\0')
			return policy_err(err, errlen, "started as root "
			    "without a user to become");
		if (policy_resolve_user(user, &ids, err, errlen) == -1 ||
		    policy_drop_bounding(err, errlen) == -1 ||
		    become_ids(&ids, err, errlen) == -1)
			return -1;
		policy_note("user %s (%u:%u)", ids.name, (unsigned)ids.uid,
		    (unsigned)ids.gid);
	}
	if (policy_clear_caps(err, errlen) == -1)
		return -1;
	policy_note("no capabilities");
	return 0;
}

int
policy_mqtt_lockdown(char *err, size_t errlen)
{
#if defined(POLICY_HAVE_LSAN)
	/* LeakSanitizer's check at exit needs ptrace and a new process,
	   which the sandbox refuses: check now, which turns that one off. */
	__lsan_do_leak_check();
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return policy_err(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
	policy_note("no_new_privs");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return policy_err(err, errlen, "PR_SET_DUMPABLE: %s",
		    strerror(errno));
	policy_note("not dumpable");
	if (policy_set_rlimits(MQTT_NOFILE, err, errlen) == -1 ||
	    policy_filter_install(policy_mqtt_filter(0, getpid(),
	    err, errlen), err, errlen) == -1)
		return -1;
	log_info("locked down: %s", policy_describe());
	return 0;
}
