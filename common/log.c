/*
 * Logging to stderr, one line per event, with a level. Written with a single
 * write(2) per line so lines of several processes sharing stderr never mix.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

static const char *log_prog = "dnp3d";
static char log_name[48];
static int log_verbose;

void
log_init(const char *progname, int verbose)
{
	const char *slash = strrchr(progname, '/');
	log_prog = slash ? slash + 1 : progname;
	log_verbose = verbose;
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

int
log_getverbose(void)
{
	return log_verbose;
}

void
log_procname(const char *name)
{
	snprintf(log_name, sizeof(log_name), "%s", name ? name : "");
}

static void
vlog(const char *level, const char *fmt, va_list ap, const char *suffix)
{
	char line[1024];
	int n;

	if (log_name[0] != '\0')
		n = snprintf(line, sizeof(line), "%s[%d] %s: %s: ", log_prog,
		    (int)getpid(), log_name, level);
	else
		n = snprintf(line, sizeof(line), "%s[%d]: %s: ", log_prog,
		    (int)getpid(), level);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	int m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (m > 0)
		n += m;
	if ((size_t)n >= sizeof(line) - 2)
		n = sizeof(line) - 2;
	if (suffix != NULL) {
		m = snprintf(line + n, sizeof(line) - n, ": %s", suffix);
		if (m > 0)
			n += m;
		if ((size_t)n >= sizeof(line) - 2)
			n = sizeof(line) - 2;
	}
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

#define LOG_BODY(level, suffix) do {		\
	va_list ap;				\
	va_start(ap, fmt);			\
	vlog(level, fmt, ap, suffix);		\
	va_end(ap);				\
} while (0)

void
log_error(const char *fmt, ...)
{
	const char *err = strerror(errno);
	LOG_BODY("error", err);
}

void
log_errorx(const char *fmt, ...)
{
	LOG_BODY("error", NULL);
}

void
log_warn(const char *fmt, ...)
{
	const char *err = strerror(errno);
	LOG_BODY("warning", err);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY("warning", NULL);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY("info", NULL);
}

void
log_debug(const char *fmt, ...)
{
	if (log_verbose > 0)
		LOG_BODY("debug", NULL);
}

void
fatal(const char *fmt, ...)
{
	const char *err = strerror(errno);
	LOG_BODY("fatal", err);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY("fatal", NULL);
	exit(1);
}
