/*
 * The one-line account of the protections in force (policy_describe()),
 * and the error helper of policy/.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/internal.h"
#include "policy/policy.h"

static char notes[512];

int
policy_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void
policy_note_reset(void)
{
	notes[0] = '\0';
}

/* Append ", <text>"; a line that does not fit is cut, never overflows. */
void
policy_note(const char *fmt, ...)
{
	size_t len = strlen(notes);
	va_list ap;

	if (len > 0 && len + 2 < sizeof(notes)) {
		memcpy(notes + len, ", ", 3);
		len += 2;
	}
	if (len + 1 >= sizeof(notes))
		return;
	va_start(ap, fmt);
	vsnprintf(notes + len, sizeof(notes) - len, fmt, ap);
	va_end(ap);
}

const char *
policy_describe(void)
{
	return notes[0] != '\0' ? notes : "none";
}
