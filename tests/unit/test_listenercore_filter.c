/* Address filters: parsing, matching, overlap, routing, printing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "listener/filter.h"

/* A filter from a NULL-ended list of entries, which must all parse. */
static struct addr_filter
mk(const char *first, ...)
{
	struct addr_filter f;
	const char *e;
	char err[256];
	va_list ap;

	filter_init(&f);
	va_start(ap, first);
	for (e = first; e != NULL; e = va_arg(ap, const char *))
		if (filter_add(&f, e, err, sizeof(err)) != 0)
			fail_msg("\"%s\" rejected: %s", e, err);
	va_end(ap);
	return f;
}

static struct sockaddr_storage
v4(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &sin->sin_addr), 1);
	return ss;
}

static struct sockaddr_storage
v6(const char *text)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	s6->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	return ss;
}

static bool
match(const struct addr_filter *f, struct sockaddr_storage ss)
{
	return filter_match(f, (struct sockaddr *)&ss);
}

static void
bad(const char *text, const char *want)
{
	struct addr_filter f;
	char err[256] = "";

	filter_init(&f);
	if (filter_add(&f, text, err, sizeof(err)) != -1)
		fail_msg("\"%s\" accepted", text);
	assert_int_equal(f.count, 0);
	assert_false(f.any);
	if (want != NULL)
		assert_string_equal(err, want);
	else
		assert_true(err[0] != '\0');
}

static void
test_parse_bytes(void **state)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct filter_entry e;
	char err[256];
	bool any;
	int i;

	(void)state;
	assert_int_equal(filter_parse_entry("10.0.0.5", &e, &any, err,
	    sizeof(err)), 0);
	assert_false(any);
	assert_memory_equal(e.addr, mapped, 12);
	assert_int_equal(e.addr[12], 10);
	assert_int_equal(e.addr[15], 5);
	for (i = 0; i < 16; i++)
		assert_int_equal(e.mask[i], 0xff);

	assert_int_equal(filter_parse_entry("10.*.7.*", &e, &any, err,
	    sizeof(err)), 0);
	assert_int_equal(e.addr[12], 10);
	assert_int_equal(e.addr[14], 7);
	assert_int_equal(e.mask[11], 0xff);
	assert_int_equal(e.mask[12], 0xff);
	assert_int_equal(e.mask[13], 0);
	assert_int_equal(e.mask[14], 0xff);
	assert_int_equal(e.mask[15], 0);

	assert_int_equal(filter_parse_entry("10.1.0.0/20", &e, &any, err,
	    sizeof(err)), 0);
	assert_int_equal(e.mask[13], 0xff);
	assert_int_equal(e.mask[14], 0xf0);
	assert_int_equal(e.mask[15], 0);

	assert_int_equal(filter_parse_entry("fc00::/7", &e, &any, err,
	    sizeof(err)), 0);
	assert_int_equal(e.addr[0], 0xfc);
	assert_int_equal(e.mask[0], 0xfe);
	assert_int_equal(e.mask[1], 0);

	assert_int_equal(filter_parse_entry("any", &e, &any, err,
	    sizeof(err)), 0);
	assert_true(any);
}

static void
test_parse_bad(void **state)
{
	struct addr_filter f;
	char err[256], text[32];
	int i;

	(void)state;
	bad("10.1.2.3/16", "\"10.1.2.3/16\": host bits are set after the "
	    "prefix (did you mean 10.1.0.0/16?)");
	bad("fd00::/7", NULL);			/* 0xfd has bit 7 set */
	bad("fd00::1/8", "\"fd00::1/8\": host bits are set after the prefix "
	    "(did you mean fd00::/8?)");
	bad("10.0.0.0/33", "\"10.0.0.0/33\": prefix length must be 0..32");
	bad("fd00::/129", "\"fd00::/129\": prefix length must be 0..128");
	bad("10.0.*", "\"10.0.*\": not an IPv4 wildcard (like "
	    "\"192.168.0.*\")");
	bad("host.example", "\"host.example\": not \"any\", an address, an "
	    "IPv4 wildcard or a prefix");
	bad("", NULL);
	bad("10.0.0.256", NULL);
	bad("10.0.0.1*", NULL);
	bad("10.0.0.**", NULL);
	bad("1.2.3.4.*", NULL);
	bad("*.*.*.*.*", NULL);
	bad("10.0.0.0/", NULL);
	bad("/8", NULL);
	bad("10.0.0.0/-1", NULL);
	bad("10.0.0.0/8/8", NULL);
	bad("fd00::*", NULL);
	bad("ANY", NULL);
	bad(" 10.0.0.1", NULL);

	f = mk("10.0.0.1", NULL);
	assert_int_equal(filter_add(&f, "any", err, sizeof(err)), -1);
	assert_string_equal(err, "\"any\" cannot be combined with other "
	    "entries");
	f = mk("any", NULL);
	assert_int_equal(filter_add(&f, "10.0.0.1", err, sizeof(err)), -1);
	assert_true(f.any);
	assert_int_equal(f.count, 0);

	filter_init(&f);
	for (i = 0; i < CFG_FILTER_MAX; i++) {
		snprintf(text, sizeof(text), "10.0.0.%d", i);
		assert_int_equal(filter_add(&f, text, err, sizeof(err)), 0);
	}
	assert_int_equal(filter_add(&f, "10.0.1.1", err, sizeof(err)), -1);
	assert_int_equal(f.count, CFG_FILTER_MAX);
}

