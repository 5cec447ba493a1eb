/*
 * fuzz-options: -close_fd_mask=2 (the worker logs what it refuses)
 * The worker's configuration as it arrives from the listener: a
 * CHAN_CONFIG record whose payload is a struct outstation_config in
 * bytes, which the worker trusts no more than the network. The harness
 * sends the record through a real SOCK_SEQPACKET socketpair and calls
 * worker_recv_config(), exactly as a starting worker does.
 *
 * Input: the first sizeof(struct outstation_config) bytes of the payload
 * (shorter inputs keep the rest of a valid embedded-default-like
 * configuration, so seeds are whole configuration images).
 *
 * Whatever is accepted must be usable: the strings end inside their
 * arrays, the ranges of config/keys.h hold, the outstation's stack can be
 * made from it and an integrity poll through it gives link frames. Aborts
 * otherwise. (Run with -close_fd_mask=2: every refusal is logged.)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipc/channel.h"
#include "config/check.h"
#include "config/keys.h"
#include "worker/worker.h"

static int sv[2] = { -1, -1 };
static struct outstation_config base;
static uint8_t out[1 << 17];

static void
setup(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	memset(&base, 0, sizeof(base));
	strcpy(base.name, "demo");
	base.filter.any = true;
	base.address = 10;
	base.master = 1;
	for (int t = 0; t < PT_COUNT; t++) {
		base.db[t].count = 10;
		base.db[t].class = 1;
		base.db[t].event_buffer = 100;
	}
	base.confirm_ms = 5000;
	base.select_ms = 5000;
	base.keep_alive_ms = 60000;
	base.frag_rx = 2048;
	base.frag_tx = 2048;
	strcpy(base.endpoint, "127.0.0.1:20000");
	strcpy(base.user, "dnp3d");
	strcpy(base.runtime_dir, "/run/dnp3d");
	strcpy(base.bus, "ipc:///run/dnp3d/bus");
	base.demo_values = true;
	base.need_time_ms = 1800000;
	base.max_controls = CFG_CONTROLS_DEFAULT;
}

/* What the worker relies on after the check. */
static void
check_accepted(const struct outstation_config *c)
{
	if (memchr(c->name, '\0', sizeof(c->name)) == NULL ||
	    !config_name_valid(c->name) || c->name[0] == '\0')
		abort();
	if (memchr(c->endpoint, '\0', sizeof(c->endpoint)) == NULL ||
	    memchr(c->user, '\0', sizeof(c->user)) == NULL ||
	    memchr(c->runtime_dir, '\0', sizeof(c->runtime_dir)) == NULL ||
	    memchr(c->bus, '\0', sizeof(c->bus)) == NULL)
		abort();
	if (c->address > CFG_LINK_ADDR_MAX || c->master > CFG_LINK_ADDR_MAX ||
	    c->frag_rx < CFG_FRAG_MIN || c->frag_rx > CFG_FRAG_MAX ||
	    c->frag_tx < CFG_FRAG_MIN || c->frag_tx > CFG_FRAG_MAX ||
	    c->filter.count > CFG_FILTER_MAX ||
	    c->max_controls < 1 || c->max_controls > CFG_CONTROLS_MAX)
		abort();
	for (int t = 0; t < PT_COUNT; t++)
		if (c->db[t].count > CFG_POINTS_MAX ||
		    c->db[t].event_buffer > CFG_EVENTS_MAX ||
		    c->db[t].class > CFG_CLASS_MAX ||
		    !isfinite(c->db[t].deadband) || c->db[t].deadband < 0)
			abort();
	if ((unsigned)c->controls > CONTROL_REJECT ||
	    (unsigned)c->link_error_mode > LINK_ERROR_DISCARD)
		abort();
}

/* An integrity poll, as one link frame, through the outstation's stack. */
static void
poll(const struct outstation_config *c)
{
	static const uint8_t seg[] = { 0xc0, 0xc0, 0x01, 0x3c, 0x02, 0x06,
	    0x3c, 0x03, 0x06, 0x3c, 0x04, 0x06, 0x3c, 0x01, 0x06 };
	struct link_header h = { .dir = true, .prm = true,
	    .func = LINK_PRI_UNCONFIRMED_USER_DATA, .dest = c->address,
	    .src = c->master };
	struct outstation_params p;
	struct outstation_chan s;
	struct outstation_chan_event ev;
	uint8_t f[LINK_MAX_FRAME];
	size_t used;
	int len;

	config_os_params(c, &p);
	if (outstation_chan_init(&s, &p, c->address, c->master,
	    c->link_error_mode) == -1)
		abort();
	if (s.frames_max > sizeof(out))
		abort();	/* frames of frag_tx <= 65535 always fit */
	if ((len = link_frame_encode(f, sizeof(f), &h, seg, sizeof(seg))) < 0)
		abort();
	if (outstation_chan_feed(&s, f, (size_t)len, &used, 2, out,
	    sizeof(out), &ev) != OUTSTATION_CHAN_REQUEST ||
	    ev.response_len == 0 || out[0] != LINK_START1 ||
	    out[1] != LINK_START2)
		abort();
	outstation_chan_free(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outstation_config img, got;

	if (sv[0] == -1)
		setup();
	img = base;
	memcpy(&img, data, size < sizeof(img) ? size : sizeof(img));
	if (chan_send(sv[0], CHAN_CONFIG, &img, sizeof(img)) == -1)
		abort();
	if (worker_recv_config(sv[1], &got) != 0)
		return 0;
	if (memcmp(&got, &img, sizeof(img)) != 0)
		abort();
	check_accepted(&got);
	poll(&got);
	return 0;
}
