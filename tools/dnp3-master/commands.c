/*
 * The commands of dnp3-master: each builds its request(s) with the core's
 * builders into the session's buffer and runs them, then judges the
 * answer: an error IIN or a control status other than SUCCESS is the
 * outstation's "no" (exit 3), anything that breaks the exchange is exit 1.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "dnp3master.h"

const char *
command_name(enum command c)
{
	static const char *const names[] = {
		[CMD_INTEGRITY] = "integrity",
		[CMD_CLASS] = "class",
		[CMD_READ] = "read",
		[CMD_OPERATE] = "operate",
		[CMD_ANALOG] = "analog",
		[CMD_TIMESYNC] = "timesync",
		[CMD_RESTART] = "restart",
		[CMD_UNSOL] = "unsol",
		[CMD_LISTEN] = "listen",
		[CMD_LINK_STATUS] = "link-status",
		[CMD_CLEAR_RESTART] = "clear-restart",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] :
	    "?";
}

static void
warn_iin(uint16_t iin)
{
	char bits[256];
	size_t len = 0;

	bits[0] = '\0';
	for (int i = 0; i < 16; i++)
		if ((iin & MASTER_IIN_ERRORS & (1u << i)) &&
		    len < sizeof(bits))
			len += (size_t)snprintf(bits + len, sizeof(bits) - len,
			    " %s", master_iin_name((uint16_t)(1u << i)));
	log_warnx("outstation answered with IIN 0x%04x:%s", iin, bits);
}

/*
 * Runs the request of len bytes in s->req (len < 0: the builder's
 * error) and checks the IIN of its response.
 */
static int
run(struct session *s, int len, struct txn *t)
{
	int r;

	if (len < 0) {
		log_warnx("cannot build the request: %s",
		    dnp3_app_strerror(len));
		return EXIT_DM_USAGE;
	}
	s->req_len = (size_t)len;
	if ((r = session_request(s, t)) != EXIT_DM_OK)
		return r;
	if (t->iin & MASTER_IIN_ERRORS) {
		warn_iin(t->iin);
		return EXIT_DM_OUTSTATION;
	}
	return EXIT_DM_OK;
}

#define REQ(s)	(s)->req, sizeof((s)->req), session_next_seq(s)

/* One SELECT, OPERATE or DIRECT_OPERATE and the check of its echo. */
static int
control(struct session *s, const struct options *o, uint8_t func)
{
	struct dnp3_crob crob;
	struct master_response mr;
	struct txn t;
	uint8_t status;
	int len, r;

	if (o->cmd == CMD_OPERATE) {
		memset(&crob, 0, sizeof(crob));
		crob.code = o->crob_code;
		crob.count = o->count;
		crob.on_ms = o->on_ms;
		crob.off_ms = o->off_ms;
		len = master_req_crob(REQ(s), func, o->index, &crob);
	} else
		len = master_req_analog(REQ(s), func, o->index,
		    o->aob_variation, o->value);
	if ((r = run(s, len, &t)) != EXIT_DM_OK)
		return r;
	if (!t.last_whole || master_response_parse(t.last, t.last_len,
	    &mr) != 0 || (r = master_control_status(s->req, s->req_len, &mr,
	    &status)) != 0) {
		log_warnx("the response to %s does not echo the control",
		    dnp3_func_name(func));
		return EXIT_DM_FAIL;
	}
	out_control(s->out, status);
	if (status != DNP3_CS_SUCCESS) {
		log_warnx("%s: control status %s", dnp3_func_name(func),
		    master_status_name(status));
		return EXIT_DM_OUTSTATION;
	}
	return EXIT_DM_OK;
}

static int
operate(struct session *s, const struct options *o)
{
	int r;

	if (!o->select)
		return control(s, o, DNP3_FC_DIRECT_OPERATE);
	if ((r = control(s, o, DNP3_FC_SELECT)) != EXIT_DM_OK)
		return r;
	return control(s, o, DNP3_FC_OPERATE);
}

/*
 * Non-LAN: DELAY_MEASURE, then WRITE g50v1 with our time plus half the
 * round trip without the outstation's own processing time. LAN:
 * RECORD_CURRENT_TIME, then WRITE g50v3 with the time it was sent at.
 */
static int
timesync(struct session *s, const struct options *o)
{
	struct txn t;
	uint64_t t0, us0, rtt_ms, time_ms;
	int64_t delay = 0;
	int r;

	t0 = now_real_ms();
	us0 = now_mono_us();
	if (o->lan) {
		r = run(s, master_req_func(REQ(s),
		    DNP3_FC_RECORD_CURRENT_TIME), &t);
		if (r != EXIT_DM_OK)
			return r;
		time_ms = t0;
		r = run(s, master_req_write_recorded_time(REQ(s), time_ms), &t);
	} else {
		r = run(s, master_req_func(REQ(s), DNP3_FC_DELAY_MEASURE), &t);
		if (r != EXIT_DM_OK)
			return r;
		if (!t.delay_valid) {
			log_warnx("no delay (g52) in the answer to "
			    "DELAY_MEASURE");
			return EXIT_DM_FAIL;
		}
		rtt_ms = (now_mono_us() - us0) / 1000;
		if (rtt_ms > t.delay_ms)
			delay = (int64_t)(rtt_ms - t.delay_ms) / 2;
		time_ms = now_real_ms() + (uint64_t)delay;
		r = run(s, master_req_write_time(REQ(s), time_ms), &t);
	}
	if (r == EXIT_DM_OK)
		out_timesync(s->out, time_ms, delay);
	return r;
}

int
command_run(struct session *s, const struct options *o)
{
	struct txn t;

	switch (o->cmd) {
	case CMD_INTEGRITY:
		return run(s, master_req_integrity(REQ(s)), &t);
	case CMD_CLASS:
		return run(s, master_req_classes(REQ(s), o->classes), &t);
	case CMD_READ:
		return run(s, master_req_read(REQ(s), o->group, o->variation,
		    o->range, o->start, o->stop), &t);
	case CMD_OPERATE:
	case CMD_ANALOG:
		return operate(s, o);
	case CMD_TIMESYNC:
		return timesync(s, o);
	case CMD_RESTART:
		return run(s, master_req_func(REQ(s), o->cold ?
		    DNP3_FC_COLD_RESTART : DNP3_FC_WARM_RESTART), &t);
	case CMD_UNSOL:
		return run(s, master_req_unsolicited(REQ(s), o->enable,
		    o->classes), &t);
	case CMD_CLEAR_RESTART:
		return run(s, master_req_clear_restart(REQ(s)), &t);
	case CMD_LISTEN:
		return session_listen(s, o->seconds);
	case CMD_LINK_STATUS:
		return session_link_status(s);
	}
	return EXIT_DM_USAGE;
}
