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

/*
 * The listener's figures for `dnp3-status` (docs/EVENTS.md, status): the
 * hub keeps the latest and answers a client's status op with them. Sent
 * when they changed, at most every HUB_STATUS_MS, and all of them to a
 * new hub. Counts since dnp3d started, in host byte order.
 */
#define HUB_STATUS_MS		100

/* CHAN_HUB_STATUS */
struct hub_status_listener {
	uint64_t accepted;		/* connections accepted */
	uint64_t rejected;		/* of them, closed at once */
	uint64_t handed_off;		/* of them, passed to a worker */
	uint64_t reloads;		/* reloads applied */
	uint64_t reloads_failed;	/* reloads refused */
	uint64_t started_ms;		/* when dnp3d started, UTC ms */
};

/* What an outstation's worker process is doing, as the listener sees it. */
enum hub_worker_state {
	HUB_WORKER_STOPPED,		/* not running, no restart planned */
	HUB_WORKER_STARTING,		/* running, not ready yet */
	HUB_WORKER_RUNNING,		/* ready: it takes masters */
	HUB_WORKER_RESTARTING,		/* ended; restarts after a backoff */
	HUB_WORKER_STATES
};

/* CHAN_HUB_WSTATUS */
struct hub_status_worker {
	uint32_t index;			/* < the hub's outstation_count */
	uint32_t state;			/* enum hub_worker_state */
	uint32_t pid;			/* 0 when not running */
	uint32_t restarts;		/* since dnp3d started */
	uint64_t started_ms;		/* this worker's start, UTC ms; 0 */
};

#endif
