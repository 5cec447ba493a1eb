/*
 * The worker's first steps: its configuration from the listener.
 */
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "ipc/channel.h"
#include "listener/config.h"
#include "worker/worker.h"

/*
 * Blocks for the first record, which must be CHAN_CONFIG carrying exactly
 * one struct outstation_config that passes outstation_config_check().
 * Returns 0, or -1 after logging why.
 */
int
worker_recv_config(int chan, struct outstation_config *cfg)
{
	static struct chan_msg msg;	/* 4 KiB: keep it off the stack */
	struct chan_msg *m = &msg;
	char err[256];
	int rc;

	rc = chan_recv(chan, m);
	if (rc == CHAN_EOF) {
		log_warnx("%s: listener closed the channel", __func__);
		return -1;
	}
	if (rc != CHAN_OK) {
		log_warnx("%s: channel: %s", __func__, chan_strerror(rc));
		return -1;
	}
	if (m->type != CHAN_CONFIG) {
		log_warnx("%s: expected config, got %s", __func__,
		    chan_type_name(m->type));
		if (m->fd >= 0)
			close(m->fd);
		return -1;
	}
	if (m->len != sizeof(*cfg)) {
		log_warnx("%s: config is %u bytes, expected %zu", __func__,
		    (unsigned)m->len, sizeof(*cfg));
		return -1;
	}
	memcpy(cfg, m->data, sizeof(*cfg));
	if (outstation_config_check(cfg, err, sizeof(err)) == -1) {
		log_warnx("%s: invalid config: %s", __func__, err);
		return -1;
	}
	return 0;
}

void
worker_init(struct worker *w, int chan, const struct outstation_config *cfg)
{
	memset(w, 0, sizeof(*w));
	w->chan = chan;
	w->cfg = *cfg;
	w->conn.fd = -1;
}
