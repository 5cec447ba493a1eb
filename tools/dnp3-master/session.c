/*
 * One connection to one outstation: send a request as one write, collect
 * every fragment of its response (confirming those that ask for it and
 * checking the sequence numbers), answer the outstation's link requests,
 * and confirm and print unsolicited responses that arrive in between.
 * Buffers live in struct session: nothing is allocated per request.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "common/log.h"
#include "dnp3master.h"

enum wait {
	W_FRAGMENT,
	W_LINK,
	W_TIMEOUT,
	W_ERROR
};

int
session_open(struct session *s, const struct options *o,
    const struct output *out)
{
	SSL_CTX *ctx = NULL;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->timeout_ms = o->timeout_ms;
	s->out = out;
	s->outstation = o->outstation;
	if (master_chan_init(&s->chan, o->master, o->outstation, s->frag,
	    sizeof(s->frag)) == -1)
		return -1;
	if (o->tls_ca != NULL && (ctx = tls_client_ctx(o)) == NULL)
		return -1;
	if ((s->fd = net_connect(o->target, o->bind, o->timeout_ms)) == -1) {
		SSL_CTX_free(ctx);
		return -1;
	}
	if (ctx != NULL) {
		s->ssl = tls_client_open(s->fd, ctx, o);
		SSL_CTX_free(ctx);	/* the session holds its own reference */
		if (s->ssl == NULL)
			return -1;
	}
	return 0;
}

void
session_close(struct session *s)
{
	tls_client_close(s->ssl);
	s->ssl = NULL;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

uint8_t
session_next_seq(struct session *s)
{
	uint8_t seq = s->seq;

	s->seq = (s->seq + 1) & DNP3_AC_SEQ_MASK;
	return seq;
}

static int
send_bytes(struct session *s, const uint8_t *b, size_t len)
{
	ssize_t n;

	if (s->closed)
		return -1;
	do {
		n = s->ssl != NULL ? SSL_write(s->ssl, b, (int)len) :
		    send(s->fd, b, len, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR && s->ssl == NULL);
	if (n == -1 || (size_t)n != len) {
		log_warn("send to outstation");
		s->closed = true;
		return -1;
	}
	return 0;
}

/* One fragment as link frames, written at once. */
static int
send_fragment(struct session *s, const uint8_t *frag, size_t len)
{
	int n;

	n = master_chan_frames(&s->chan, frag, len, s->tx, sizeof(s->tx));
	if (n < 0) {
		log_warnx("%s: fragment of %zu bytes too long", __func__, len);
		return -1;
	}
	return send_bytes(s, s->tx, (size_t)n);
}

static int
send_confirm(struct session *s, uint8_t seq, bool uns)
{
	uint8_t c[DNP3_REQ_HDR_SIZE];

	if (master_req_confirm(c, sizeof(c), seq, uns) < 0)
		return -1;
	return send_fragment(s, c, sizeof(c));
}

/* Feeds held input to the channel: an event, or -1 when all is used. */
static int
feed_held(struct session *s, struct master_chan_event *ev)
{
	enum master_chan_ev e;
	size_t used;

	/* every round that is not MORE consumes or returns a frame */
	for (size_t round = 0; round <= SESSION_IN_MAX + LINK_MAX_FRAME;
	    round++) {
		if (s->in_off >= s->in_len)
			return -1;
		e = master_chan_feed(&s->chan, s->in + s->in_off,
		    s->in_len - s->in_off, &used, ev);
		s->in_off += used;
		if (ev->reply_len > 0 &&
		    send_bytes(s, ev->reply, ev->reply_len) == -1)
			return W_ERROR;
		switch (e) {
		case MASTER_CHAN_MORE:
			s->in_off = s->in_len;
			return -1;
		case MASTER_CHAN_FRAGMENT:
			return W_FRAGMENT;
		case MASTER_CHAN_LINK:
			return W_LINK;
		case MASTER_CHAN_ERROR:
			log_warnx("link error from outstation: %s",
			    link_err_str(ev->err));
			s->closed = true;
			return W_ERROR;
		case MASTER_CHAN_NONE:
			break;
		}
	}
	log_warnx("%s: link layer made no progress", __func__);
	s->closed = true;
	return W_ERROR;
}

/* The next fragment or link frame, before deadline (monotonic ms). */
static enum wait
next_event(struct session *s, uint64_t deadline, struct master_chan_event *ev)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint64_t now;
	ssize_t n;
	int r;

	for (;;) {
		if ((r = feed_held(s, ev)) >= 0)
			return (enum wait)r;
		if (s->closed)
			return W_ERROR;
		if ((now = now_mono_ms()) >= deadline)
			return W_TIMEOUT;
		/* Bytes already decrypted are not on the socket. */
		r = s->ssl != NULL && SSL_pending(s->ssl) > 0 ? 1 :
		    poll(&pfd, 1, (int)(deadline - now));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			log_warn("poll");
			return W_ERROR;
		}
		if (r == 0)
			return W_TIMEOUT;
		n = s->ssl != NULL ? SSL_read(s->ssl, s->in, sizeof(s->in)) :
		    read(s->fd, s->in, sizeof(s->in));
		if (n == -1 && errno == EINTR && s->ssl == NULL)
			continue;
		if (n <= 0) {
			if (n == 0)
				log_warnx("connection closed by the outstation");
			else
				log_warn("read from outstation");
			s->closed = true;
			return W_ERROR;
		}
		s->in_off = 0;
		s->in_len = (size_t)n;
	}
}

