/*
 * The first link header of a connection, checked by the protocol core's
 * own parser (start bytes, LEN, header CRC): the classifier holds no
 * frame code of its own. Only the header matters here; the worker parses
 * the whole frame again, from the same bytes.
 */
#include "classify/classify.h"
#include "dnp3/link/link.h"

static uint8_t
verdict_of(enum link_err e)
{
	switch (e) {
	case LINK_ERR_START:
		return CLASSIFY_BAD_START;
	case LINK_ERR_LENGTH:
		return CLASSIFY_BAD_LENGTH;
	default:
		return CLASSIFY_BAD_CRC;
	}
}

int
classify_header(const uint8_t *buf, size_t n, bool eof,
    struct classify_answer *a)
{
	struct link_parser p;
	struct link_frame f;
	enum link_err e = LINK_OK;
	size_t used;

	a->address = 0;
	if (n > LINK_HEADER_LEN)
		n = LINK_HEADER_LEN;
	link_parser_init(&p, LINK_ERROR_CLOSE);
	/* Bad start bytes show before the header is whole. */
	if (n > 0 && link_parser_feed(&p, buf, n, &used, &f, &e) ==
	    LINK_PARSE_ERROR) {
		a->verdict = verdict_of(e);
		return 1;
	}
	if (n < LINK_HEADER_LEN) {
		if (!eof)
			return 0;
		a->verdict = CLASSIFY_CLOSED;
		return 1;
	}
	a->address = (uint16_t)(buf[4] | buf[5] << 8);
	a->verdict = LINK_ADDR_IS_BROADCAST(a->address) ?
	    CLASSIFY_BROADCAST : CLASSIFY_ROUTE;
	return 1;
}
