/*
 * The listener's channel: the configuration and the outstations' names
 * first (blocking, before anything is bound), then workers' sockets and
 * the listener's events. The listener is more privileged than the hub,
 * but its records are still checked before use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dnp3/app/le.h"
#include "common/log.h"
#include "hub/hub.h"

static struct chan_msg m;	/* 4 KiB: keep it off the stack */

static int
check_config(const struct hub_config *c, char *err, size_t errlen)
{
	uint32_t i;

	if (c->bus_count == 0 || c->bus_count > CFG_BUS_MAX ||
	    c->outstation_count > CFG_OUTSTATIONS_MAX ||
	    memchr(c->runtime_dir, '\0', sizeof(c->runtime_dir)) == NULL ||
	    c->runtime_dir[0] != '/' ||
	    memchr(c->user, '\0', sizeof(c->user)) == NULL) {
		snprintf(err, errlen, "bad configuration record");
		return -1;
	}
	for (i = 0; i < c->bus_count; i++)
		if (memchr(c->bus[i], '\0', sizeof(c->bus[i])) == NULL) {
			snprintf(err, errlen, "bus endpoint %u not terminated",
			    (unsigned)i);
			return -1;
		}
	return 0;
}

/* Blocks for one record of type want. */
static int
expect(struct hub *h, uint16_t want, char *err, size_t errlen)
{
	int rc = chan_recv(h->chan, &m);

	if (rc != CHAN_OK || m.type != want) {
		snprintf(err, errlen, "expected %s from the listener: %s",
		    chan_type_name(want), rc != CHAN_OK ? chan_strerror(rc) :
		    chan_type_name(m.type));
		if (rc == CHAN_OK && m.fd >= 0)
			close(m.fd);
		return -1;
	}
	return 0;
}

int
hub_chan_setup(struct hub *h, char *err, size_t errlen)
{
	uint32_t n;

	if (expect(h, CHAN_HUB_CONFIG, err, errlen) == -1)
		return -1;
	if (m.len != sizeof(h->cfg)) {
		snprintf(err, errlen, "configuration of %u bytes",
		    (unsigned)m.len);
		return -1;
	}
	memcpy(&h->cfg, m.data, sizeof(h->cfg));
	if (check_config(&h->cfg, err, errlen) == -1)
		return -1;
	n = h->cfg.outstation_count;
	h->slot = calloc(n ? n : 1, sizeof(*h->slot));
	h->byname = calloc(n ? n : 1, sizeof(*h->byname));
	if (h->slot == NULL || h->byname == NULL)
		fatal("%s: calloc", __func__);
	for (uint32_t i = 0; i < n; i++)
		h->slot[i].fd = -1;
	while (h->named < n) {
		if (expect(h, CHAN_HUB_NAMES, err, errlen) == -1)
			return -1;
		if (hub_names_add(h, m.data, m.len) == -1) {
			snprintf(err, errlen, "bad names record");
			return -1;
		}
	}
	return hub_names_index(h);
}

static void
handle(struct hub *h)
{
	uint32_t index;

	switch (m.type) {
	case CHAN_HUB_WORKER:
		if (m.len != HUB_WORKER_LEN ||
		    (index = get_le32(m.data)) >= h->cfg.outstation_count)
			break;
		hub_worker_attach(h, index, m.fd);
		return;
	case CHAN_HUB_STATUS:
	case CHAN_HUB_WSTATUS:
		if (m.fd >= 0 || hub_status_store(h, m.type, m.data,
		    m.len) == -1)
			break;
		return;
	case CHAN_HUB_PUBLISH:
		if (m.len == 0)
			break;
		hub_publish(h, (const char *)m.data, m.len);
		return;
	}
	log_warnx("channel: unexpected %s record", chan_type_name(m.type));
	if (m.fd >= 0)
		close(m.fd);
}

int
hub_chan_read(struct hub *h)
{
	for (int i = 0; i < HUB_BATCH; i++) {
		int rc = chan_recv(h->chan, &m);
		if (rc == CHAN_ESYS && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (rc == CHAN_EOF) {
			log_debug("listener closed the channel");
			return -1;
		}
		if (rc == CHAN_ESYS) {
			log_warn("channel");
			return -1;
		}
		if (rc != CHAN_OK)
			log_warnx("channel: %s", chan_strerror(rc));
		else
			handle(h);
	}
	return 0;
}
