/*
 * The command line of dnp3-master. Options may come before or after the
 * command; anything that is not a known option is a positional word, so
 * negative values ("analog 0 -5") need no "--". "--opt=value" works too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "dnp3master.h"

#define WORDS_MAX	8

void
args_usage(FILE *f)
{
	fprintf(f,
	    "usage: dnp3-master [-hv] [-a OUTSTATION] [-m MASTER] [-b BIND_ADDR]"
	    " [-t TIMEOUT_MS]\n"
	    "                   [--json] [--repeat N] [--interval MS]"
	    " HOST:PORT COMMAND [ARGS]\n"
	    "                   [--tls-ca FILE --tls-cert FILE --tls-key FILE"
	    " [--tls-name NAME] [--tls-max 1.2|1.3]]\n"
	    "commands:\n"
	    "  integrity\n"
	    "  class 0|1|2|3 ...\n"
	    "  read GROUP VARIATION [START STOP]\n"
	    "  operate INDEX latch_on|latch_off|pulse_on|pulse_off|close|trip\n"
	    "          [--select] [--on MS] [--off MS] [--count N]\n"
	    "  analog INDEX VALUE [--variation 1..4] [--select]\n"
	    "  timesync [--lan]\n"
	    "  restart cold|warm\n"
	    "  unsol enable|disable [1|2|3 ...]\n"
	    "  listen SECONDS\n"
	    "  link-status\n"
	    "  clear-restart\n");
}

/* An unsigned decimal in lo..hi; -1 (and a message) if not. */
static int
number(const char *s, const char *what, unsigned long lo, unsigned long hi,
    uint32_t *out)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *s == '-' || *end != '\0' || n < lo ||
	    n > hi) {
		fprintf(stderr, "dnp3-master: %s must be %lu..%lu: %s\n",
		    what, lo, hi, s);
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

/* "1", "1,2,3", "123": a MASTER_CLASS* mask; allow0 for reads. */
static int
classes(const char *s, bool allow0, uint8_t *mask)
{
	*mask = 0;
	for (; *s != '\0'; s++) {
		if (*s == ',')
			continue;
		if (*s < (allow0 ? '0' : '1') || *s > '3') {
			fprintf(stderr, "dnp3-master: classes are %s1, 2, 3: "
			    "%s\n", allow0 ? "0, " : "", s);
			return -1;
		}
		*mask |= (uint8_t)(1u << (*s - '0'));
	}
	return *mask != 0 ? 0 : -1;
}

/* Option with a value: "-a 10", "--repeat=5". NULL when it is not name. */
static const char *
optval(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) == 0 && a[n] == '=' && name[1] == '-')
		return a + n + 1;
	if (strcmp(a, name) != 0)
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "dnp3-master: %s needs a value\n", name);
		return "";
	}
	return argv[++*i];
}

/* The options that take a number: indexes of numopts[] and struct parse. */
enum numopt {
	N_OUTSTATION, N_MASTER, N_TIMEOUT, N_REPEAT, N_INTERVAL, N_ON, N_OFF,
	N_COUNT, N_VARIATION, N_COUNT_ALL
};

static const struct {
	const char *name, *what;
	unsigned long lo, hi;
} numopts[N_COUNT_ALL] = {
	[N_OUTSTATION] = { "-a", "the outstation address", 0, LINK_ADDR_MAX },
	[N_MASTER] = { "-m", "the master address", 0, LINK_ADDR_MAX },
	[N_TIMEOUT] = { "-t", "the timeout (ms)", 1, 3600000 },
	[N_REPEAT] = { "--repeat", "--repeat", 1, 1000000000 },
	[N_INTERVAL] = { "--interval", "--interval (ms)", 0, 3600000 },
	[N_ON] = { "--on", "--on (ms)", 0, UINT32_MAX },
	[N_OFF] = { "--off", "--off (ms)", 0, UINT32_MAX },
	[N_COUNT] = { "--count", "--count", 0, 255 },
	[N_VARIATION] = { "--variation", "--variation", 1, 4 },
};

struct parse {
	const char *words[WORDS_MAX];
	int nwords;
	uint32_t num[N_COUNT_ALL];
	bool seen[N_COUNT_ALL];
};

/* 1: argv[*i] was a number option (stored), 0: it was not, -1: error. */
static int
scan_number(int argc, char **argv, int *i, struct parse *p)
{
	const char *v;

	for (int k = 0; k < N_COUNT_ALL; k++) {
		if ((v = optval(argc, argv, i, numopts[k].name)) == NULL)
			continue;
		if (number(v, numopts[k].what, numopts[k].lo, numopts[k].hi,
		    &p->num[k]) == -1)
			return -1;
		p->seen[k] = true;
		return 1;
	}
	return 0;
}

/* --tls-ca, --tls-cert, --tls-key, --tls-name, --tls-max: 1 stored, 0
   not one. */
