/*
 * Link station: the replies an outstation (address 10, master 1) sends for
 * each primary function, FCB handling, address and direction filtering,
 * broadcast, and the frames it originates. Replies are checked as bytes
 * and by parsing them back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dnp3/link/crc.h"
#include "dnp3/link/link.h"

#define OS	10
#define MASTER	1

struct fixture {
	struct link_station s;
	struct link_rx r;
	uint8_t reply[LINK_MAX_FRAME];
	uint8_t data[LINK_MAX_USER_DATA];
};

static int
setup(void **state)
{
	static struct fixture fx;
	memset(&fx, 0, sizeof(fx));
	link_station_init(&fx.s, OS, MASTER, false, false);
	*state = &fx;
	return 0;
}

/* Sends a primary frame from src to dest (DIR = master) to the station. */
static void
send_frame(struct fixture *fx, uint8_t ctrl, uint16_t dest, uint16_t src,
    const char *data)
{
	struct link_frame f = { .hdr = { .dest = dest, .src = src } };
	link_ctrl_decode(ctrl, &f.hdr);
	f.hdr.dest = dest;
	f.hdr.src = src;
	if (data != NULL) {
		f.len = strlen(data);
		memcpy(fx->data, data, f.len);
		f.data = fx->data;
	}
	link_station_rx(&fx->s, &f, fx->reply, sizeof(fx->reply), &fx->r);
}

/* The reply must be exactly 05 64 05 ctrl 01 00 0A 00 + CRC. */
static void
expect_reply(struct fixture *fx, uint8_t ctrl)
{
	uint8_t want[10] = { 0x05, 0x64, 0x05, ctrl, MASTER, 0, OS, 0 };
	crc_dnp_append(want, 8);
	assert_int_equal(fx->r.reply_len, 10);
	assert_memory_equal(fx->reply, want, 10);
}

static void
test_request_link_status(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xC9, OS, MASTER, NULL);
	expect_reply(fx, 0x0B);		/* DIR 0, PRM 0, LINK_STATUS */
	assert_false(fx->r.deliver);
}

static void
test_confirmed_before_reset_nacked(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xF3, OS, MASTER, "\xC0\xC1\x01");
	expect_reply(fx, 0x01);		/* NACK */
	assert_false(fx->r.deliver);
	send_frame(fx, 0xF2, OS, MASTER, NULL);	/* test link states */
	expect_reply(fx, 0x01);
	assert_int_equal(fx->s.stats.not_reset, 2);
}

static void
test_reset_then_confirmed_fcb(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xC0, OS, MASTER, NULL);	/* reset link states */
	expect_reply(fx, 0x00);
	send_frame(fx, 0xF3, OS, MASTER, "first");	/* FCB 1: new */
	expect_reply(fx, 0x00);
	assert_true(fx->r.deliver);
	assert_int_equal(fx->r.len, 5);
	assert_memory_equal(fx->r.data, "first", 5);
	send_frame(fx, 0xF3, OS, MASTER, "first");	/* FCB 1 again: repeat */
	expect_reply(fx, 0x00);
	assert_false(fx->r.deliver);
	assert_int_equal(fx->s.stats.duplicate, 1);
	send_frame(fx, 0xD3, OS, MASTER, "second");	/* FCB 0: new */
	expect_reply(fx, 0x00);
	assert_true(fx->r.deliver);
	assert_int_equal(fx->s.stats.delivered, 2);
	/* a new reset makes FCB 1 expected again */
	send_frame(fx, 0xC0, OS, MASTER, NULL);
	send_frame(fx, 0xD3, OS, MASTER, "third");
	assert_false(fx->r.deliver);
	send_frame(fx, 0xF3, OS, MASTER, "third");
	assert_true(fx->r.deliver);
}

static void
test_test_link_states(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xC0, OS, MASTER, NULL);
	send_frame(fx, 0xF2, OS, MASTER, NULL);
	expect_reply(fx, 0x00);
	send_frame(fx, 0xF2, OS, MASTER, NULL);	/* repeat: last reply again */
	expect_reply(fx, 0x00);
	assert_int_equal(fx->s.stats.duplicate, 1);
	send_frame(fx, 0xD2, OS, MASTER, NULL);
	expect_reply(fx, 0x00);
	assert_true(fx->s.expect_fcb);	/* FCB 1 expected again */
}

