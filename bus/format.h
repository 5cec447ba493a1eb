#ifndef DNP3D_BUS_FORMAT_H
#define DNP3D_BUS_FORMAT_H
/*
 * One readable line for a bus message, as dnp3-events prints it:
 *   2026-11-24T11:30:00.123Z feeder-1 connected peer=127.0.0.2:40000 endpoint=127.0.0.1:20000
 * time (the message's "time" string, else now_ms), the outstation (else
 * the source, else "-"), the event or op name, then every other field as
 * key=value ("source" only when it differs from the second column, "seq"
 * never). Strings with spaces or quotes are quoted, lists of names joined
 * with commas, other lists and objects written as compact JSON.
 */
#include <stddef.h>
#include <stdint.h>

/* Returns the line's length (no newline; buf NUL-terminated, cut with
   "..." if longer than cap - 1), or -1 if msg is not a JSON object. */
int bus_format_line(const char *msg, size_t len, int64_t now_ms,
    char *buf, size_t cap);

#endif
