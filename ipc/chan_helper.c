/*
 * The start of a helper that dnp3d starts for one job (fork + exec) and
 * talks to over the channel of a worker: the link address classifier, a
 * multi-drop relay.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "common/child.h"
#include "common/log.h"
#include "ipc/channel.h"

/* What the listener left on the fixed descriptors, or nothing to do. */
static void
check_fds(const char *name)
{
	struct stat st;
	int type;
	socklen_t len = sizeof(type);

	if (getsockopt(CHAN_WORKER_FD, SOL_SOCKET, SO_TYPE, &type,
	    &len) == -1 || type != SOCK_SEQPACKET ||
	    fstat(CHAN_WORKER_OUT_FD, &st) == -1 || !S_ISFIFO(st.st_mode))
		fatalx("descriptors %d and %d are not the listener's channel "
		    "and pipe; %s is started by dnp3d", CHAN_WORKER_FD,
		    CHAN_WORKER_OUT_FD, name);
}

void
chan_helper_start(int argc, char **argv, const char *name)
{
	child_options(argc, argv, name);
	child_bind_to_parent();
	check_fds(name);
}

void
chan_helper_config(uint16_t type, void *cfg, size_t len)
{
	static struct chan_msg m;
	struct chan_helper_config h;
	int st = chan_recv(CHAN_WORKER_FD, &m);

	if (st != CHAN_OK || m.type != type || m.len != len ||
	    len < sizeof(h))
		fatalx("no configuration from the listener (%s)",
		    st == CHAN_OK ? "wrong record" : chan_strerror(st));
	memcpy(&h, m.data, sizeof(h));
	if (memchr(h.user, '\0', sizeof(h.user)) == NULL ||
	    memchr(h.runtime_dir, '\0', sizeof(h.runtime_dir)) == NULL)
		fatalx("configuration from the listener out of range");
	memcpy(cfg, m.data, len);
}
