/*
 * The report as a table for people: the listener's figures on one line,
 * then one row per outstation.
 */
#include <inttypes.h>
#include <stdio.h>

#include "bus/event.h"
#include "status.h"

void
status_time(uint64_t ms, char *buf, size_t cap)
{
	if (ms == 0 || bus_format_time((int64_t)ms, buf, cap) == -1)
		snprintf(buf, cap, "-");
}

static void
server_line(const struct status_report *r)
{
	char when[32];

	status_time(r->started_ms, when, sizeof(when));
	printf("dnp3d since %s: %" PRIu64 " outstation%s; connections "
	    "accepted %" PRIu64 ", rejected %" PRIu64 ", handed off %" PRIu64
	    "; reloads %" PRIu64 " (%" PRIu64 " failed)\n", when,
	    r->n[SC_OUTSTATIONS], r->n[SC_OUTSTATIONS] == 1 ? "" : "s",
	    r->n[SC_ACCEPTED], r->n[SC_REJECTED], r->n[SC_HANDED_OFF],
	    r->n[SC_RELOADS], r->n[SC_RELOADS_FAILED]);
}

/* The master column: its address, none, or why nothing is known. */
static const char *
master(const struct outstation_status *s)
{
	if (s->answered)
		return s->connected ? s->peer : "none";
	return s->state == WS_RUNNING ? "(not answering)" : "-";
}

/* The state column: kept or clean (and why) at the last restart of its
   process; "-" when none was published since the hub started. */
static const char *
state(const struct outstation_status *s, char *buf, size_t cap)
{
	if (!s->restart_known)
		return "-";
	if (s->state_kept)
		return "kept";
	snprintf(buf, cap, "clean: %s", s->state_reason[0] ?
	    s->state_reason : "?");
	return buf;
}

static void
row(const struct outstation_status *s)
{
	char since[32], events[48], st[STATUS_TEXT_MAX + 8];

	status_time(s->connected ? s->since_ms : 0, since, sizeof(since));
	snprintf(events, sizeof(events), "%" PRIu64 "/%" PRIu64 "/%" PRIu64
	    "%s", s->n[WC_EVENTS_1], s->n[WC_EVENTS_2], s->n[WC_EVENTS_3],
	    s->n[WC_OVERFLOW] ? "!" : "");
	printf("%-20s %-10s %7" PRIu64 " %4" PRIu64 " %-22s %-24s %9" PRIu64
	    " %9" PRIu64 " %6" PRIu64 " %5" PRIu64 " %5" PRIu64 " %-14s %6"
	    PRIu64 " %-12s %s\n", s->name, worker_state_names[s->state], s->pid,
	    s->restarts, master(s), since, s->n[WC_FRAMES_IN],
	    s->n[WC_FRAMES_OUT], s->n[WC_LINK_ERRORS], s->n[WC_REJECTED],
	    s->n[WC_REPLACED], events, s->n[WC_CONTROLS],
	    state(s, st, sizeof(st)), s->last_error[0] ? s->last_error : "-");
}

void
print_table(const struct status_report *r)
{
	if (!r->server) {
		printf("dnp3d did not answer\n");
		return;
	}
	server_line(r);
	printf("%-20s %-10s %7s %4s %-22s %-24s %9s %9s %6s %5s %5s %-14s %6s "
	    "%-12s %s\n", "OUTSTATION", "WORKER", "PID", "RST", "MASTER",
	    "SINCE", "FRAMES_IN", "FRAMES_OUT", "LINKER", "REJ", "REPL",
	    "EVENTS_1/2/3", "CTRL", "STATE", "LAST_ERROR");
	for (size_t i = 0; i < r->count; i++)
		row(&r->os[i]);
	if (r->n[SC_OUTSTATIONS] > r->count)
		printf("(%" PRIu64 " more outstation%s: no answer of theirs "
		    "came)\n", r->n[SC_OUTSTATIONS] - r->count,
		    r->n[SC_OUTSTATIONS] - r->count == 1 ? "" : "s");
}
