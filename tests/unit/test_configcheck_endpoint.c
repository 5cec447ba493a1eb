/* Listen endpoints: "a.b.c.d:port" and "[v6]:port", literal only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "config/endpoint.h"

static void
parse_ok(const char *text, struct sockaddr_storage *ss)
{
	char err[256] = "";
	socklen_t len = 0;

	if (endpoint_parse(text, ss, &len, err, sizeof(err)) != 0)
		fail_msg("\"%s\" rejected: %s", text, err);
	assert_int_equal(len, ss->ss_family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
}

static void
test_ipv4(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	const uint8_t lo[4] = { 127, 0, 0, 1 };

	(void)state;
	parse_ok("127.0.0.1:20000", &ss);
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 20000);
	assert_memory_equal(&sin->sin_addr, lo, 4);
	parse_ok("0.0.0.0:1", &ss);
	assert_int_equal(ntohs(sin->sin_port), 1);
	assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	parse_ok("10.20.30.40:65535", &ss);
	assert_int_equal(ntohs(sin->sin_port), 65535);
	assert_int_equal(sin->sin_addr.s_addr, htonl(0x0a141e28));
}

static void
test_ipv6(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	uint8_t one[16] = { 0 }, any[16] = { 0 };

	(void)state;
	one[15] = 1;
	parse_ok("[::1]:20000", &ss);
	assert_int_equal(s6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(s6->sin6_port), 20000);
	assert_memory_equal(&s6->sin6_addr, one, 16);
	parse_ok("[::]:20000", &ss);
	assert_memory_equal(&s6->sin6_addr, any, 16);
	parse_ok("[fd00::5]:2", &ss);
	assert_int_equal(s6->sin6_addr.s6_addr[0], 0xfd);
	assert_int_equal(s6->sin6_addr.s6_addr[15], 5);
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {
		"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:99999", "127.0.0.1:20000x",
		"127.0.0.1:-1", "127.0.0.1:+1", " 127.0.0.1:1", ":20000",
		"::1:20000", "[::1]20000", "[::1]:", "[::1:20000", "[]:1",
		"localhost:20000", "256.0.0.1:1", "[127.0.0.1]:1",
		"[fe80::1%lo]:1", "1.2.3:4", "127.0.0.1:2:3",
	};
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (endpoint_parse(bad[i], &ss, &len, err, sizeof(err)) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_true(err[0] != '\0');
	}
}

static void
test_messages(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256];

	(void)state;
	assert_int_equal(endpoint_parse("127.0.0.1:0", &ss, &len, err,
	    sizeof(err)), -1);
	assert_string_equal(err,
	    "\"127.0.0.1:0\": port \"0\" is not a number in 1..65535");
	assert_int_equal(endpoint_parse("localhost:20000", &ss, &len, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "\"localhost:20000\": \"localhost\" is not a "
	    "literal IPv4 address");
	assert_int_equal(endpoint_parse("::1:20000", &ss, &len, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "\"::1:20000\": expected \"address:port\" or "
	    "\"[IPv6 address]:port\"");
}

static void
test_conflict_and_format(void **state)
{
	struct sockaddr_storage a, b, c, d, e;
	char buf[64];

	(void)state;
	parse_ok("127.0.0.1:20000", &a);
	parse_ok("0.0.0.0:20000", &b);
	parse_ok("127.0.0.1:20001", &c);
	parse_ok("[::]:20000", &d);
	parse_ok("[::1]:20000", &e);
	assert_true(endpoint_equal(&a, &a));
	assert_false(endpoint_equal(&a, &b));
	assert_true(endpoint_conflict(&a, &b));
	assert_true(endpoint_conflict(&b, &a));
	assert_false(endpoint_conflict(&a, &c));
	assert_false(endpoint_conflict(&b, &d));	/* other family */
	assert_true(endpoint_conflict(&d, &e));
	assert_false(endpoint_conflict(&a, &e));
	endpoint_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1:20000");
	endpoint_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:20000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_conflict_and_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
