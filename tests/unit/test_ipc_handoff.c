/*
 * The hand-off header codec: exact bytes, round trip, and every field the
 * receiver must refuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "ipc/handoff.h"

static void
v4_peer(struct handoff *h, const char *ip, uint16_t port, uint16_t server)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(port) };
	assert_int_equal(inet_pton(AF_INET, ip, &sin.sin_addr), 1);
	assert_int_equal(handoff_from_sockaddr(h, (struct sockaddr *)&sin,
	    sizeof(sin), server), 0);
}

static void
encodes_exact_bytes(void **state)
{
	(void)state;
	struct handoff h;
	uint8_t buf[HANDOFF_LEN];
	const uint8_t want[HANDOFF_LEN] = {
		'D', '3', 'H', 'O', 1, 4, 0x34, 0x12,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 9,
		7, 0, 0, 0
	};

	v4_peer(&h, "127.0.0.9", 0x1234, 7);
	handoff_encode(&h, buf);
	assert_memory_equal(buf, want, HANDOFF_LEN);
}

static void
round_trip_v4_and_v6(void **state)
{
	(void)state;
	struct handoff h, out;
	uint8_t buf[HANDOFF_LEN];
	char s[HANDOFF_ADDRSTR_MAX];
	const char *why = "unset";

	v4_peer(&h, "127.0.0.2", 41234, 3);
	handoff_encode(&h, buf);
	assert_int_equal(handoff_decode(buf, sizeof(buf), &out, &why), 0);
	assert_null(why);
	assert_int_equal(out.family, 4);
	assert_int_equal(out.port, 41234);
	assert_int_equal(out.server, 3);
	assert_string_equal(handoff_addrstr(&out, s, sizeof(s)),
	    "127.0.0.2:41234");

	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
	    .sin6_port = htons(20000) };
	inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
	assert_int_equal(handoff_from_sockaddr(&h, (struct sockaddr *)&sin6,
	    sizeof(sin6), 65535), 0);
	handoff_encode(&h, buf);
	assert_int_equal(handoff_decode(buf, sizeof(buf), &out, NULL), 0);
	assert_int_equal(out.family, 6);
	assert_int_equal(out.server, 65535);
	assert_string_equal(handoff_addrstr(&out, s, sizeof(s)),
	    "[2001:db8::1]:20000");
}

static void
mapped_v6_peer_is_reported_as_v4(void **state)
{
	(void)state;
	struct handoff h;
	char s[HANDOFF_ADDRSTR_MAX];
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
	    .sin6_port = htons(5) };

	inet_pton(AF_INET6, "::ffff:10.1.2.3", &sin6.sin6_addr);
	assert_int_equal(handoff_from_sockaddr(&h, (struct sockaddr *)&sin6,
	    sizeof(sin6), 0), 0);
	assert_int_equal(h.family, 4);
	assert_string_equal(handoff_addrstr(&h, s, sizeof(s)), "10.1.2.3:5");
}

static void
refuses_non_ip_family(void **state)
{
	(void)state;
	struct handoff h;
	struct sockaddr sa = { .sa_family = AF_UNIX };
	assert_int_equal(handoff_from_sockaddr(&h, &sa, sizeof(sa), 0), -1);
}

static void
expect_rejected(uint8_t *buf, size_t len, const char *reason)
{
	struct handoff out;
	const char *why = NULL;
	assert_int_equal(handoff_decode(buf, len, &out, &why), -1);
	assert_string_equal(why, reason);
}

static void
decode_rejects_bad_fields(void **state)
{
	(void)state;
	struct handoff h;
	uint8_t good[HANDOFF_LEN], buf[HANDOFF_LEN + 1];

	v4_peer(&h, "192.0.2.1", 20000, 0);
	handoff_encode(&h, good);

	memcpy(buf, good, HANDOFF_LEN);
	expect_rejected(buf, HANDOFF_LEN - 1, "wrong length");
	buf[HANDOFF_LEN] = 0;
	expect_rejected(buf, HANDOFF_LEN + 1, "wrong length");

	memcpy(buf, good, HANDOFF_LEN);
	buf[0] ^= 1;
	expect_rejected(buf, HANDOFF_LEN, "bad magic");

	memcpy(buf, good, HANDOFF_LEN);
	buf[4] = 2;
	expect_rejected(buf, HANDOFF_LEN, "unsupported version");

	memcpy(buf, good, HANDOFF_LEN);
	buf[5] = 5;
	expect_rejected(buf, HANDOFF_LEN, "bad address family");

	memcpy(buf, good, HANDOFF_LEN);
	buf[18] = 0;	/* ::ffff: prefix broken */
	expect_rejected(buf, HANDOFF_LEN, "IPv4 address not in mapped form");

	memcpy(buf, good, HANDOFF_LEN);
	buf[27] = 1;
	expect_rejected(buf, HANDOFF_LEN, "unknown flags");
	memcpy(buf, good, HANDOFF_LEN);
	buf[26] = 2;
	expect_rejected(buf, HANDOFF_LEN, "unknown flags");
}

/* The connection a dead worker served: one flag bit, and back. */
static void
resumed_flag_round_trip(void **state)
{
	struct handoff h, back;
	uint8_t buf[HANDOFF_LEN];
	const char *why;
	(void)state;

	memset(&h, 0, sizeof(h));
	h.family = 6;
	h.port = 20000;
	h.addr[15] = 1;
	h.resumed = true;
	handoff_encode(&h, buf);
	assert_int_equal(buf[26], 1);
	assert_int_equal(buf[27], 0);
	assert_int_equal(handoff_decode(buf, sizeof(buf), &back, &why), 0);
	assert_true(back.resumed);
	h.resumed = false;
	handoff_encode(&h, buf);
	assert_int_equal(buf[26], 0);
	assert_int_equal(handoff_decode(buf, sizeof(buf), &back, &why), 0);
	assert_false(back.resumed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encodes_exact_bytes),
		cmocka_unit_test(round_trip_v4_and_v6),
		cmocka_unit_test(mapped_v6_peer_is_reported_as_v4),
		cmocka_unit_test(refuses_non_ip_family),
		cmocka_unit_test(decode_rejects_bad_fields),
		cmocka_unit_test(resumed_flag_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
