/*
 * The connections waiting for their first frame: each is polled until
 * a whole header can be peeked, the peer closes, or its deadline; then
 * it is answered and the classifier's copy closed.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "classify/classify.h"
#include "common/log.h"
#include "dnp3/link/link.h"

uint64_t
classify_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
classify_table_init(struct classifier *c, size_t max)
{
	c->conn = calloc(max, sizeof(*c->conn));
	c->pfd = calloc(max + 1, sizeof(*c->pfd));
	c->max = max;
	c->count = 0;
	return c->conn == NULL || c->pfd == NULL ? -1 : 0;
}

int
classify_add(struct classifier *c, int fd, uint32_t id, uint32_t timeout_ms,
    uint64_t now)
{
	if (c->count == c->max) {
		close(fd);
		return -1;
	}
	c->conn[c->count] = (struct cl_conn){ .fd = fd, .id = id,
	    .deadline = now + timeout_ms };
	/* Not polled yet: no news until the next poll. */
	c->pfd[1 + c->count++] = (struct pollfd){ .fd = fd };
	return 0;
}

nfds_t
classify_poll_setup(struct classifier *c, uint64_t now, int *ms)
{
	uint64_t next = UINT64_MAX;

	c->pfd[0] = (struct pollfd){ .fd = c->chan, .events = POLLIN };
	for (size_t i = 0; i < c->count; i++) {
		struct cl_conn *k = &c->conn[i];
		/* Part of a header is there: poll would say so at once,
		   so only a close is polled for until retry_at. */
		c->pfd[1 + i] = (struct pollfd){ .fd = k->fd,
		    .events = k->retry_at ? POLLRDHUP : POLLIN | POLLRDHUP };
		if (k->deadline < next)
			next = k->deadline;
		if (k->retry_at && k->retry_at < next)
			next = k->retry_at;
	}
	*ms = next == UINT64_MAX ? -1 : next <= now ? 0 : (int)(next - now);
	return 1 + c->count;
}

/* 1 with *a when decided (the id is the caller's), 0 when part of a
   header is there, -1 when nothing is. */
static int
look(const struct cl_conn *k, short revents, struct classify_answer *a)
{
	uint8_t buf[LINK_HEADER_LEN];
	ssize_t n;

	n = recv(k->fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return (revents & (POLLRDHUP | POLLHUP)) ?
		    classify_header(buf, 0, true, a) : -1;
	if (n <= 0)
		return classify_header(buf, 0, true, a);
	return classify_header(buf, (size_t)n, (revents &
	    (POLLRDHUP | POLLHUP | POLLERR)) != 0, a);
}

static void
answer(struct classifier *c, size_t i, struct classify_answer *a)
{
	uint8_t rec[CLASSIFY_ANSWER_LEN];

	a->id = c->conn[i].id;
	classify_answer_encode(rec, a);
	if (chan_send(c->out, CHAN_CLASSIFY_ANSWER, rec, sizeof(rec)) == -1)
		fatal("answer to the listener");
	log_debug("connection %u: %s, address %u", (unsigned)a->id,
	    classify_verdict_str(a->verdict), (unsigned)a->address);
	close(c->conn[i].fd);
	c->conn[i] = c->conn[--c->count];
	c->pfd[1 + i] = c->pfd[1 + c->count];
}

void
classify_step(struct classifier *c, uint64_t now)
{
	struct classify_answer a;
	size_t i = 0;

	while (i < c->count) {
		struct cl_conn *k = &c->conn[i];
		short rev = c->pfd[1 + i].revents;
		int done = 0;

		if (rev != 0 || (k->retry_at && now >= k->retry_at)) {
			done = look(k, rev, &a);
			/* Part of a header: look again soon; none: poll. */
			k->retry_at = done == 0 ? now + CLASSIFY_RETRY_MS : 0;
			done = done == 1;
		}
		if (!done && now >= k->deadline) {
			a.verdict = CLASSIFY_TIMEOUT;
			a.address = 0;
			done = 1;
		}
		if (done)
			answer(c, i, &a);	/* i now holds the last one */
		else
			i++;
	}
}
