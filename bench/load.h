#ifndef DNP3D_BENCH_LOAD_H
#define DNP3D_BENCH_LOAD_H

/*
 * bench-load: closed-loop masters, one operation in flight per
 * connection. The DNP3 modes use the project's master core; the raw mode
 * replays an exchange shape (bytes sent, bytes awaited) against
 * bench-rawserver, the baseline with the same round trips.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bench/bench.h"
#include "dnp3/master/master.h"

enum load_mode {
	MODE_LINK,		/* request link status -> link status */
	MODE_POLL,		/* integrity poll, confirming fragments */
	MODE_CROB,		/* direct operate of CROB index 0 */
	MODE_RAW		/* the shape, against bench-rawserver */
};

#define LOAD_IN_MAX	16384
#define LOAD_OUT_MAX	1024

struct load_conn {
	int		 fd;
	bool		 connected, busy, done, dead;
	struct master_chan chan;
	uint8_t		*rxbuf;		/* fragment reassembly */
	uint8_t		 seq;
	uint8_t		 req[MASTER_REQ_MAX];	/* the last request */
	size_t		 req_len;
	uint64_t	 t0, last_io;
	uint32_t	 ops;		/* in this phase */
	uint32_t	 step;		/* raw: current step */
	uint32_t	 got;		/* raw: bytes of it received */
	uint32_t	 frags;		/* response fragments of this op */
	bool		 recording;	/* this op's shape is recorded */
};

struct load {
	enum load_mode	 mode;
	struct bench_shape shape;	/* raw: replayed; dnp3: recorded */
	struct sockaddr_storage dst, src;
	socklen_t	 dlen;
	bool		 bind_src;
	bool		 port_each;	/* -P: connection i to port + i */
	uint32_t	 nconn, ops, warmup;
	uint32_t	 wave;		/* -C: connections opened at once */
	uint16_t	 outstation, master;
	uint32_t	 frag_max;
	uint64_t	 deadline;	/* ns */
	uint64_t	 stall_ns;	/* -s: an op without progress fails */
	uint64_t	 warm_ns;	/* connecting and warm-up took */
	struct load_conn *c;
	struct bench_lat lat;
	bool		 record;	/* record the next op's shape */
	uint64_t	 total_ops, failures, points, frags;
	uint8_t		 zero[65536];	/* raw request filler */
};

/* load_dnp3.c: one DNP3 operation per call; input handling. */
int	load_dnp3_start(struct load *l, struct load_conn *c);
int	load_dnp3_input(struct load *l, struct load_conn *c,
	    const uint8_t *in, size_t len);

/* load_raw.c */
int	load_raw_start(struct load *l, struct load_conn *c);
int	load_raw_input(struct load *l, struct load_conn *c, size_t len);

/* load.c: shared by both. Returns -1 when the send failed. */
int	load_send(struct load *l, struct load_conn *c, const uint8_t *b,
	    size_t len);
void	load_op_done(struct load *l, struct load_conn *c, bool ok);
void	load_record_rx(struct load *l, struct load_conn *c, size_t len);

#endif
