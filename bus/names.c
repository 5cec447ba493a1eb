/*
 * Names that appear on the bus: event names, disconnect reasons, DNP3
 * command status codes (IEEE 1815 table of control status values) and
 * the errors of inbound messages. (No parsing here: the listener links
 * this file and must not link the JSON reader.)
 */
#include <stddef.h>
#include <string.h>

#include "bus/envelope.h"
#include "bus/event.h"
#include "bus/update.h"

static const char *const event_names[BUS_EV_COUNT] = {
	[BUS_EV_CONNECTED] = "connected",
	[BUS_EV_DISCONNECTED] = "disconnected",
	[BUS_EV_REJECTED] = "rejected",
	[BUS_EV_WORKER_STARTED] = "worker_started",
	[BUS_EV_WORKER_EXITED] = "worker_exited",
	[BUS_EV_LINK_ERROR] = "link_error",
	[BUS_EV_CONTROL] = "control",
	[BUS_EV_CONTROL_REQUEST] = "control_request",
	[BUS_EV_ERROR] = "error",
	[BUS_EV_HUB_STARTED] = "hub_started",
	[BUS_EV_HUB_EXITED] = "hub_exited",
	[BUS_EV_DROPPED] = "dropped",
	[BUS_EV_REFUSED] = "refused",
	[BUS_EV_TLS_FAILED] = "tls_failed",
	[BUS_EV_RELOADED] = "reloaded",
	[BUS_EV_RELOAD_FAILED] = "reload_failed",
	[BUS_EV_RESTARTED] = "restarted",
	[BUS_EV_STATUS] = "status",
	[BUS_EV_SERVER_STATUS] = "server_status",
	[BUS_EV_WORKER_STATUS] = "worker_status",
	[BUS_EV_PONG] = "pong",
};

static const char *const restart_names[BUS_RESTART_COUNT] = {
	[BUS_RESTART_COLD] = "cold",
	[BUS_RESTART_WARM] = "warm",
	[BUS_RESTART_PROCESS] = "process",
};

static const char *const disc_names[BUS_DISC_COUNT] = {
	[BUS_DISC_REPLACED] = "replaced",
	[BUS_DISC_PEER_CLOSED] = "closed by peer",
	[BUS_DISC_LINK_ERROR] = "link error",
	[BUS_DISC_KEEP_ALIVE] = "keep-alive timeout",
	[BUS_DISC_SHUTDOWN] = "shutdown",
	[BUS_DISC_WORKER_DIED] = "worker died",
	[BUS_DISC_SOCKET_ERROR] = "socket error",
	[BUS_DISC_NOT_READING] = "master not reading",
	[BUS_DISC_RECONFIGURED] = "reconfigured",
	[BUS_DISC_REMOVED] = "removed",
};

static const struct {
	unsigned char code;
	const char *name;
} status_names[] = {
	{ 0, "SUCCESS" },
	{ 1, "TIMEOUT" },
	{ 2, "NO_SELECT" },
	{ 3, "FORMAT_ERROR" },
	{ 4, "NOT_SUPPORTED" },
	{ 5, "ALREADY_ACTIVE" },
	{ 6, "HARDWARE_ERROR" },
	{ 7, "LOCAL" },
	{ 8, "TOO_MANY_OPS" },
	{ 9, "NOT_AUTHORIZED" },
	{ 10, "AUTOMATION_INHIBIT" },
	{ 11, "PROCESSING_LIMITED" },
	{ 12, "OUT_OF_RANGE" },
	{ 13, "DOWNSTREAM_LOCAL" },
	{ 14, "ALREADY_COMPLETE" },
	{ 15, "BLOCKED" },
	{ 16, "CANCELLED" },
	{ 17, "BLOCKED_OTHER_MASTER" },
	{ 18, "DOWNSTREAM_FAIL" },
	{ 126, "NON_PARTICIPATING" },
	{ 127, "UNDEFINED" },
};

const char *
bus_event_name(enum bus_event_type t)
{
	if ((unsigned)t >= BUS_EV_COUNT)
		return NULL;
	return event_names[t];
}

const char *
bus_disconnect_reason_name(enum bus_disconnect_reason r)
{
	if ((unsigned)r >= BUS_DISC_COUNT)
		return NULL;
	return disc_names[r];
}

const char *
bus_restart_kind_name(enum bus_restart_kind k)
{
	if ((unsigned)k >= BUS_RESTART_COUNT)
		return NULL;
	return restart_names[k];
}

const char *
bus_command_status_name(uint8_t code)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].code == code)
			return status_names[i].name;
	return "UNDEFINED";
}

int
bus_command_status_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(status_names[i].name, name) == 0)
			return status_names[i].code;
	return -1;
}

static const char *const msg_errors[BUS_ERR_COUNT] = {
	[BUS_OK] = "ok",
	[BUS_ERR_TOO_BIG] = "message too big",
	[BUS_ERR_NOT_JSON] = "not JSON",
	[BUS_ERR_NOT_OBJECT] = "not an object",
	[BUS_ERR_NO_OP] = "missing op",
	[BUS_ERR_UNKNOWN_OP] = "unknown op",
	[BUS_ERR_NO_OUTSTATION] = "missing outstation",
	[BUS_ERR_UNKNOWN_OUTSTATION] = "unknown outstation",
	[BUS_ERR_UNKNOWN_KEY] = "unknown key",
	[BUS_ERR_BAD_ID] = "bad id",
	[BUS_ERR_BAD_BATCH] = "bad batch",
	[BUS_ERR_BATCH_TOO_BIG] = "batch too big",
	[BUS_ERR_NO_TYPE] = "missing type",
	[BUS_ERR_UNKNOWN_TYPE] = "unknown type",
	[BUS_ERR_NO_INDEX] = "missing index",
	[BUS_ERR_INDEX] = "index out of range",
	[BUS_ERR_NO_VALUE] = "missing value",
	[BUS_ERR_VALUE] = "wrong value type",
	[BUS_ERR_FLAGS] = "bad flags",
	[BUS_ERR_TIME] = "bad time",
	[BUS_ERR_STATUS] = "bad status",
};

const char *
bus_msg_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= BUS_ERR_COUNT)
		return "unknown error";
	return msg_errors[code];
}
