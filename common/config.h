#ifndef DNP3D_CONFIG_H
#define DNP3D_CONFIG_H

/*
 * The validated configuration, as the listener holds it after parsing
 * (listener/config*.c) and as each worker receives its own outstation's
 * part over its socketpair.
 *
 * struct outstation_config is plain data with no pointers on purpose: the
 * listener sends it as bytes, and the worker checks it with
 * outstation_config_check() (config/check.c) before use, since
 * everything that crosses a process boundary is untrusted. The keys that
 * fill it, with their ranges and defaults, are the rows of config/keys.c.
 *
 * The protocol core's types (point types, control modes, link error
 * modes) come from the core: the configuration depends on the core,
 * never the reverse. The worker turns an outstation_config into the
 * core's struct outstation_params (config/os_params.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dnp3/link/link.h"		/* enum link_error_mode */
#include "dnp3/outstation/params.h"	/* point types, enum control_mode */

#define CFG_NAME_MAX		32	/* [A-Za-z0-9_-]{1,32} */
#define CFG_FILTER_MAX		16	/* entries in one filter list */
#define CFG_ENDPOINT_MAX	64	/* "[v6]:port" text */
#define CFG_PATH_MAX		256
#define CFG_USER_MAX		32
#define CFG_BUS_MAX		8	/* bus endpoints */
#define CFG_BUS_URL_MAX		128
#define CFG_OUTSTATIONS_MAX	10000	/* per file */
#define CFG_SERVERS_MAX		64
#define CFG_CONTROLS_MAX	OS_CONTROLS_MAX	/* max_controls */
#define CFG_CONTROLS_DEFAULT	OS_CONTROLS_DEFAULT
#define CFG_NEED_TIME_DEFAULT	1800000	/* timeouts_ms.need_time: 30 min */
#define CFG_ANSWER_DEFAULT	OS_ANSWER_DEFAULT /* control_answer_ms */
#define CFG_ANSWER_MIN		100
#define CFG_ANSWER_MAX		60000
#define CFG_LIVENESS_DEFAULT	5000	/* timeouts_ms.worker_liveness */
#define CFG_LIVENESS_MIN	100
#define CFG_CRASH_COUNT_DEFAULT	3	/* state.crash_count */
#define CFG_CRASH_COUNT_MAX	1000000
#define CFG_CRASH_WINDOW_DEFAULT 60000	/* state.crash_window_ms */
#define CFG_HOST_MAX		253	/* master_name: a DNS name */
#define CFG_TLS_HANDSHAKE_DEFAULT 10000	/* tls.handshake_timeout_ms */
#define CFG_TLS_RENEW_MS_DEFAULT 3600000	/* tls.key_renewal_ms: 1 h */
#define CFG_TLS_RENEW_BYTES_DEFAULT 1073741824u	/* 1 GiB */
#define CFG_ROUTE_TIMEOUT_DEFAULT 2000	/* route_timeout_ms: first frame */
#define CFG_ROUTE_TIMEOUT_MIN	100
#define CFG_ROUTE_TIMEOUT_MAX	60000
#define CFG_MULTIDROP_MAX	32	/* outstations of a multidrop server */

/* accept: a new master while one is connected. */
enum accept_mode {
	ACCEPT_REPLACE,		/* the new one replaces the old */
	ACCEPT_KEEP		/* the new one is closed at once */
};

/* route: how a server picks the outstation of a new connection. */
enum route_mode {
	ROUTE_FILTER,		/* the master's address, by the filters */
	ROUTE_LINK_ADDRESS	/* the destination of its first link frame,
				   among the outstations whose filter matches */
};

/* tls.min_version, in the order of its words. */
enum tls_min_version {
	TLS_MIN_1_2,
	TLS_MIN_1_3
};

/*
 * One address filter entry. IPv4 addresses are stored IPv4-mapped
 * (::ffff:a.b.c.d) so that one comparison serves v4, v6 and mapped peers:
 * a peer matches when (peer & mask) == addr. Wildcards ("10.*.0.*") and
 * CIDR prefixes both become masks.
 */
struct filter_entry {
	uint8_t addr[16];
	uint8_t mask[16];
};

struct addr_filter {
	bool any;
	uint8_t count;
	struct filter_entry entry[CFG_FILTER_MAX];
};

