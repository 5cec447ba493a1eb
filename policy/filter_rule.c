/*
 * Building blocks of a seccomp allowlist, for the hub's filter
 * (hub_filter.c), the worker's (worker_filter.c) and the MQTT bridge's
 * (mqtt_filter.c): a context with the default action and the bad-arch
 * action set, and one rule by name.
 */
#include <errno.h>
#include <string.h>

#include "policy/seccomp_filter.h"
#include "policy/internal.h"

scmp_filter_ctx
policy_filter_new(uint32_t extra_arch, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;
	int rc;

	if ((ctx = seccomp_init(policy_filter_default_action())) == NULL) {
		policy_err(err, errlen, "seccomp_init failed");
		return NULL;
	}
	/* A call through another ABI (i386, x32) ends the process too. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS);
	if (rc == 0 && extra_arch != 0)
		rc = seccomp_arch_add(ctx, extra_arch);
	if (rc < 0) {
		policy_err(err, errlen, "seccomp: %s", strerror(-rc));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

int
policy_filter_rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
    unsigned argc, const struct scmp_arg_cmp *args, char *err, size_t errlen)
{
	int nr, rc;

	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
		return policy_err(err, errlen, "seccomp: unknown call %s",
		    name);
	rc = seccomp_rule_add_array(ctx, action, nr, argc, args);
	if (rc < 0)
		return policy_err(err, errlen, "seccomp: rule for %s: %s",
		    name, strerror(-rc));
	return 0;
}

scmp_filter_ctx
policy_filter_new_allowing(uint32_t extra_arch, const char *const *names,
    size_t n, char *err, size_t errlen)
{
	scmp_filter_ctx ctx;

	if ((ctx = policy_filter_new(extra_arch, err, errlen)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (policy_filter_rule(ctx, SCMP_ACT_ALLOW, names[i], 0, NULL,
		    err, errlen) == -1) {
			seccomp_release(ctx);
			return NULL;
		}
	return ctx;
}

struct scmp_arg_cmp
policy_filter_arg(unsigned int arg, enum scmp_compare op, scmp_datum_t a,
    scmp_datum_t b)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = op, .datum_a = a,
	    .datum_b = b };

	return c;
}
