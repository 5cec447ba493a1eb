#ifndef DNP3_UPDATE_MESSAGE_H
#define DNP3_UPDATE_MESSAGE_H
#include <jansson.h>
#include <stdint.h>

/* The update message for one point, from the command line's words.
   flags (comma-separated) and time may be NULL. NULL if a word cannot
   be used at all (an error is printed). */
json_t *message_point(const char *outstation, const char *type,
    const char *index, const char *value, const char *flags,
    const char *time, int64_t id);

/* snapshot.c: the batch update in file path ("-": standard input), or
   NULL when it cannot be read or is no batch update (printed). */
json_t *message_file(const char *path);

#endif