static void
test_match(void **state)
{
	struct addr_filter f;
	struct sockaddr_un sun;

	(void)state;
	f = mk("10.0.0.5", NULL);
	assert_true(match(&f, v4("10.0.0.5")));
	assert_false(match(&f, v4("10.0.0.6")));
	assert_true(match(&f, v6("::ffff:10.0.0.5")));	/* mapped peer */
	assert_false(match(&f, v6("::10.0.0.5")));	/* compatible, not mapped */
	assert_false(match(&f, v6("2001:db8::5")));

	f = mk("192.168.0.*", NULL);
	assert_true(match(&f, v4("192.168.0.0")));
	assert_true(match(&f, v4("192.168.0.255")));
	assert_true(match(&f, v6("::ffff:192.168.0.77")));
	assert_false(match(&f, v4("192.168.1.7")));

	f = mk("*.1.*.3", NULL);
	assert_true(match(&f, v4("200.1.9.3")));
	assert_false(match(&f, v4("200.2.9.3")));
	assert_false(match(&f, v4("200.1.9.4")));

	f = mk("10.1.0.0/16", NULL);
	assert_true(match(&f, v4("10.1.255.1")));
	assert_false(match(&f, v4("10.2.0.1")));

	f = mk("fd00::/8", NULL);
	assert_true(match(&f, v6("fd12:3456::1")));
	assert_false(match(&f, v6("fe80::1")));
	assert_false(match(&f, v4("10.0.0.1")));

	f = mk("2001:db8::1", NULL);
	assert_true(match(&f, v6("2001:db8::1")));
	assert_false(match(&f, v6("2001:db8::2")));

	f = mk("::ffff:10.0.0.5", NULL);	/* written as v6, same as v4 */
	assert_true(match(&f, v4("10.0.0.5")));

	f = mk("10.0.0.1", "10.9.*.*", "2001:db8::/32", NULL);
	assert_true(match(&f, v4("10.0.0.1")));
	assert_true(match(&f, v4("10.9.200.3")));
	assert_true(match(&f, v6("2001:db8:ffff::9")));
	assert_false(match(&f, v4("10.0.0.2")));

	f = mk("any", NULL);
	assert_true(match(&f, v4("1.2.3.4")));
	assert_true(match(&f, v6("fe80::1")));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_false(filter_match(&f, (struct sockaddr *)&sun));
	assert_false(filter_match(&f, NULL));

	filter_init(&f);		/* empty: matches nothing */
	assert_false(match(&f, v4("1.2.3.4")));
}

/* Overlap, and the example really matches both filters. */
static void
overlap(const struct addr_filter *a, const struct addr_filter *b,
    const char *want)
{
	char text[FILTER_ADDR_STRLEN];
	uint8_t ex[16];

	if (want == NULL) {
		assert_false(filter_overlap(a, b, ex));
		assert_false(filter_overlap(b, a, ex));
		return;
	}
	assert_true(filter_overlap(b, a, NULL));
	assert_true(filter_overlap(a, b, ex));
	assert_true(filter_match_addr(a, ex));
	assert_true(filter_match_addr(b, ex));
	filter_format_addr(ex, text, sizeof(text));
	assert_string_equal(text, want);
}

