/*
 * Landlock scoping (Linux 6.12+, Landlock ABI 6): after this, the calling
 * thread may not connect to an abstract unix socket, nor signal a process,
 * outside its own Landlock domain. An empty chroot hides every socket that
 * has a path, but abstract sockets (the "@name" kind) live in the network
 * namespace: the worker's allowlist has no socket() or connect, and this
 * is a second wall on kernels that have it.
 *
 * Landlock restricts only the calling thread: nanomsg's threads in the
 * hub, started earlier, are not scoped (they are still under seccomp).
 *
 * The structure and constants are spelled out here because Debian 12's
 * <linux/landlock.h> predates the "scoped" field.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy/internal.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self	446
#endif

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define LL_CREATE_RULESET_VERSION	(1U << 0)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#define LL_SCOPE_SIGNAL			(1ULL << 1)
#define LL_ABI_SCOPE			6

int
policy_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LL_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

/* 1 when applied, 0 when the kernel cannot, -1 on error. Needs NNP. */
int
policy_landlock_scope(char *err, size_t errlen)
{
	struct ll_ruleset_attr attr = {
		.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL
	};
	int fd, rc = 1;

	if (policy_landlock_abi() < LL_ABI_SCOPE)
		return 0;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd == -1)
		return policy_err(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		rc = policy_err(err, errlen, "landlock_restrict_self: %s",
		    strerror(errno));
	close(fd);
	return rc;
}
