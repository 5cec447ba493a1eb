/*
 * What glibc, jansson and nanomsg load on first use, loaded before a
 * sandboxed process's lockdown: after it open() is fatal (seccomp kills
 * the process, and nothing it meant to say is said).
 */
#include <execinfo.h>
#include <jansson.h>
#include <malloc.h>
#include <time.h>

#include "bus/event.h"

void
bus_preload(void)
{
	void *frame[1];

	/* glibc gives each thread after the first an arena of its own, and
	   the first time it trims one (after a thread freed much, as the
	   hub's nanomsg thread does when hundreds of clients leave at once)
	   it reads /proc/sys/vm/overcommit_memory. One arena for all
	   threads, trimmed with brk(), reads nothing. Only effective before
	   the process's first thread allocates. */
	mallopt(M_ARENA_MAX, 1);
	/* jansson seeds its hash tables from /dev/urandom */
	json_object_seed(0);
	/* glibc's first gmtime_r() (event times) reads /etc/localtime */
	tzset();
	/* nanomsg prints a backtrace when an assertion fails, before it
	   aborts: glibc's first backtrace() loads libgcc_s. Loaded now, such
	   a failure is logged and ends in SIGABRT. */
	(void)backtrace(frame, 1);
}