static void
test_overlap(void **state)
{
	struct addr_filter a, b;

	(void)state;
	a = mk("10.0.0.5", NULL);
	b = mk("::ffff:10.0.0.5", NULL);
	overlap(&a, &b, "10.0.0.5");
	a = mk("192.168.0.*", NULL);
	b = mk("192.168.0.128/25", NULL);
	overlap(&a, &b, "192.168.0.128");
	b = mk("192.168.0.7", NULL);
	overlap(&a, &b, "192.168.0.7");
	b = mk("any", NULL);
	overlap(&a, &b, "192.168.0.1");
	overlap(&b, &b, "::1");
	a = mk("10.*.0.1", NULL);
	b = mk("*.5.0.*", NULL);
	overlap(&a, &b, "10.5.0.1");
	a = mk("10.0.0.0/8", NULL);
	b = mk("::ffff:0:0/96", NULL);		/* every IPv4 address */
	overlap(&a, &b, "10.0.0.1");
	a = mk("fd00::/8", NULL);
	b = mk("fd12::7", NULL);
	overlap(&a, &b, "fd12::7");

	a = mk("10.0.0.*", "10.0.1.*", NULL);
	b = mk("10.0.2.*", "fd00::/8", "10.1.0.0/16", NULL);
	overlap(&a, &b, NULL);
	a = mk("192.168.0.*", NULL);
	b = mk("192.168.1.0/24", NULL);
	overlap(&a, &b, NULL);
	a = mk("10.*.0.1", NULL);
	b = mk("*.5.0.2", NULL);
	overlap(&a, &b, NULL);
	a = mk("0.0.0.0/0", NULL);		/* all IPv4, no IPv6 */
	b = mk("2001:db8::/32", NULL);
	overlap(&a, &b, NULL);
	b = mk("10.0.0.1", "2001:db8::/32", NULL);
	overlap(&a, &b, "10.0.0.1");
}

/* A small deterministic generator: the same cases on every run. */
static uint32_t
next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* A random entry inside 10.0.0.0/16: exact, wildcard or prefix. */
static void
random_entry(uint32_t *seed, char *buf, size_t len)
{
	unsigned int a = next_rand(seed) % 4, b = next_rand(seed) % 8;
	unsigned int bits = 16 + next_rand(seed) % 17;
	uint32_t host = (a << 8 | b) & (bits == 16 ? 0 :
	    (0xffffu << (32 - bits)) & 0xffffu);

	switch (next_rand(seed) % 4) {
	case 0:
		snprintf(buf, len, "10.0.%u.%u", a, b);
		break;
	case 1:
		snprintf(buf, len, "10.0.%u.*", a);
		break;
	case 2:
		snprintf(buf, len, "10.0.*.%u", b);
		break;
	default:
		snprintf(buf, len, "10.0.%u.%u/%u", host >> 8, host & 0xff,
		    bits);
	}
}

/*
 * filter_overlap() agrees with trying every address of 10.0.0.0/16 (all
 * generated entries lie inside it), for random lists of 1..3 entries.
 */
static void
test_overlap_brute_force(void **state)
{
	uint8_t addr[16] = { [10] = 0xff, [11] = 0xff, 10, 0 };
	struct addr_filter f[2];
	uint32_t seed = 0x2545f491;
	char text[40], err[128];
	int round, i, k, n, both;

	(void)state;
	for (round = 0; round < 300; round++) {
		for (k = 0; k < 2; k++) {
			filter_init(&f[k]);
			n = 1 + (int)(next_rand(&seed) % 3);
			for (i = 0; i < n; i++) {
				random_entry(&seed, text, sizeof(text));
				if (filter_add(&f[k], text, err, sizeof(err)))
					fail_msg("%s: %s", text, err);
			}
		}
		both = 0;
		for (i = 0; i < 65536 && !both; i++) {
			addr[14] = (uint8_t)(i >> 8);
			addr[15] = (uint8_t)i;
			both = filter_match_addr(&f[0], addr) &&
			    filter_match_addr(&f[1], addr);
		}
		assert_int_equal(filter_overlap(&f[0], &f[1], addr), both);
		if (both) {
			assert_true(filter_match_addr(&f[0], addr));
			assert_true(filter_match_addr(&f[1], addr));
		}
	}
}

