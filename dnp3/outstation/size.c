/*
 * The layout of the outstation's block, from the parameters alone: the
 * struct, then the database, the event rings, the request, the SELECT
 * copy, the response, the unsolicited response and the pulse slots.
 */
#include "dnp3/outstation/priv.h"
#include "dnp3/outstation/region.h"

#define ALIGN16(n)	(((n) + 15) & ~(size_t)15)
#define FRAG_MIN	249
#define FRAG_MAX	65535

int
os_layout(const struct outstation_params *cfg, struct os_layout *l)
{
	size_t dbn, evn;

	if (cfg->frag_rx < FRAG_MIN || cfg->frag_rx > FRAG_MAX ||
	    cfg->frag_tx < FRAG_MIN || cfg->frag_tx > FRAG_MAX ||
	    cfg->max_controls > OS_CONTROLS_MAX)
		return -1;
	if ((dbn = db_size(cfg->db)) == 0 || (evn = event_size(cfg->db)) == 0)
		return -1;
	l->db = ALIGN16(sizeof(struct outstation));
	l->ev = l->db + dbn;
	l->req = l->ev + evn;
	l->sel = l->req + ALIGN16(cfg->frag_rx);
	l->tx = l->sel + ALIGN16(cfg->frag_rx);
	l->utx = l->tx + ALIGN16(cfg->frag_tx);
	l->pulse = l->utx + ALIGN16(cfg->frag_tx);
	l->total = l->pulse + ALIGN16(os_pulse_size(cfg));
	return 0;
}

size_t
outstation_size(const struct outstation_params *cfg)
{
	struct os_layout l;

	return os_layout(cfg, &l) == 0 ? l.total : 0;
}

size_t
outstation_region_size(const struct outstation_params *cfg)
{
	size_t n = outstation_size(cfg);

	return n == 0 ? 0 : OS_REGION_HEADER + n;
}
