/* SIGINT and SIGTERM for the tools: see stop_signals.h. */
#include <pthread.h>
#include <string.h>

#include "common/stop_signals.h"

static volatile sig_atomic_t *stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	*stop_flag = 1;
}

void
stop_signals_catch(volatile sig_atomic_t *flag, sigset_t *held)
{
	struct sigaction sa;

	stop_flag = flag;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(held);
	sigaddset(held, SIGINT);
	sigaddset(held, SIGTERM);
	pthread_sigmask(SIG_BLOCK, held, NULL);
}

void
stop_signals_release(const sigset_t *held)
{
	pthread_sigmask(SIG_UNBLOCK, held, NULL);
}
