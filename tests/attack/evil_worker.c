/*
 * evil_worker: a compromised dnp3d-worker (see lib_attack.h). The real
 * start-up and lockdown, then, for the target outstation, one attack per
 * start; every other outstation, and the target once its vectors are
 * used up, serves like the real worker. Each attack says what it tries
 * before the call; a call that the sandbox lets through is reported with
 * its result, and the worker then exits 3 ("survived").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ipc/channel.h"
#include "lib_attack.h"
#include "worker/hub_link.h"

/* Finding 1: hand the master's socket to the listener, every way there
   is; the first descriptor alone, then five in one record. sendmsg is
   not in the allowlist: the first try ends the worker (a log-only build
   gets EPIPE, ENOTSOCK, EPIPE: the channel carries no descriptor). */
static void
give_back(struct attack *a, int fd)
{
	union { struct cmsghdr h; char b[CMSG_SPACE(5 * sizeof(int))]; } c;
	int fds[5] = { fd, fd, fd, fd, fd };
	char rec[CHAN_HDR_LEN] = "D3CH";
	struct iovec iov = { rec, sizeof(rec) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	attack_say(a, "sendmsg(SCM_RIGHTS) to the listener: trying");
	attack_result(a, "the master's socket on the socketpair",
	    chan_send_fd(a->w.chan, CHAN_MASTER, NULL, 0, fd));
	attack_result(a, "the master's socket on the pipe",
	    chan_send_fd(a->w.chan_out, CHAN_MASTER, NULL, 0, fd));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	attack_result(a, "five descriptors on the socketpair",
	    sendmsg(a->w.chan, &msg, MSG_NOSIGNAL));
}

/* A lingering close() blocks whoever drops the last reference. */
static void
linger(struct attack *a, int fd)
{
	struct linger lg = { 1, INT_MAX };

	attack_say(a, "setsockopt(SO_LINGER {1, INT_MAX}): trying");
	attack_result(a, "setsockopt(SO_LINGER)",
	    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
}

/* The same through the bus socket to the hub: the hub's receive takes no
   descriptors, so the kernel would close them in the hub; sendmsg ends
   the worker first, and SO_LINGER would too. */
static void
bus_fd(struct attack *a, int fd)
{
	int bus = worker_bus_fd();
	char zero[8] = { 0 };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } c;
	struct iovec iov = { zero, sizeof(zero) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	attack_say(a, "bus socket: descriptor %d: trying", bus);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (bus >= 0)
		attack_result(a, "the master's socket to the hub",
		    sendmsg(bus, &msg, MSG_NOSIGNAL));
	linger(a, fd);
}

/* Finding 12: a socket filter is code the kernel runs for the worker. */
static void
attach_filter(struct attack *a, int fd)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { 1, &drop };

	attack_say(a, "setsockopt(SO_ATTACH_FILTER): trying");
	attack_result(a, "setsockopt(SO_ATTACH_FILTER)",
	    setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)));
}

static struct sockaddr_in
trap_addr(const struct attack *a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)a->port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	return sin;
}

/* A socket of its own, to connect anywhere: any family ends the worker. */
static void
new_socket(struct attack *a, int fd)
{
	(void)fd;
	attack_say(a, "socket(AF_UNIX): trying");
	attack_result(a, "socket(AF_UNIX)", socket(AF_UNIX, SOCK_STREAM, 0));
	attack_result(a, "socket(AF_INET)", socket(AF_INET, SOCK_STREAM, 0));
}

/* Finding 2: detach the master's socket and point it elsewhere. */
static void
reconnect(struct attack *a, int fd)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct sockaddr_in sin = trap_addr(a);

	attack_say(a, "connect(AF_UNSPEC) on the master's socket: trying");
	attack_result(a, "connect(AF_UNSPEC)",
	    connect(fd, &unspec, sizeof(unspec)));
	attack_result(a, "connect(127.0.0.1)",
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)));
	attack_result(a, "write", write(fd, "escaped", 7));
}

/* TCP Fast Open connects from sendto() alone. */
static void
fastopen(struct attack *a, int fd)
{
	struct sockaddr_in sin = trap_addr(a);

	attack_say(a, "sendto(MSG_FASTOPEN): trying");
	attack_result(a, "sendto(MSG_FASTOPEN)", sendto(fd, "escaped", 7,
	    MSG_FASTOPEN, (struct sockaddr *)&sin, sizeof(sin)));
}

