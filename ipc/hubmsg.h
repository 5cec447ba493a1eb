#ifndef DNP3D_IPC_HUBMSG_H
#define DNP3D_IPC_HUBMSG_H

/*
 * Payloads of the listener -> hub records (ipc/channel.h): plain data,
 * checked by the hub before use like everything that crosses a process
 * boundary.
 */
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "ipc/channel.h"

/* The hub's descriptors across exec: the channel (listener -> hub only),
   the runtime directory the listener opened and checked (bound relative
   to it), and the pipe on which the hub writes HUB_READY_BYTE once. */
#define HUB_CHAN_FD		CHAN_WORKER_FD
#define HUB_DIR_FD		(CHAN_WORKER_FD + 1)
#define HUB_READY_FD		(CHAN_WORKER_FD + 2)
#define HUB_READY_BYTE		'R'

/* CHAN_HUB_CONFIG */
struct hub_config {
	char	 bus[CFG_BUS_MAX][CFG_BUS_URL_MAX];	/* client endpoints */
	uint32_t bus_count;
	uint32_t outstation_count;		/* names that follow */
	uint32_t gid;				/* bus group, UINT32_MAX: none */
	uint32_t max_fds;			/* the hub's RLIMIT_NOFILE */
	uint32_t rejoin_ms;			/* wait before publishing */
	char	 runtime_dir[CFG_PATH_MAX];	/* what HUB_DIR_FD is */
	char	 user[CFG_USER_MAX + 1];	/* to run as */
};

/* CHAN_HUB_NAMES: u32 index of the first name, then names of
   HUB_NAME_LEN bytes (NUL-padded), as many as fit one record. */
#define HUB_NAME_LEN		(CFG_NAME_MAX + 1)
#define HUB_NAMES_PER_MSG	((CHAN_PAYLOAD_MAX - 4) / HUB_NAME_LEN)

/* CHAN_HUB_WORKER: u32 outstation index (and the descriptor). */
#define HUB_WORKER_LEN		4

#endif