static int
scan_tls(int argc, char **argv, int *i, struct options *o)
{
	static const char *const names[] = { "--tls-ca", "--tls-cert",
	    "--tls-key", "--tls-name", "--tls-max" };
	const char **dst[] = { &o->tls_ca, &o->tls_cert, &o->tls_key,
	    &o->tls_name, &o->tls_max };
	const char *v;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if ((v = optval(argc, argv, i, names[k])) == NULL)
			continue;
		*dst[k] = v;
		return *v == '\0' ? -1 : 1;
	}
	return 0;
}

static int
scan(int argc, char **argv, struct options *o, struct parse *p)
{
	const char *v;
	int r;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((r = scan_number(argc, argv, &i, p)) == -1)
			return -1;
		if (r == 1)
			continue;
		if ((v = optval(argc, argv, &i, "-b")) != NULL) {
			if (*v == '\0')
				return -1;
			o->bind = v;
		} else if ((r = scan_tls(argc, argv, &i, o)) != 0) {
			if (r == -1)
				return -1;
		} else if (strcmp(a, "--json") == 0)
			o->json = true;
		else if (strcmp(a, "--select") == 0)
			o->select = true;
		else if (strcmp(a, "--lan") == 0)
			o->lan = true;
		else if (strcmp(a, "-v") == 0)
			log_setverbose(log_getverbose() + 1);
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			args_usage(stdout);
			exit(EXIT_DM_OK);
		}
		else if (a[0] == '-' && a[1] != '\0' &&
		    (a[1] < '0' || a[1] > '9') && a[1] != '.') {
			fprintf(stderr, "dnp3-master: unknown option %s\n", a);
			return -1;
		} else if (p->nwords == WORDS_MAX) {
			fprintf(stderr, "dnp3-master: too many arguments\n");
			return -1;
		} else
			p->words[p->nwords++] = a;
	}
	return 0;
}

/* Exactly n words after the command (or lo..hi of them). */
static int
nargs(const struct parse *p, int lo, int hi, const char *cmd)
{
	int n = p->nwords - 2;

	if (n >= lo && n <= hi)
		return 0;
	fprintf(stderr, "dnp3-master: %s: wrong number of arguments\n", cmd);
	return -1;
}

/* Classes in words[first..]: "1 2", "1,2" or "12" all say 1 and 2. */
static int
class_words(const struct parse *p, int first, bool allow0, uint8_t *mask)
{
	uint8_t m;

	*mask = 0;
	for (int i = first; i < p->nwords; i++) {
		if (classes(p->words[i], allow0, &m) == -1)
			return -1;
		*mask |= m;
	}
	return 0;
}

static int
parse_read(const struct parse *p, struct options *o)
{
	uint32_t g, v;

	if (nargs(p, 2, 4, "read") == -1 || p->nwords == 5 ||
	    number(p->words[2], "the group", 1, 255, &g) == -1 ||
	    number(p->words[3], "the variation", 0, 255, &v) == -1)
		return -1;
	o->group = (uint8_t)g;
	o->variation = (uint8_t)v;
	if (p->nwords == 6) {
		o->range = true;
		if (number(p->words[4], "START", 0, 65535, &o->start) == -1 ||
		    number(p->words[5], "STOP", o->start, 65535,
		    &o->stop) == -1)
			return -1;
	}
	return 0;
}

static int
parse_control(const struct parse *p, struct options *o)
{
	uint32_t idx;
	char *end;

	if (nargs(p, 2, 2, o->cmd == CMD_OPERATE ? "operate" : "analog") ==
	    -1 || number(p->words[2], "INDEX", 0, 65535, &idx) == -1)
		return -1;
	o->index = (uint16_t)idx;
	if (o->cmd == CMD_OPERATE) {
		if (master_crob_code(p->words[3], &o->crob_code) == -1) {
			fprintf(stderr, "dnp3-master: operate: unknown "
			    "operation %s\n", p->words[3]);
			return -1;
		}
		return 0;
	}
	errno = 0;
	o->value = strtod(p->words[3], &end);
	if (errno != 0 || end == p->words[3] || *end != '\0') {
		fprintf(stderr, "dnp3-master: analog: bad VALUE %s\n",
		    p->words[3]);
		return -1;
	}
	return 0;
}

static int
parse_words(const struct parse *p, struct options *o)
{
	const char *c = p->words[1], *a = p->nwords > 2 ? p->words[2] : "";

	if (strcmp(c, "integrity") == 0)
		return nargs(p, 0, 0, c);
	if (strcmp(c, "link-status") == 0)
		return nargs(p, 0, 0, c);
	if (strcmp(c, "clear-restart") == 0)
		return nargs(p, 0, 0, c);
	if (strcmp(c, "class") == 0)
		return nargs(p, 1, 4, c) == -1 ? -1 :
		    class_words(p, 2, true, &o->classes);
	if (strcmp(c, "read") == 0)
		return parse_read(p, o);
	if (strcmp(c, "operate") == 0 || strcmp(c, "analog") == 0)
		return parse_control(p, o);
	if (strcmp(c, "timesync") == 0)
		return nargs(p, 0, 0, c);
	if (strcmp(c, "restart") == 0) {
		o->cold = strcmp(a, "cold") == 0;
		return nargs(p, 1, 1, c) == -1 || (!o->cold &&
		    strcmp(a, "warm") != 0) ? -1 : 0;
	}
	if (strcmp(c, "unsol") == 0) {
		o->enable = strcmp(a, "enable") == 0;
		if (nargs(p, 1, 4, c) == -1 || (!o->enable &&
		    strcmp(a, "disable") != 0))
			return -1;
		o->classes = MASTER_CLASS_EVENTS;
		return p->nwords > 3 ? class_words(p, 3, false,
		    &o->classes) : 0;
	}
	if (strcmp(c, "listen") == 0)
		return nargs(p, 1, 1, c) == -1 ? -1 :
		    number(a, "SECONDS", 1, 86400, &o->seconds);
	return -1;
}