static void
test_unconfirmed_delivered_without_reply(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xC4, OS, MASTER, "\xC0\xC0\x01\x3C\x01\x06");
	assert_int_equal(fx->r.reply_len, 0);
	assert_true(fx->r.deliver);
	assert_int_equal(fx->r.len, 6);
	assert_false(fx->r.broadcast);
}

static void
test_unsupported_function(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xC5, OS, MASTER, NULL);
	expect_reply(fx, 0x0F);		/* NOT_SUPPORTED */
	assert_int_equal(fx->s.stats.unsupported, 1);
}

static void
test_filtering(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0xC9, OS + 1, MASTER, NULL);	/* other outstation */
	assert_int_equal(fx->r.reply_len, 0);
	assert_int_equal(fx->s.stats.other_dest, 1);
	send_frame(fx, 0xC4, OS, 77, "x");		/* unknown master */
	assert_int_equal(fx->r.reply_len, 0);
	assert_false(fx->r.deliver);
	assert_int_equal(fx->s.stats.unknown_source, 1);
	send_frame(fx, 0x49, OS, MASTER, NULL);	/* DIR 0: from an outstation */
	assert_int_equal(fx->r.reply_len, 0);
	assert_int_equal(fx->s.stats.wrong_dir, 1);
	send_frame(fx, 0xC9, LINK_ADDR_SELF, MASTER, NULL);
	assert_int_equal(fx->r.reply_len, 0);
	assert_int_equal(fx->s.stats.rx_frames, 4);
}

static void
test_any_source_answers_the_sender(void **state)
{
	struct fixture *fx = *state;
	link_station_init(&fx->s, OS, MASTER, false, true);
	send_frame(fx, 0xC9, OS, 0x1234, NULL);
	assert_int_equal(fx->r.reply_len, 10);
	assert_int_equal(fx->reply[4], 0x34);
	assert_int_equal(fx->reply[5], 0x12);
}

static void
test_broadcast(void **state)
{
	struct fixture *fx = *state;
	static const uint16_t addrs[] = { 0xFFFD, 0xFFFE, 0xFFFF };
	for (size_t i = 0; i < 3; i++) {
		send_frame(fx, 0xC4, addrs[i], MASTER, "\xC0\xC2");
		assert_true(fx->r.broadcast);
		assert_true(fx->r.deliver);
		assert_int_equal(fx->r.dest, addrs[i]);
		assert_int_equal(fx->r.reply_len, 0);
	}
	send_frame(fx, 0xC9, 0xFFFF, MASTER, NULL);	/* never answered */
	assert_int_equal(fx->r.reply_len, 0);
	send_frame(fx, 0xC0, 0xFFFF, MASTER, NULL);
	assert_int_equal(fx->r.reply_len, 0);
	assert_false(fx->s.reset);
	assert_int_equal(fx->s.stats.broadcast, 5);
}

static void
test_secondary_reported(void **state)
{
	struct fixture *fx = *state;
	send_frame(fx, 0x80, OS, MASTER, NULL);	/* ACK from the master */
	assert_true(fx->r.secondary);
	assert_int_equal(fx->r.sec_func, LINK_SEC_ACK);
	assert_int_equal(fx->r.reply_len, 0);
}

