#ifndef DNP3D_POLICY_INTERNAL_H
#define DNP3D_POLICY_INTERNAL_H

/* Helpers shared by the files of policy/; not for other folders. */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Write a formatted reason into err (if any); always returns -1. */
int	policy_err(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Describe line: policy_describe() returns what was noted so far. */
void	policy_note_reset(void);
void	policy_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The user the worker becomes, looked up before chroot. */
struct policy_ids {
	char name[33];
	uid_t uid;
	gid_t gid;
};
int	policy_resolve_user(const char *user, struct policy_ids *ids,
	    char *err, size_t errlen);

/* Steps of the worker lockdown, in the order they run (privdrop.c). */
int	policy_check_empty_dir(const char *path, uid_t owner, char *err,
	    size_t errlen);
int	policy_enter_userns(char *err, size_t errlen);
int	policy_chroot(const char *dir, char *err, size_t errlen);
int	policy_drop_bounding(char *err, size_t errlen);
int	policy_set_ids(const struct policy_ids *ids, char *err, size_t errlen);
int	policy_clear_caps(char *err, size_t errlen);
int	policy_set_rlimits(unsigned max_fds, char *err, size_t errlen);

/* Landlock (landlock.c): the kernel's ABI version (0: none), and scoping
 * of abstract unix sockets and signals: 1 applied, 0 unavailable, -1. */
int	policy_landlock_abi(void);
int	policy_landlock_scope(char *err, size_t errlen);

/* Threads of this process (/proc/self/task), -1 when unknown. */
int	policy_thread_count(void);

#endif