/* Finding 3: the method of the review: a descriptor that signals its
   owner. Here the channel from the listener, whose next record (a ping,
   a hand-off) would raise the signal. */
static void
fsetown(struct attack *a, int fd)
{
	(void)fd;
	attack_say(a, "fcntl(F_SETOWN, victim) on the channel: trying");
	attack_result(a, "fcntl(F_SETOWN)",
	    fcntl(a->w.chan, F_SETOWN, a->victim));
	attack_result(a, "fcntl(F_SETSIG)",
	    fcntl(a->w.chan, F_SETSIG, SIGKILL));
	attack_result(a, "fcntl(F_SETFL, O_ASYNC)",
	    fcntl(a->w.chan, F_SETFL, O_ASYNC | O_NONBLOCK));
}

static void
async(struct attack *a, int fd)
{
	(void)fd;
	attack_say(a, "fcntl(F_SETFL, O_ASYNC) on the channel: trying");
	attack_result(a, "fcntl(F_SETFL, O_ASYNC)",
	    fcntl(a->w.chan, F_SETFL, O_ASYNC | O_NONBLOCK));
}

/* Every other way to signal, trace or change the victim. */
static void
process(struct attack *a, int fd)
{
	static const char *const what[] = { "kill", "tgkill", "sigqueue",
	    "pidfd", "ptrace", "vmread", "prlimit", "setpriority" };
	struct iovec io = { &fd, sizeof(fd) };
	struct rlimit none = { 0, 0 };
	siginfo_t si = { .si_code = SI_QUEUE };
	pid_t v = a->victim;
	long rc = -1;

	attack_say(a, "%s on pid %d: trying", a->vector, (int)v);
	if (strcmp(a->vector, what[0]) == 0)
		rc = kill(v, SIGSTOP);
	else if (strcmp(a->vector, what[1]) == 0)
		rc = syscall(SYS_tgkill, v, v, SIGKILL);
	else if (strcmp(a->vector, what[2]) == 0)
		rc = syscall(SYS_rt_sigqueueinfo, v, SIGKILL, &si);
	else if (strcmp(a->vector, what[3]) == 0)
		rc = syscall(SYS_pidfd_open, v, 0);
	else if (strcmp(a->vector, what[4]) == 0)
		rc = ptrace(PTRACE_SEIZE, v, NULL, NULL);
	else if (strcmp(a->vector, what[5]) == 0)
		rc = process_vm_readv(v, &io, 1, &io, 1, 0);
	else if (strcmp(a->vector, what[6]) == 0)
		rc = prlimit(v, RLIMIT_NOFILE, &none, NULL);
	else if (strcmp(a->vector, what[7]) == 0)
		rc = setpriority(PRIO_PROCESS, (id_t)v, 19);
	attack_result(a, a->vector, rc);
}

static const struct vector {
	const char *name;
	int	 master;	/* needs the master's socket */
	void	(*run)(struct attack *, int);
} vectors[] = {
	{ "giveback", 1, give_back },
	{ "linger", 1, linger },
	{ "attach_filter", 1, attach_filter },
	{ "busfd", 1, bus_fd },
	{ "socket", 0, new_socket },
	{ "connect", 1, reconnect },
	{ "fastopen", 1, fastopen },
	{ "fsetown", 0, fsetown },
	{ "async", 0, async },
	{ "kill", 0, process }, { "tgkill", 0, process },
	{ "sigqueue", 0, process }, { "pidfd", 0, process },
	{ "ptrace", 0, process }, { "vmread", 0, process },
	{ "prlimit", 0, process }, { "setpriority", 0, process },
};

int
main(int argc, char **argv)
{
	static struct attack a;

	attack_start(&a, argc, argv);
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		if (strcmp(a.vector, vectors[i].name) != 0)
			continue;
		vectors[i].run(&a, vectors[i].master ?
		    attack_wait_master(&a) : -1);
		attack_say(&a, "survived");
		return 3;
	}
	if (a.vector[0] != '\0' && strcmp(a.vector, "serve") != 0) {
		attack_say(&a, "unknown vector");
		return 2;
	}
	return worker_loop(&a.w) == 0 ? 0 : 1;
}
