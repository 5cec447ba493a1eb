/*
 * bench-rawserver: the baseline server. It accepts in its own process
 * and answers every connection by the exchange shape: after REQ bytes of
 * step i it writes RSP bytes in one send, then goes on with step i + 1
 * (and round again). No framing, no parsing, no hand-off: what the
 * kernel and the loopback cost for the same round trips as dnp3d.
 * Prints "port N" when it listens; exits after -T seconds at the latest.
 * -F: one process per connection (forked when it is accepted, gone when
 * it closes), the process architecture of dnp3d without DNP3.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench/bench.h"
#include "common/log.h"

#define CONN_MAX	16384	/* part 9: 10,000 masters at once */

struct rconn {
	int		 fd;
	uint32_t	 step, got;
};

static struct bench_shape shape;
static struct rconn conns[CONN_MAX];	/* dense: [0, nconns) */
static size_t nconns;
static struct pollfd pfd[CONN_MAX + 1];
static uint8_t filler[1 << 20], in[65536];
static int fork_each;		/* -F */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench-rawserver -l HOST:PORT -s SHAPE "
	    "[-T SECS] [-F]\n");
	exit(2);
}

/* Writes n bytes in one send when the socket buffer allows (it does for
   these sizes); a short send is finished with a bounded wait. */
static int
answer(int fd, size_t n)
{
	size_t off = 0;

	for (int round = 0; off < n && round < 1000; round++) {
		ssize_t w = send(fd, filler + off, n - off, MSG_NOSIGNAL);
		if (w == -1 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			poll(&p, 1, 10);
			continue;
		}
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return off == n ? 0 : -1;
}

/* Counts received bytes through the steps; answers each step's end. */
static int
consume(struct rconn *c, size_t len)
{
	while (len > 0) {
		const struct bench_step *s = &shape.step[c->step];
		size_t need = s->req - c->got;
		size_t take = len < need ? len : need;

		c->got += (uint32_t)take;
		len -= take;
		if (c->got < s->req)
			return 0;
		c->got = 0;
		c->step = (c->step + 1) % (uint32_t)shape.n;
		if (s->rsp > 0 && answer(c->fd, s->rsp) == -1)
			return -1;
	}
	return 0;
}

/* Closes conns[k]; the last one takes its place. */
static void
drop(size_t k)
{
	close(conns[k].fd);
	conns[k] = conns[--nconns];
}

/*
 * -F: a child process takes the connection (0 in the child, which then
 * serves fd alone); the parent closes its copy (1).
 */
static int
adopt(int lfd, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(lfd);
		return 0;
	}
	if (pid == -1)
		log_warn("fork");
	close(fd);
	return 1;
}

static void
accept_all(int lfd)
{
	int one = 1, fd;

	for (int i = 0; i < 64; i++) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1)
			return;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (nconns == CONN_MAX) {
			log_warnx("more than %d connections", CONN_MAX);
			close(fd);
			continue;
		}
		if (fork_each && adopt(lfd, fd) != 0)
			continue;
		conns[nconns++] = (struct rconn){ .fd = fd };
	}
}

static int
listen_on(const char *text)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (bench_addr(text, &ss, &len) == -1)
		exit(2);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		fatal("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, 4096) == -1)
		fatal("bind %s", text);
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	printf("port %u\n", ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port));
	fflush(stdout);
	return fd;
}

static void
serve(int lfd, uint64_t deadline)
{
	while (bench_now_ns() < deadline) {
		nfds_t n = 1;

		/* a -F child has no listener, and ends with its connection */
		if (fork_each && nconns > 0)
			lfd = -1;
		else if (lfd == -1)
			return;
		pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (size_t k = 0; k < nconns; k++)
			pfd[n++] = (struct pollfd){ .fd = conns[k].fd,
			    .events = POLLIN };
		if (poll(pfd, n, 200) == -1 && errno != EINTR)
			fatal("poll");
		/* backwards: drop() moves the last entry into the hole */
		for (size_t k = n - 1; k >= 1; k--) {
			ssize_t r;

			if (pfd[k].revents == 0)
				continue;
			r = read(conns[k - 1].fd, in, sizeof(in));
			if (r == -1 && errno == EAGAIN)
				continue;
			if (r <= 0 || consume(&conns[k - 1], (size_t)r) == -1)
				drop(k - 1);
		}
		if (pfd[0].revents)
			accept_all(lfd);
	}
}

int
main(int argc, char **argv)
{
	const char *addr = NULL;
	double secs = 600;
	struct rlimit rl;
	int ch;

	log_init("bench-rawserver", 0);
	while ((ch = getopt(argc, argv, "l:s:T:F")) != -1) {
		switch (ch) {
		case 'F': fork_each = 1; break;
		case 'l': addr = optarg; break;
		case 's':
			if (bench_shape_parse(optarg, &shape) == -1)
				exit(2);
			break;
		case 'T': secs = strtod(optarg, NULL); break;
		default: usage();
		}
	}
	if (addr == NULL || shape.n == 0 || secs <= 0 || secs > 3600)
		usage();
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (fork_each)
		signal(SIGCHLD, SIG_IGN);	/* children reap themselves */
	serve(listen_on(addr), bench_now_ns() + (uint64_t)(secs * 1e9));
	return 0;
}