/* Print an unsolicited response and confirm it if asked to. */
static int
unsolicited(struct session *s, const struct master_response *r)
{
	int n;

	out_response(s->out, r);
	if ((n = master_response_points(r, out_point, (void *)s->out)) < 0)
		log_warnx("unsolicited response: %s", dnp3_app_strerror(n));
	if (r->con)
		return send_confirm(s, r->seq, true);
	return 0;
}

/* Per point of a solicited response: print, remember a g52 delay. */
struct collect {
	const struct output *out;
	struct txn *t;
};

static int
collect_point(void *arg, const struct master_point *p)
{
	struct collect *c = arg;

	if (p->kind == DNP3_K_DELAY) {
		c->t->delay_valid = true;
		c->t->delay_ms = p->variation == 1 ?
		    (uint64_t)p->obj.delay * 1000 : p->obj.delay;
	}
	return out_point((void *)c->out, p);
}

/* One solicited fragment. 1: more to come, 0: the last, -1: error. */
static int
solicited(struct session *s, struct txn *t, const struct master_response *r,
    const uint8_t *frag, size_t len)
{
	struct collect c = { s->out, t };
	int n;

	t->iin |= r->iin;
	t->fragments++;
	out_response(s->out, r);
	if ((n = master_response_points(r, collect_point, &c)) < 0) {
		log_warnx("malformed response (seq %u): %s", r->seq,
		    dnp3_app_strerror(n));
		return -1;
	}
	t->points += (uint32_t)n;
	t->last_whole = len <= sizeof(t->last);
	t->last_len = t->last_whole ? len : 0;
	if (t->last_whole)
		memcpy(t->last, frag, len);
	if (r->con && send_confirm(s, r->seq, false) == -1)
		return -1;
	return r->fin ? 0 : 1;
}

static void
txn_reset(struct txn *t)
{
	t->iin = 0;
	t->fragments = 0;
	t->points = 0;
	t->last_len = 0;
	t->last_whole = false;
	t->delay_valid = false;
	t->delay_ms = 0;
}

/*
 * The next application fragment before the deadline (*ev, its bytes),
 * parsed into *r; link-only events are skipped. W_FRAGMENT, W_TIMEOUT, or
 * W_ERROR (already logged, including a malformed fragment).
 */
static enum wait
next_response(struct session *s, uint64_t deadline,
    struct master_chan_event *ev, struct master_response *r)
{
	enum wait w;
	int ret;

