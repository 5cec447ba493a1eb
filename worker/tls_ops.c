/* The TLS side as the common worker code calls it (worker/tls.h). */
#include "worker/tls.h"

const struct worker_tls_ops worker_tls_ops = {
	.setup = worker_tls_setup,
	.start = worker_tls_start,
	.end = worker_tls_end,
	.read = worker_tls_read,
	.write = worker_tls_write,
	.tick = worker_tls_tick,
	.pending = worker_tls_pending,
	.events = worker_tls_events,
};
