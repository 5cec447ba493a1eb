/*
 * A master's connection that outlives its worker (see supervise.h). The
 * listener only keeps and passes on the descriptor: what was said on the
 * connection is for the next worker and its state region to know.
 */
#include <unistd.h>

#include "common/log.h"
#include "listener/proc.h"
#include "listener/supervise.h"

void
supervise_keep_master(struct supervisor *s, struct wproc *w)
{
	const struct handoff *open = ledger_open(&w->ledger);
	char peer[HANDOFF_ADDRSTR_MAX];

	if (s->stopping) {
		/* The worker itself reported "shutdown". */
		supervise_drop_masters(w);
		return;
	}
	/* Died before it was ready: the master still waits for the next. */
	if (w->held_fd >= 0) {
		ledger_clear(&w->ledger);
		return;
	}
	if ((w->held_fd = ledger_take(&w->ledger, &w->held)) >= 0) {
		handoff_addrstr(&w->held, peer, sizeof(peer));
		/* Handed back once, and its worker died soon again: what the
		   master sent may be what kills them. It reconnects instead. */
		if (w->held.resumed && state_quick_exit(w, supervise_now())) {
			log_warnx("%s: master %s not kept: the worker it was "
			    "handed back to died too", w->cfg->name, peer);
			proc_event_master_lost(w->cfg, &w->held);
			close(w->held_fd);
			w->held_fd = -1;
		} else
			log_info("%s: master %s kept for the next worker",
			    w->cfg->name, peer);
	} else if (open != NULL)
		proc_event_master_lost(w->cfg, open);
	ledger_clear(&w->ledger);
}

void
supervise_hand_back(struct wproc *w)
{
	uint8_t hb[HANDOFF_LEN];
	char peer[HANDOFF_ADDRSTR_MAX];
	int fd = w->held_fd;

	if (fd < 0)
		return;
	w->held_fd = -1;
	w->held.resumed = true;
	handoff_encode(&w->held, hb);
	handoff_addrstr(&w->held, peer, sizeof(peer));
	/* The ledger is empty: the first hand-off of this worker. */
	if (supervise_send(w, CHAN_CONNECTION, hb, sizeof(hb), fd) == -1 ||
	    ledger_add_fd(&w->ledger, &w->held, fd) == -1) {
		log_warn("%s: master %s not handed back", w->cfg->name, peer);
		proc_event_master_lost(w->cfg, &w->held);
		close(fd);
		return;
	}
	log_debug("%s: master %s handed back", w->cfg->name, peer);
}

void
supervise_drop_masters(struct wproc *w)
{
	/* A master kept while its outstation was between workers: its
	   connection ends here, the last worker's death its cause. */
	if (w->held_fd >= 0) {
		proc_event_master_lost(w->cfg, &w->held);
		close(w->held_fd);
	}
	w->held_fd = -1;
	ledger_clear(&w->ledger);
}

bool
supervise_crash_loop(struct wproc *w)
{
	char peer[HANDOFF_ADDRSTR_MAX];

	if (!state_crash_loop(w))
		return false;
	if (w->held_fd >= 0)
		log_warnx("%s: master %s not kept: its workers keep dying",
		    w->cfg->name, handoff_addrstr(&w->held, peer,
		    sizeof(peer)));
	supervise_drop_masters(w);
	return true;
}