	while ((w = next_event(s, deadline, ev)) == W_LINK)
		;
	if (w != W_FRAGMENT)
		return w;
	if ((ret = master_response_parse(ev->frag, ev->len, r)) != 0) {
		log_warnx("malformed fragment from outstation: %s",
		    dnp3_app_strerror(ret));
		return W_ERROR;
	}
	return W_FRAGMENT;
}

int
session_request(struct session *s, struct txn *t)
{
	struct master_chan_event ev;
	struct master_response r;
	uint8_t expect = s->req[0] & DNP3_AC_SEQ_MASK;
	uint64_t deadline;
	bool first = true;
	int ret;

	txn_reset(t);
	if (send_fragment(s, s->req, s->req_len) == -1)
		return EXIT_DM_FAIL;
	deadline = now_mono_ms() + s->timeout_ms;
	for (;;) {
		switch (next_response(s, deadline, &ev, &r)) {
		case W_TIMEOUT:
			log_warnx("timeout: no %sresponse to %s within %u ms",
			    first ? "" : "further ", dnp3_func_name(s->req[1]),
			    s->timeout_ms);
			return EXIT_DM_FAIL;
		case W_FRAGMENT:
			break;
		default:
			return EXIT_DM_FAIL;
		}
		if (r.func == DNP3_FC_UNSOLICITED_RESPONSE) {
			if (unsolicited(s, &r) == -1)
				return EXIT_DM_FAIL;
			continue;
		}
		if (r.seq != expect || r.fir != first) {
			log_debug("ignored a response with seq %u (want %u)",
			    r.seq, expect);
			continue;
		}
		first = false;
		if ((ret = solicited(s, t, &r, ev.frag, ev.len)) <= 0)
			return ret == 0 ? EXIT_DM_OK : EXIT_DM_FAIL;
		expect = (r.seq + 1) & DNP3_AC_SEQ_MASK;
		deadline = now_mono_ms() + s->timeout_ms;
	}
}

int
session_link_status(struct session *s)
{
	struct master_chan_event ev;
	struct master_response r;
	uint64_t deadline;
	int n;

	if ((n = master_chan_link_status(&s->chan, s->tx, sizeof(s->tx))) < 0 ||
	    send_bytes(s, s->tx, (size_t)n) == -1)
		return EXIT_DM_FAIL;
	deadline = now_mono_ms() + s->timeout_ms;
	for (;;) {
		switch (next_event(s, deadline, &ev)) {
		case W_TIMEOUT:
			log_warnx("timeout: no link status within %u ms",
			    s->timeout_ms);
			return EXIT_DM_FAIL;
		case W_ERROR:
			return EXIT_DM_FAIL;
		case W_FRAGMENT:
			if (master_response_parse(ev.frag, ev.len, &r) == 0 &&
			    r.func == DNP3_FC_UNSOLICITED_RESPONSE &&
			    unsolicited(s, &r) == -1)
				return EXIT_DM_FAIL;
			continue;
		case W_LINK:
			break;
		}
		out_link(s->out, ev.sec_func, s->outstation);
		if (ev.sec_func == LINK_SEC_LINK_STATUS)
			return EXIT_DM_OK;
		log_warnx("outstation answered link status with function %u",
		    ev.sec_func);
		return EXIT_DM_FAIL;
	}
}

int
session_listen(struct session *s, uint32_t seconds)
{
	struct master_chan_event ev;
	struct master_response r;
	uint64_t deadline = now_mono_ms() + (uint64_t)seconds * 1000;

	for (;;) {
		switch (next_response(s, deadline, &ev, &r)) {
		case W_TIMEOUT:
			return EXIT_DM_OK;
		case W_FRAGMENT:
			break;
		default:
			return EXIT_DM_FAIL;
		}
		if (r.func == DNP3_FC_UNSOLICITED_RESPONSE &&
		    unsolicited(s, &r) == -1)
			return EXIT_DM_FAIL;
	}
}
