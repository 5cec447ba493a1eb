/*
 * A seccomp filter's pseudo code (libseccomp PFC) as text, for the
 * policy tests that check what an allowlist lists. Include after
 * <cmocka.h> and policy/seccomp_filter.h.
 */
#ifndef TEST_POLICY_PFC_H
#define TEST_POLICY_PFC_H

#include <sys/mman.h>
#include <unistd.h>

/* The text of ctx (released here); what failed to build it: err. */
static char *
pfc_text(scmp_filter_ctx ctx, const char *err)
{
	static char text[64 * 1024];
	ssize_t n;
	int fd;

	if (ctx == NULL)
		fail_msg("building the filter: %s", err);
	assert_true((fd = memfd_create("pfc", MFD_CLOEXEC)) >= 0);
	assert_int_equal(seccomp_export_pfc(ctx, fd), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	n = read(fd, text, sizeof(text) - 1);
	assert_true(n > 0);
	text[n] = '\0';
	close(fd);
	seccomp_release(ctx);
	return text;
}

#endif
