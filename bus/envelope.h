#ifndef DNP3D_BUS_ENVELOPE_H
#define DNP3D_BUS_ENVELOPE_H
/* Internal to bus/: the parsed envelope of an inbound message. */
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>

#include "bus/update.h"

struct bus_envelope {
	json_t *root;			/* owned; NULL if not parsed */
	const char *op;			/* in root */
	enum bus_inbound_kind kind;
	const char *outstation;		/* in root */
	int64_t id;			/* -1 = none */
};

/* BUS_DECODE_OK, BUS_DECODE_IGNORE (an event) or -code; always call
   bus_envelope_free() afterwards. */
int bus_envelope_parse(const char *msg, size_t len,
    struct bus_envelope *env, char *err, size_t errlen);
void bus_envelope_free(struct bus_envelope *env);

/* Format err and return -code. */
int bus_seterr(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
