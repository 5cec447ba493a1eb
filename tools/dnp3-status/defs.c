/*
 * The figures of a status answer: their keys on the bus
 * (docs/EVENTS.md, status) and their Prometheus metrics.
 */
#include "status.h"

const struct count_def server_counts[SC_COUNT] = {
	[SC_OUTSTATIONS] = { "outstations", "dnp3d_outstations", NULL,
	    "gauge", "Outstations in the configuration." },
	[SC_ACCEPTED] = { "accepted", "dnp3d_connections_accepted_total",
	    NULL, "counter", "TCP connections the listener accepted." },
	[SC_REJECTED] = { "rejected", "dnp3d_connections_rejected_total",
	    NULL, "counter", "Connections the listener closed at once." },
	[SC_HANDED_OFF] = { "handed_off",
	    "dnp3d_connections_handed_off_total", NULL, "counter",
	    "Connections the listener passed to an outstation's worker." },
	[SC_RELOADS] = { "reloads", "dnp3d_reloads_total", NULL, "counter",
	    "Configuration reloads applied." },
	[SC_RELOADS_FAILED] = { "reloads_failed",
	    "dnp3d_reloads_failed_total", NULL, "counter",
	    "Configuration reloads refused." },
};

#define EVENTS_HELP	"Events waiting to be sent to the master, by class."

const struct count_def worker_counts[WC_COUNT] = {
	[WC_CONNECTIONS] = { "connections",
	    "dnp3d_master_connections_total", NULL, "counter",
	    "Master connections the outstation's worker adopted." },
	[WC_FRAMES_IN] = { "frames_in", "dnp3d_frames_received_total", NULL,
	    "counter", "Link frames received from masters." },
	[WC_FRAMES_OUT] = { "frames_out", "dnp3d_frames_sent_total", NULL,
	    "counter", "Link frames sent to masters." },
	[WC_LINK_ERRORS] = { "link_errors", "dnp3d_link_errors_total", NULL,
	    "counter", "Malformed link frames from masters." },
	[WC_MALFORMED] = { "malformed",
	    "dnp3d_malformed_requests_total", NULL, "counter",
	    "Application requests dropped unanswered." },
	[WC_REPLACED] = { "replaced", "dnp3d_masters_replaced_total", NULL,
	    "counter", "Masters closed for a newer connection." },
	[WC_REJECTED] = { "rejected", "dnp3d_masters_rejected_total", NULL,
	    "counter", "Masters refused because one is kept (accept = keep)." },
	[WC_CONTROLS] = { "controls", "dnp3d_controls_total", NULL,
	    "counter", "Control objects the outstation answered." },
	[WC_EVENTS_1] = { "events_class1", "dnp3d_events_waiting",
	    "class=\"1\"", "gauge", EVENTS_HELP },
	[WC_EVENTS_2] = { "events_class2", "dnp3d_events_waiting",
	    "class=\"2\"", "gauge", EVENTS_HELP },
	[WC_EVENTS_3] = { "events_class3", "dnp3d_events_waiting",
	    "class=\"3\"", "gauge", EVENTS_HELP },
	[WC_OVERFLOW] = { "events_overflow", "dnp3d_events_overflow", NULL,
	    "gauge", "1 when an event buffer overflowed since the master "
	    "last confirmed events." },
	[WC_CONFIRM_TIMEOUTS] = { "confirm_timeouts",
	    "dnp3d_confirm_timeouts_total", NULL, "counter",
	    "Responses whose application confirm did not come." },
};
