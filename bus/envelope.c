/*
 * The envelope of an inbound message: size, JSON, object, op, id and the
 * outstation it is addressed to. Shared by the hub (which reports bad
 * envelopes) and the worker's decoder (which ignores them).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bus/envelope.h"
#include "bus/update.h"

int
bus_seterr(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -code;
}

/* The largest integer a double (and so every JSON reader) keeps exactly. */
#define ID_MAX	((json_int_t)1 << 53)

static int
check_id(json_t *root, int64_t *id, char *err, size_t errlen)
{
	json_t *v;

	*id = -1;
	if ((v = json_object_get(root, "id")) == NULL)
		return BUS_DECODE_OK;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > ID_MAX)
		return bus_seterr(err, errlen, BUS_ERR_BAD_ID,
		    "id must be an integer from 0 to 2^53");
	*id = json_integer_value(v);
	return BUS_DECODE_OK;
}

int
bus_envelope_parse(const char *msg, size_t len, struct bus_envelope *env,
    char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *op, *os;

	memset(env, 0, sizeof(*env));
	env->id = -1;
	if (len > BUS_MSG_MAX)
		return bus_seterr(err, errlen, BUS_ERR_TOO_BIG,
		    "%zu bytes, at most %d", len, BUS_MSG_MAX);
	env->root = json_loadb(msg, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (env->root == NULL)
		return bus_seterr(err, errlen, BUS_ERR_NOT_JSON,
		    "line %d column %d: %s", jerr.line, jerr.column,
		    jerr.text);
	if (!json_is_object(env->root))
		return bus_seterr(err, errlen, BUS_ERR_NOT_OBJECT,
		    "a message is one JSON object");
	/* An event first: an error event names the op it answers, and
	   must never be taken for that op (or two members would answer
	   each other forever). */
	if (json_object_get(env->root, "event") != NULL)
		return BUS_DECODE_IGNORE;
	if ((op = json_object_get(env->root, "op")) == NULL)
		return bus_seterr(err, errlen, BUS_ERR_NO_OP,
		    "an inbound message needs \"op\"");
	if (!json_is_string(op))
		return bus_seterr(err, errlen, BUS_ERR_UNKNOWN_OP,
		    "op must be a string");
	env->op = json_string_value(op);
	if (strcmp(env->op, "update") == 0)
		env->kind = BUS_IN_UPDATE;
	else if (strcmp(env->op, "control_answer") == 0)
		env->kind = BUS_IN_CONTROL_ANSWER;
	else if (strcmp(env->op, "status") == 0)
		env->kind = BUS_IN_STATUS;
	else if (strcmp(env->op, "ping") == 0) {
		/* the hub's own: no outstation */
		env->kind = BUS_IN_PING;
		return check_id(env->root, &env->id, err, errlen);
	} else
		return bus_seterr(err, errlen, BUS_ERR_UNKNOWN_OP,
		    "op \"%.64s\": known are update, control_answer, status, "
		    "ping",
		    env->op);
	os = json_object_get(env->root, "outstation");
	/* A status request without one asks every outstation. */
	if (os == NULL && env->kind == BUS_IN_STATUS)
		return check_id(env->root, &env->id, err, errlen);
	if (os == NULL || !json_is_string(os))
		return bus_seterr(err, errlen, BUS_ERR_NO_OUTSTATION,
		    "\"outstation\" must name the outstation");
	env->outstation = json_string_value(os);
	return check_id(env->root, &env->id, err, errlen);
}

void
bus_envelope_free(struct bus_envelope *env)
{
	json_decref(env->root);
	env->root = NULL;
}

int
bus_envelope_check(const char *msg, size_t len,
    int (*known)(const char *, void *), void *arg, int64_t *id,
    char *op, size_t opcap, char *err, size_t errlen)
{
	struct bus_envelope env;
	int rc;

	rc = bus_envelope_parse(msg, len, &env, err, errlen);
	if (rc == BUS_DECODE_OK && known != NULL && env.outstation != NULL &&
	    !known(env.outstation, arg))
		rc = bus_seterr(err, errlen, BUS_ERR_UNKNOWN_OUTSTATION,
		    "no outstation is named \"%.64s\"", env.outstation);
	if (id != NULL)
		*id = env.id;
	if (op != NULL && opcap > 0)
		snprintf(op, opcap, "%s", env.op != NULL ? env.op : "");
	bus_envelope_free(&env);
	return rc;
}