static void
test_encoders(void **state)
{
	struct fixture *fx = *state;
	uint8_t out[LINK_MAX_FRAME];
	static const uint8_t rls[] = {
		0x05, 0x64, 0x05, 0xC9, 0x01, 0x00, 0x00, 0x04, 0xA6, 0x57 };
	static const uint8_t reset[] = {
		0x05, 0x64, 0x05, 0xC0, 0x01, 0x00, 0x00, 0x04, 0xE9, 0x21 };
	struct link_station m;

	assert_int_equal(link_station_encode_data(&fx->s,
	    (const uint8_t *)"\xC0\x81\x00\x00", 4, out, sizeof(out)), 16);
	assert_int_equal(out[3], 0x44);	/* outstation: DIR 0, PRM 1, func 4 */
	assert_int_equal(out[4], MASTER);
	assert_int_equal(out[6], OS);
	assert_int_equal(link_station_encode_data(&fx->s, out, 251, out,
	    sizeof(out)), -1);

	link_station_init(&m, 1024, 1, true, false);
	assert_int_equal(link_station_encode_primary(&m,
	    LINK_PRI_REQUEST_LINK_STATUS, out, sizeof(out)), 10);
	assert_memory_equal(out, rls, 10);
	assert_int_equal(link_station_encode_primary(&m,
	    LINK_PRI_RESET_LINK_STATES, out, sizeof(out)), 10);
	assert_memory_equal(out, reset, 10);
	assert_int_equal(link_station_encode_primary(&m,
	    LINK_PRI_TEST_LINK_STATES, out, sizeof(out)), 10);
	assert_int_equal(out[3], 0xF2);
	assert_int_equal(link_station_encode_primary(&m,
	    LINK_PRI_TEST_LINK_STATES, out, sizeof(out)), 10);
	assert_int_equal(out[3], 0xD2);
	assert_int_equal(link_station_encode_primary(&m,
	    LINK_PRI_CONFIRMED_USER_DATA, out, sizeof(out)), -1);
	assert_int_equal(link_station_encode_primary(&m,
	    LINK_PRI_REQUEST_LINK_STATUS, out, 9), -1);
}

/* Master and outstation stations talk through real parsers. */
static void
test_master_outstation_exchange(void **state)
{
	struct fixture *fx = *state;
	struct link_station m;
	struct link_parser po, pm;
	struct link_frame f;
	struct link_rx rm;
	enum link_err err;
	uint8_t out[LINK_MAX_FRAME], back[LINK_MAX_FRAME];
	size_t used;

	link_station_init(&m, MASTER, OS, true, false);
	link_parser_init(&po, LINK_ERROR_CLOSE);
	link_parser_init(&pm, LINK_ERROR_CLOSE);
	int n = link_station_encode_primary(&m, LINK_PRI_RESET_LINK_STATES,
	    out, sizeof(out));
	assert_int_equal(link_parser_feed(&po, out, (size_t)n, &used, &f, &err),
	    LINK_PARSE_FRAME);
	link_station_rx(&fx->s, &f, back, sizeof(back), &fx->r);
	assert_int_equal(fx->r.reply_len, 10);
	assert_true(fx->s.reset);
	assert_int_equal(link_parser_feed(&pm, back, fx->r.reply_len, &used, &f,
	    &err), LINK_PARSE_FRAME);
	link_station_rx(&m, &f, out, sizeof(out), &rm);
	assert_true(rm.secondary);
	assert_int_equal(rm.sec_func, LINK_SEC_ACK);
	assert_int_equal(rm.reply_len, 0);

	n = link_station_encode_data(&fx->s, (const uint8_t *)"\xC0\xC0\x81",
	    3, out, sizeof(out));
	assert_int_equal(link_parser_feed(&pm, out, (size_t)n, &used, &f, &err),
	    LINK_PARSE_FRAME);
	link_station_rx(&m, &f, back, sizeof(back), &rm);
	assert_true(rm.deliver);
	assert_memory_equal(rm.data, "\xC0\xC0\x81", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_request_link_status, setup),
		cmocka_unit_test_setup(test_confirmed_before_reset_nacked, setup),
		cmocka_unit_test_setup(test_reset_then_confirmed_fcb, setup),
		cmocka_unit_test_setup(test_test_link_states, setup),
		cmocka_unit_test_setup(test_unconfirmed_delivered_without_reply, setup),
		cmocka_unit_test_setup(test_unsupported_function, setup),
		cmocka_unit_test_setup(test_filtering, setup),
		cmocka_unit_test_setup(test_any_source_answers_the_sender, setup),
		cmocka_unit_test_setup(test_broadcast, setup),
		cmocka_unit_test_setup(test_secondary_reported, setup),
		cmocka_unit_test_setup(test_encoders, setup),
		cmocka_unit_test_setup(test_master_outstation_exchange, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
