#ifndef DNP3MASTER_H
#define DNP3MASTER_H

/*
 * dnp3-master: a small DNP3 master over TCP for operators, tests and
 * benchmarks, on the project's protocol core (dnp3/master/master.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dnp3/master/master.h"

/* Exit codes. */
#define EXIT_DM_OK		0
#define EXIT_DM_FAIL		1	/* transport, timeout, protocol */
#define EXIT_DM_USAGE		2
#define EXIT_DM_OUTSTATION	3	/* error IIN or control status */

enum command {
	CMD_INTEGRITY,
	CMD_CLASS,
	CMD_READ,
	CMD_OPERATE,
	CMD_ANALOG,
	CMD_TIMESYNC,
	CMD_RESTART,
	CMD_UNSOL,
	CMD_LISTEN,
	CMD_LINK_STATUS,
	CMD_CLEAR_RESTART,
};

struct options {
	uint16_t	 outstation;	/* -a (10) */
	uint16_t	 master;	/* -m (1) */
	const char	*bind;		/* -b */
	uint32_t	 timeout_ms;	/* -t (5000) */
	bool		 json;
	uint32_t	 repeat;	/* 1 */
	uint32_t	 interval_ms;	/* 0 */
	const char	*target;	/* HOST:PORT */

	enum command	 cmd;
	uint8_t		 classes;	/* class, unsol: MASTER_CLASS* */
	uint8_t		 group, variation;	/* read */
	bool		 range;
	uint32_t	 start, stop;
	uint16_t	 index;		/* operate, analog */
	uint8_t		 crob_code;
	uint32_t	 on_ms, off_ms;
	uint8_t		 count;
	bool		 select;
	double		 value;		/* analog */
	uint8_t		 aob_variation;
	bool		 lan;		/* timesync */
	bool		 cold;		/* restart */
	bool		 enable;	/* unsol */
	uint32_t	 seconds;	/* listen */
	/* TLS (tls.c): with tls_ca set; the rest optional. */
	const char	*tls_ca;	/* --tls-ca: the outstation's CA */
	const char	*tls_cert;	/* --tls-cert, with --tls-key */
	const char	*tls_key;
	const char	*tls_name;	/* --tls-name: the outstation's name */
	const char	*tls_max;	/* --tls-max: "1.2" or "1.3" */
};

/*
 * args.c: returns 0, or prints why and returns EXIT_DM_USAGE; -h and
 * --help print the usage on stdout and exit 0.
 */
int	args_parse(int argc, char **argv, struct options *o);
void	args_usage(FILE *f);

/* net.c: a connected TCP socket with TCP_NODELAY, or -1 (logged). */
int	net_connect(const char *target, const char *bind, uint32_t timeout_ms);
uint64_t now_mono_ms(void);
uint64_t now_mono_us(void);
uint64_t now_real_ms(void);

/* output.c */
struct output {
	bool json;
	bool quiet;		/* --repeat: only the summary */
};
void	out_response(const struct output *, const struct master_response *);
int	out_point(void *output, const struct master_point *);
void	out_link(const struct output *, uint8_t sec_func, uint16_t from);
void	out_control(const struct output *, uint8_t status);
void	out_timesync(const struct output *, uint64_t time_ms,
	    int64_t delay_ms);
void	out_summary(const struct output *, const char *cmd, uint32_t count,
	    uint32_t failures, uint64_t min_us, uint64_t avg_us,
	    uint64_t max_us);

/* session.c: one TCP connection to one outstation. */
#define SESSION_IN_MAX		4096
#define SESSION_OUT_MAX		1024
#define SESSION_FRAG_MAX	TRANSPORT_FRAG_MAX

struct session {
	int		 fd;
	struct ssl_st	*ssl;		/* with --tls-ca */
	struct master_chan chan;
	uint8_t		 seq;		/* of the next request */
	uint32_t	 timeout_ms;
	const struct output *out;
	uint16_t	 outstation;
	uint8_t		 in[SESSION_IN_MAX];	/* read, not yet parsed */
	size_t		 in_off, in_len;
	uint8_t		 tx[SESSION_OUT_MAX];
	uint8_t		 req[MASTER_REQ_MAX];	/* the last request */
	size_t		 req_len;
	uint8_t		 frag[SESSION_FRAG_MAX];
	bool		 closed;	/* connection lost: stop */
};

/* What one transaction found in the responses. */
struct txn {
	uint16_t	 iin;		/* OR of every fragment's IIN */
	uint32_t	 fragments;
	uint32_t	 points;
	/* the last fragment, copied for a control's echo check */
	uint8_t		 last[2048];
	size_t		 last_len;
	bool		 last_whole;	/* fit in last[] */
	/* DELAY_MEASURE: the delay the outstation reported (ms) */
	bool		 delay_valid;
	uint64_t	 delay_ms;
};

int	session_open(struct session *s, const struct options *o,
	    const struct output *out);
void	session_close(struct session *s);

/* tls.c: the client context of the options, then a TLS session on
 * connected fd with it (which holds its own reference); NULL after a
 * message. */
struct ssl_ctx_st *tls_client_ctx(const struct options *o);
struct ssl_st *tls_client_open(int fd, struct ssl_ctx_st *ctx,
	    const struct options *o);
void	tls_client_close(struct ssl_st *ssl);
/* The next request: sequence for builders, then session_request. */
uint8_t	session_next_seq(struct session *s);
/* Send s->req and collect the whole response. 0 or EXIT_DM_FAIL. */
int	session_request(struct session *s, struct txn *t);
int	session_link_status(struct session *s);
int	session_listen(struct session *s, uint32_t seconds);

/* commands.c: run one command once. Returns an EXIT_DM_* code. */
int	command_run(struct session *s, const struct options *o);
const char *command_name(enum command c);

#endif
