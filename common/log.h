#ifndef DNP3D_LOG_H
#define DNP3D_LOG_H

/*
 * One line per event on stderr: "<prog>[pid]: <level>: <message>".
 * In the OpenBSD style: fatal() appends strerror(errno), fatalx() does not;
 * both exit(1). log_error()/log_errorx() are for what stops the program
 * when the caller still has to clean up before exiting. Pass __func__ where the place matters, e.g.
 *   fatal("%s: socketpair", __func__);
 */
#include <stdarg.h>
#include <stdbool.h>

void log_init(const char *progname, int verbose);
void log_setverbose(int verbose);
int  log_getverbose(void);
void log_procname(const char *name);	/* e.g. the outstation's name */

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
