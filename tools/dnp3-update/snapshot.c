/*
 * --file: a snapshot of an outstation's points as one batch update (the
 * bus applies it all or nothing), read from a file or standard input, so
 * that an application can publish every value again after a restart.
 */
#include <stdio.h>
#include <string.h>

#include "message.h"

json_t *
message_file(const char *path)
{
	json_error_t err;
	json_t *msg, *op;

	if (strcmp(path, "-") == 0)
		msg = json_loadf(stdin, 0, &err);
	else
		msg = json_load_file(path, 0, &err);
	if (msg == NULL) {
		fprintf(stderr, "dnp3-update: %s:%d: %s\n", path, err.line,
		    err.text);
		return NULL;
	}
	op = json_object_get(msg, "op");
	if (!json_is_object(msg) || !json_is_string(op) ||
	    strcmp(json_string_value(op), "update") != 0 ||
	    !json_is_array(json_object_get(msg, "updates"))) {
		fprintf(stderr, "dnp3-update: %s: not a batch update "
		    "({\"op\":\"update\",...,\"updates\":[...]})\n", path);
		json_decref(msg);
		return NULL;
	}
	return msg;
}