static void
test_route(void **state)
{
	struct outstation_config os[4];
	struct server_config srv[2];
	struct dnp3d_config cfg;
	struct sockaddr_storage peer;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memset(os, 0, sizeof(os));
	memset(srv, 0, sizeof(srv));
	os[0].filter = mk("192.168.0.*", NULL);
	os[1].filter = mk("10.0.0.1", "fd00::/8", NULL);
	os[2].filter = mk("any", NULL);
	os[3].filter = mk("10.0.0.1", NULL);
	srv[0].first = 0;
	srv[0].count = 2;
	srv[1].first = 2;
	srv[1].count = 2;
	cfg.servers = srv;
	cfg.server_count = 2;
	cfg.outstations = os;
	cfg.outstation_count = 4;

	peer = v4("192.168.0.9");
	assert_int_equal(filter_route(&cfg, 0, (struct sockaddr *)&peer), 0);
	peer = v6("::ffff:10.0.0.1");
	assert_int_equal(filter_route(&cfg, 0, (struct sockaddr *)&peer), 1);
	peer = v6("fd00::99");
	assert_int_equal(filter_route(&cfg, 0, (struct sockaddr *)&peer), 1);
	peer = v4("172.16.0.1");
	assert_int_equal(filter_route(&cfg, 0, (struct sockaddr *)&peer), -1);
	assert_int_equal(filter_route(&cfg, 1, (struct sockaddr *)&peer), 2);
	assert_int_equal(filter_route(&cfg, 2, (struct sockaddr *)&peer), -1);
	srv[1].count = 3;			/* past the end: refused */
	assert_int_equal(filter_route(&cfg, 1, (struct sockaddr *)&peer), -1);
}

/* By link address: the outstation with that address among those whose
 * filter matches the peer. */
static void
test_route_link(void **state)
{
	struct outstation_config os[3];
	struct server_config srv = { .first = 0, .count = 3 };
	struct dnp3d_config cfg = { .servers = &srv, .server_count = 1,
	    .outstations = os, .outstation_count = 3 };
	struct sockaddr_storage peer;
	struct sockaddr *p = (struct sockaddr *)&peer;

	(void)state;
	memset(os, 0, sizeof(os));
	os[0].filter = mk("198.18.0.0/24", NULL);
	os[0].address = 10;
	os[1].filter = mk("198.18.0.11", NULL);
	os[1].address = 20;
	os[2].filter = mk("any", NULL);
	os[2].address = 30;
	peer = v4("198.18.0.11");
	assert_int_equal(filter_route_link(&cfg, 0, p, 10), 0);
	assert_int_equal(filter_route_link(&cfg, 0, p, 20), 1);
	assert_int_equal(filter_route_link(&cfg, 0, p, 30), 2);
	assert_int_equal(filter_route_link(&cfg, 0, p, 40), -1);
	peer = v4("198.18.0.12");
	assert_int_equal(filter_route_link(&cfg, 0, p, 20), -1);
	assert_int_equal(filter_route_link(&cfg, 0, p, 10), 0);
	peer = v4("10.0.0.1");
	assert_int_equal(filter_route_link(&cfg, 0, p, 10), -1);
	assert_int_equal(filter_route_link(&cfg, 0, p, 30), 2);
	assert_int_equal(filter_route_link(&cfg, 1, p, 30), -1);
}

static void
test_format(void **state)
{
	struct filter_entry e;
	char buf[64], err[128];
	uint8_t a[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
	bool any;

	(void)state;
	filter_format_addr(a, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1");
	a[10] = 0;
	filter_format_addr(a, buf, sizeof(buf));
	assert_string_equal(buf, "::ff:c000:201");	/* not mapped */
	assert_int_equal(filter_parse_entry("10.*.0.*", &e, &any, err,
	    sizeof(err)), 0);
	filter_format_entry(&e, buf, sizeof(buf));
	assert_string_equal(buf, "10.*.0.*");
	assert_int_equal(filter_parse_entry("10.1.0.0/16", &e, &any, err,
	    sizeof(err)), 0);
	filter_format_entry(&e, buf, sizeof(buf));
	assert_string_equal(buf, "10.1.0.0/16");
	assert_int_equal(filter_parse_entry("fd00::/8", &e, &any, err,
	    sizeof(err)), 0);
	filter_format_entry(&e, buf, sizeof(buf));
	assert_string_equal(buf, "fd00::/8");
	assert_int_equal(filter_parse_entry("2001:db8::1", &e, &any, err,
	    sizeof(err)), 0);
	filter_format_entry(&e, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_bytes),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_overlap_brute_force),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_route_link),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
