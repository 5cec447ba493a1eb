/*
 * Incremental link frame parser. Bytes are copied into a fixed buffer only
 * as far as the current stage needs: the two start bytes, the 10-byte
 * header, then exactly the frame length the (CRC-checked) header gives.
 * The buffer therefore never holds more than LINK_MAX_FRAME bytes.
 */
#include <string.h>

#include "dnp3/link/crc.h"
#include "dnp3/link/link.h"

static const char *const link_err_names[LINK_ERR_COUNT] = {
	[LINK_OK]		= "ok",
	[LINK_ERR_START]	= "bad start",
	[LINK_ERR_LENGTH]	= "bad length",
	[LINK_ERR_HEADER_CRC]	= "bad header CRC",
	[LINK_ERR_BODY_CRC]	= "bad body CRC",
};

const char *
link_err_str(enum link_err e)
{
	if ((unsigned)e >= LINK_ERR_COUNT)
		return "unknown link error";
	return link_err_names[e];
}

void
link_parser_init(struct link_parser *p, enum link_error_mode mode)
{
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->failed = LINK_OK;
}

static enum link_parse
parser_error(struct link_parser *p, enum link_err e, enum link_err *err)
{
	p->stats.errors[e]++;
	*err = e;
	if (p->mode == LINK_ERROR_CLOSE)
		p->failed = e;
	else
		p->resync = true;
	return LINK_PARSE_ERROR;
}

/*
 * DISCARD mode: drops n bytes from the front of the buffer, then every
 * byte before the next possible start (05 64, or a 05 at the very end).
 */
static void
parser_drop(struct link_parser *p, size_t n)
{
	size_t i = n;

	while (i < p->have && !(p->buf[i] == LINK_START1 &&
	    (i + 1 == p->have || p->buf[i + 1] == LINK_START2)))
		i++;
	memmove(p->buf, p->buf + i, p->have - i);
	p->have -= i;
	p->stats.discarded += i;
}

/* Copies input until the buffer holds want bytes; true when it does. */
static bool
parser_fill(struct link_parser *p, const uint8_t *in, size_t len, size_t *u,
    size_t want)
{
	size_t n = want - p->have;

	if (n > len - *u)
		n = len - *u;
	memcpy(p->buf + p->have, in + *u, n);
	p->have += n;
	*u += n;
	return p->have == want;
}

static enum link_err
parser_check_header(const struct link_parser *p)
{
	if (!crc_dnp_check(p->buf, 8))
		return LINK_ERR_HEADER_CRC;
	if (p->buf[2] < LINK_MIN_LEN)
		return LINK_ERR_LENGTH;
	return LINK_OK;
}

/* Checks every block's CRC and copies the user data out of the blocks. */
static enum link_err
parser_check_body(struct link_parser *p, size_t len)
{
	size_t o = LINK_HEADER_LEN;

	for (size_t i = 0; i < len; i += LINK_BLOCK_LEN) {
		size_t n = len - i < LINK_BLOCK_LEN ? len - i : LINK_BLOCK_LEN;
		if (!crc_dnp_check(p->buf + o, n))
			return LINK_ERR_BODY_CRC;
		memcpy(p->data + i, p->buf + o, n);
		o += n + CRC_DNP_LEN;
	}
	return LINK_OK;
}

static void
parser_frame(struct link_parser *p, size_t len, struct link_frame *f)
{
	link_ctrl_decode(p->buf[3], &f->hdr);
	f->hdr.dest = p->buf[4] | (uint16_t)(p->buf[5] << 8);
	f->hdr.src = p->buf[6] | (uint16_t)(p->buf[7] << 8);
	f->data = len > 0 ? p->data : NULL;
	f->len = len;
	p->have = 0;
	p->resync = false;
	p->stats.frames++;
}

/*
 * Brings the buffer to "starts with 05 64". Returns false with *res set
 * when the caller must return (need more input, or an error to report).
 */
static bool
parser_sync(struct link_parser *p, const uint8_t *in, size_t len, size_t *u,
    enum link_parse *res, enum link_err *err)
{
	while (p->have < 2) {
		if (*u == len) {
			*res = LINK_PARSE_MORE;
			return false;
		}
		bool ok = p->have == 0 ? in[*u] == LINK_START1 :
		    in[*u] == LINK_START2;
		if (ok) {
			p->buf[p->have++] = in[(*u)++];
			continue;
		}
		if (p->mode == LINK_ERROR_CLOSE) {
			*res = parser_error(p, LINK_ERR_START, err);
			return false;
		}
		if (p->have == 0) {
			const uint8_t *s = memchr(in + *u, LINK_START1, len - *u);
			size_t skip = s ? (size_t)(s - (in + *u)) : len - *u;
			*u += skip;
			p->stats.discarded += skip;
		} else
			parser_drop(p, 1);	/* the 05; re-read this byte */
		if (!p->resync) {
			*res = parser_error(p, LINK_ERR_START, err);
			return false;
		}
	}
	return true;
}

enum link_parse
link_parser_feed(struct link_parser *p, const uint8_t *in, size_t len,
    size_t *used, struct link_frame *frame, enum link_err *err)
{
	enum link_parse res = LINK_PARSE_MORE;
	enum link_err e;
	size_t u = 0;

	*used = 0;
	if (p->failed != LINK_OK) {
		*err = p->failed;
		return LINK_PARSE_ERROR;
	}
	for (;;) {
		if (!parser_sync(p, in, len, &u, &res, err))
			break;
		if (p->have < LINK_HEADER_LEN) {
			if (!parser_fill(p, in, len, &u, LINK_HEADER_LEN))
				break;	/* LINK_PARSE_MORE */
			if ((e = parser_check_header(p)) != LINK_OK) {
				if (p->mode == LINK_ERROR_DISCARD)
					parser_drop(p, 1);
				res = parser_error(p, e, err);
				break;
			}
		}
		size_t dlen = p->buf[2] - LINK_MIN_LEN;
		if (!parser_fill(p, in, len, &u, link_frame_size(dlen)))
			break;
		if ((e = parser_check_body(p, dlen)) != LINK_OK) {
			if (p->mode == LINK_ERROR_DISCARD)
				parser_drop(p, p->have);
			res = parser_error(p, e, err);
			break;
		}
		parser_frame(p, dlen, frame);
		res = LINK_PARSE_FRAME;
		break;
	}
	*used = u;
	return res;
}
