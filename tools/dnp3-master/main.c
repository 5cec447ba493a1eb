/*
 * dnp3-master: a small DNP3 master over TCP.
 *
 *   dnp3-master [-v] [-a OUTSTATION] [-m MASTER] [-b BIND_ADDR]
 *               [-t TIMEOUT_MS] [--json] [--repeat N] [--interval MS]
 *               HOST:PORT COMMAND [ARGS]
 *
 * Exit status: 0 ok; 1 transport, timeout or protocol error; 2 usage;
 * 3 the outstation said no (an error IIN, a control status other than
 * SUCCESS). With --repeat the status is that of the first failure.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/log.h"
#include "dnp3master.h"

/* Big buffers: static, so nothing is allocated per request. */
static struct session session;

struct stats {
	uint32_t count, failures;
	uint64_t min_us, max_us, sum_us;
	int first_error;
};

static void
sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void
account(struct stats *st, int rc, uint64_t us)
{
	st->count++;
	if (rc != EXIT_DM_OK) {
		st->failures++;
		if (st->first_error == EXIT_DM_OK)
			st->first_error = rc;
		return;
	}
	if (st->count - st->failures == 1 || us < st->min_us)
		st->min_us = us;
	if (us > st->max_us)
		st->max_us = us;
	st->sum_us += us;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct output out;
	struct stats st = { 0, 0, 0, 0, 0, EXIT_DM_OK };
	uint64_t t0, ok;
	int rc;

	log_init(argv[0], 0);
	if ((rc = args_parse(argc, argv, &o)) != 0)
		return rc;
	signal(SIGPIPE, SIG_IGN);
	out.json = o.json;
	out.quiet = o.repeat > 1;
	if (session_open(&session, &o, &out) == -1)
		return EXIT_DM_FAIL;
	for (uint32_t i = 0; i < o.repeat; i++) {
		if (i > 0 && o.interval_ms > 0)
			sleep_ms(o.interval_ms);
		t0 = now_mono_us();
		rc = command_run(&session, &o);
		account(&st, rc, now_mono_us() - t0);
		if (session.closed)
			break;		/* nothing more can be asked */
	}
	fflush(stdout);
	session_close(&session);
	if (o.repeat > 1) {
		ok = st.count - st.failures;
		out_summary(&out, command_name(o.cmd), st.count, st.failures,
		    st.min_us, ok ? st.sum_us / ok : 0, st.max_us);
	}
	return st.first_error;
}