struct point_type_config {
	uint32_t count;			/* 0.. */
	uint8_t class;			/* 0 = none, 1..3 (default 1) */
	uint8_t static_variation;	/* 0 = type's default */
	uint8_t event_variation;	/* 0 = type's default */
	double deadband;		/* analogs, counters */
	uint32_t event_buffer;		/* events kept for this type (100) */
};

struct outstation_config {
	char name[CFG_NAME_MAX + 1];
	struct addr_filter filter;
	uint16_t address;		/* 0..65519 */
	uint16_t master;
	struct point_type_config db[PT_COUNT];
	bool unsol_enabled;
	int32_t unsol_retries;		/* -1 = forever */
	uint32_t confirm_ms;		/* 5000 */
	uint32_t select_ms;		/* 5000 */
	uint32_t keep_alive_ms;		/* 60000 */
	uint32_t frag_rx;		/* 249..65535 (2048) */
	uint32_t frag_tx;		/* 249..65535 (2048) */
	enum control_mode controls;
	enum accept_mode accept;	/* ACCEPT_REPLACE */

	/* Copied from the server and the top level for the worker. */
	enum link_error_mode link_error_mode;
	uint8_t route;			/* enum route_mode */
	uint32_t route_timeout_ms;	/* link_address: the first frame's wait */
	bool multidrop;			/* link_address: one connection, all */
	char endpoint[CFG_ENDPOINT_MAX];	/* server's listen text */
	char user[CFG_USER_MAX + 1];
	char runtime_dir[CFG_PATH_MAX];
	char bus[CFG_BUS_URL_MAX];		/* ipc endpoint workers join */

	/* The embedded default's outstations start with demo point values. */
	bool demo_values;

	uint32_t need_time_ms;		/* IIN1.4 again this long after a time
					   sync (1800000); 0 = never again */
	uint32_t max_controls;		/* 1..CFG_CONTROLS_MAX (32); 0 in a
					   hand-made config means the default */
	uint32_t control_answer_ms;	/* controls = "bus": the wait for the
					   application's answers (2000); 0 in
					   a hand-made config means the
					   default */
	uint32_t worker_liveness_ms;	/* the listener restarts a worker that
					   leaves its channel unread this long
					   (5000); 0 in a hand-made config
					   means the default */
	/*
	 * The state region (listener/state.c): after crash_count workers
	 * in a row that each ran less than crash_window_ms, the next one
	 * starts clean (crash_count 0: the state is never kept). A window
	 * of 0 in a hand-made config means the default (60000).
	 */
	uint32_t state_crash_count;
	uint32_t state_crash_window_ms;

	/*
	 * TLS (the server's tls group, the outstation's own identity):
	 * paths that the worker opens before its lockdown. tls is false,
	 * and every path empty, for plain TCP.
	 */
	bool tls;
	uint8_t tls_min_version;	/* enum tls_min_version */
	uint32_t tls_handshake_ms;	/* a handshake is cut after (10000) */
	uint32_t tls_renew_ms;		/* session keys renewed after */
	uint32_t tls_renew_bytes;	/* ... or after this much data */
	char tls_cert[CFG_PATH_MAX];	/* chain, PEM */
	char tls_key[CFG_PATH_MAX];
	char tls_ca[CFG_PATH_MAX];	/* the masters' CA(s) */
	char master_name[CFG_HOST_MAX + 1];	/* "": any master of the CA */
};

struct server_config {
	char listen[CFG_ENDPOINT_MAX];	/* as written */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	enum link_error_mode link_error_mode;
	uint8_t route;			/* enum route_mode */
	uint32_t route_timeout_ms;
	bool multidrop;			/* a relay per connection (relay/) */
	uint32_t first;			/* index into dnp3d_config.outstations */
	uint32_t count;
};

struct dnp3d_config {
	char file[CFG_PATH_MAX];	/* "(embedded default)" without -c */
	char user[CFG_USER_MAX + 1];
	char runtime_dir[CFG_PATH_MAX];
	char state_dir[CFG_PATH_MAX];	/* "": the regions are not saved */
	char bus[CFG_BUS_MAX][CFG_BUS_URL_MAX];
	uint32_t bus_count;
	struct server_config *servers;	/* heap, owned */
	uint32_t server_count;
	struct outstation_config *outstations;	/* heap, owned */
	uint32_t outstation_count;
};

#endif