/* HOST:PORT or [V6]:PORT with a port 1..65535 (net.c resolves it). */
static bool
target_ok(const char *t)
{
	const char *colon = strrchr(t, ':');
	uint32_t port;

	if (colon == NULL || colon == t || (t[0] == '[' && colon[-1] != ']'))
		return false;
	return number(colon + 1, "the port", 1, 65535, &port) == 0;
}

static enum command
command_of(const char *c)
{
	for (int k = CMD_INTEGRITY; k <= CMD_CLEAR_RESTART; k++)
		if (strcmp(c, command_name((enum command)k)) == 0)
			return (enum command)k;
	return (enum command)-1;
}

/* Options that belong to one command only. */
static int
check_options(const struct parse *p, const struct options *o)
{
	bool ctl = o->cmd == CMD_OPERATE || o->cmd == CMD_ANALOG;

	if ((o->select && !ctl) || (o->lan && o->cmd != CMD_TIMESYNC) ||
	    ((p->seen[N_ON] || p->seen[N_OFF] || p->seen[N_COUNT]) &&
	    o->cmd != CMD_OPERATE) ||
	    (p->seen[N_VARIATION] && o->cmd != CMD_ANALOG)) {
		fprintf(stderr, "dnp3-master: option not valid for %s\n",
		    command_name(o->cmd));
		return -1;
	}
	if ((o->tls_cert != NULL) != (o->tls_key != NULL) ||
	    ((o->tls_cert != NULL || o->tls_name != NULL ||
	    o->tls_max != NULL) && o->tls_ca == NULL)) {
		fprintf(stderr, "dnp3-master: --tls-cert and --tls-key go "
		    "together, and need --tls-ca\n");
		return -1;
	}
	if (o->tls_max != NULL && strcmp(o->tls_max, "1.2") != 0 &&
	    strcmp(o->tls_max, "1.3") != 0) {
		fprintf(stderr, "dnp3-master: --tls-max is 1.2 or 1.3\n");
		return -1;
	}
	if (o->cmd == CMD_LISTEN && o->repeat > 1) {
		fprintf(stderr, "dnp3-master: listen does not repeat\n");
		return -1;
	}
	return 0;
}

int
args_parse(int argc, char **argv, struct options *o)
{
	struct parse p;

	memset(o, 0, sizeof(*o));
	memset(&p, 0, sizeof(p));
	o->outstation = 10;
	o->master = 1;
	o->timeout_ms = 5000;
	o->repeat = 1;
	o->count = 1;
	o->on_ms = 100;
	o->off_ms = 100;
	o->aob_variation = 1;
	if (scan(argc, argv, o, &p) == -1 || p.nwords < 2)
		goto usage;
	o->target = p.words[0];
	if (!target_ok(o->target)) {
		fprintf(stderr, "dnp3-master: expected HOST:PORT or "
		    "[V6ADDR]:PORT: %s\n", o->target);
		goto usage;
	}
	if ((int)(o->cmd = command_of(p.words[1])) == -1) {
		fprintf(stderr, "dnp3-master: unknown command %s\n",
		    p.words[1]);
		goto usage;
	}
	o->outstation = p.seen[N_OUTSTATION] ? (uint16_t)p.num[N_OUTSTATION] :
	    o->outstation;
	o->master = p.seen[N_MASTER] ? (uint16_t)p.num[N_MASTER] : o->master;
	o->timeout_ms = p.seen[N_TIMEOUT] ? p.num[N_TIMEOUT] : o->timeout_ms;
	o->repeat = p.seen[N_REPEAT] ? p.num[N_REPEAT] : o->repeat;
	o->interval_ms = p.num[N_INTERVAL];
	o->on_ms = p.seen[N_ON] ? p.num[N_ON] : o->on_ms;
	o->off_ms = p.seen[N_OFF] ? p.num[N_OFF] : o->off_ms;
	o->count = p.seen[N_COUNT] ? (uint8_t)p.num[N_COUNT] : o->count;
	o->aob_variation = p.seen[N_VARIATION] ?
	    (uint8_t)p.num[N_VARIATION] : o->aob_variation;
	if (parse_words(&p, o) == -1 || check_options(&p, o) == -1)
		goto usage;
	return 0;
usage:
	args_usage(stderr);
	return EXIT_DM_USAGE;
}
