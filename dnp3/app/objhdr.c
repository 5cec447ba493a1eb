/*
 * Object headers: the iterator over the object headers of a fragment and
 * access to the objects of one header. Everything is bounds-checked here
 * once, so dnp3_objhdr_index/get only read inside what was validated.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"

/* Bytes of the range field of a qualifier, or -1 if unknown. */
static int
range_size(uint8_t q)
{
	switch (q) {
	case DNP3_Q_ALL:
		return 0;
	case DNP3_Q_COUNT_8:
	case DNP3_Q_INDEX_8:
	case DNP3_Q_FREE_FORMAT:
		return 1;
	case DNP3_Q_START_STOP_8:
	case DNP3_Q_COUNT_16:
	case DNP3_Q_INDEX_16:
		return 2;
	case DNP3_Q_START_STOP_16:
		return 4;
	default:
		return -1;
	}
}

/* Decode the range field at p into start/stop/count. */
static int
parse_range(struct dnp3_objhdr *h, const uint8_t *p)
{
	uint32_t n = 0;

	h->start = h->stop = 0;
	switch (h->qualifier) {
	case DNP3_Q_START_STOP_8:
		h->start = p[0];
		h->stop = p[1];
		break;
	case DNP3_Q_START_STOP_16:
		h->start = get_le16(p);
		h->stop = get_le16(p + 2);
		break;
	case DNP3_Q_ALL:
		h->count = 0;
		return 0;
	case DNP3_Q_COUNT_16:
	case DNP3_Q_INDEX_16:
		n = get_le16(p);
		break;
	default:		/* 1-byte count: 0x07 0x17 0x5B */
		n = p[0];
		break;
	}
	if (h->qualifier == DNP3_Q_START_STOP_8 ||
	    h->qualifier == DNP3_Q_START_STOP_16) {
		if (h->stop < h->start)
			return DNP3_E_RANGE;
		h->count = h->stop - h->start + 1;
		return 0;
	}
	h->count = n;
	h->stop = n > 0 ? n - 1 : 0;
	return 0;
}

/* Free format: walk the size prefixes; returns the bytes they span. */
static int
free_format_len(const struct dnp3_objhdr *h, const uint8_t *p, size_t left,
    size_t *len)
{
	size_t off = 0;
	uint32_t i;

	for (i = 0; i < h->count; i++) {
		if (left - off < 2)
			return DNP3_E_OVERRUN;
		size_t n = get_le16(p + off);
		off += 2;
		if (left - off < n)
			return DNP3_E_OVERRUN;
		off += n;
	}
	*len = off;
	return 0;
}

/* The bytes of prefixes and objects of a fixed-size or packed header. */
static int
object_data_len(struct dnp3_objhdr *h, size_t *len)
{
	uint64_t n;

	if (h->desc == NULL)
		return DNP3_E_OBJECT;
	h->obj_size = h->desc->kind == DNP3_K_OCTETS ? h->variation :
	    h->desc->size;
	h->obj_bits = h->desc->bits;
	if (h->obj_bits > 0) {
		/* packed bits only make sense over a contiguous range */
		if (h->prefix_size > 0)
			return DNP3_E_QUAL_OBJECT;
		n = ((uint64_t)h->count * h->obj_bits + 7) / 8;
	} else
		n = (uint64_t)h->count * (h->prefix_size + h->obj_size);
	*len = (size_t)n;
	return 0;
}

static int
parse_one(struct dnp3_objiter *it, struct dnp3_objhdr *h)
{
	size_t hlen, dlen = 0;
	int rs, r;

	if (it->left < 3)
		return DNP3_E_OBJHDR_SHORT;
	h->group = it->p[0];
	h->variation = it->p[1];
	h->qualifier = it->p[2];
	if ((rs = range_size(h->qualifier)) < 0)
		return DNP3_E_QUALIFIER;
	hlen = 3 + (size_t)rs;
	if (it->left < hlen)
		return DNP3_E_OBJHDR_SHORT;
	if ((r = parse_range(h, it->p + 3)) != 0)
		return r;
	h->with_data = it->with_data;
	h->prefix_size = h->qualifier == DNP3_Q_INDEX_8 ? 1 :
	    (h->qualifier == DNP3_Q_INDEX_16 ||
	    h->qualifier == DNP3_Q_FREE_FORMAT) ? 2 : 0;
	h->desc = dnp3_objdesc_find(h->group, h->variation);
	h->obj_size = 0;
	h->obj_bits = 0;
	if (h->qualifier == DNP3_Q_FREE_FORMAT)
		r = free_format_len(h, it->p + hlen, it->left - hlen, &dlen);
	else if (it->with_data && h->qualifier != DNP3_Q_ALL)
		r = object_data_len(h, &dlen);
	else {
		if (h->desc != NULL)
			(void)dnp3_obj_size(h->group, h->variation,
			    &h->obj_size, &h->obj_bits);
		if (it->with_data && h->desc == NULL)
			r = DNP3_E_OBJECT;
		dlen = (size_t)h->count * h->prefix_size;
	}
	if (r != 0)
		return r;
	if (it->left - hlen < dlen)
		return DNP3_E_OVERRUN;
	h->data = it->p + hlen;
	h->data_len = dlen;
	it->p += hlen + dlen;
	it->left -= hlen + dlen;
	it->offset += hlen + dlen;
	return 1;
}

void
dnp3_objiter_init(struct dnp3_objiter *it, const uint8_t *objs, size_t len,
    bool with_data)
{
	it->p = objs;
	it->left = objs != NULL ? len : 0;
	it->with_data = with_data;
	it->err = 0;
	it->offset = 0;
}

int
dnp3_objiter_next(struct dnp3_objiter *it, struct dnp3_objhdr *h)
{
	int r;

	if (it->err != 0)
		return it->err;
	if (it->left == 0)
		return 0;
	if ((r = parse_one(it, h)) < 0)
		it->err = r;
	return r;
}

/* Distance between the starts of consecutive prefixed entries. */
static size_t
entry_stride(const struct dnp3_objhdr *h)
{
	return h->prefix_size + (h->with_data ? h->obj_size : 0);
}

int
dnp3_objhdr_index(const struct dnp3_objhdr *h, uint32_t i, uint32_t *index)
{
	const uint8_t *p;

	if (i >= h->count)
		return DNP3_E_PARAM;
	switch (h->qualifier) {
	case DNP3_Q_START_STOP_8:
	case DNP3_Q_START_STOP_16:
		*index = h->start + i;
		return 0;
	case DNP3_Q_INDEX_8:
	case DNP3_Q_INDEX_16:
		p = h->data + (size_t)i * entry_stride(h);
		*index = h->prefix_size == 1 ? p[0] : get_le16(p);
		return 0;
	default:
		*index = i;
		return 0;
	}
}

/* Packed objects (g1v1 g3v1 g10v1 g80v1): bit(s) i of the data. */
static void
get_packed(const struct dnp3_objhdr *h, uint32_t i, union dnp3_obj *o)
{
	size_t bit = (size_t)i * h->obj_bits;
	uint8_t mask = (uint8_t)((1u << h->obj_bits) - 1);

	o->point.value = (h->data[bit / 8] >> (bit % 8)) & mask;
	o->point.flags = DNP3_FLAG_ONLINE;
	o->point.time_ms = 0;
}

int
dnp3_objhdr_get(const struct dnp3_objhdr *h, uint32_t i, uint32_t *index,
    union dnp3_obj *o)
{
	uint32_t idx;
	int r;

	if (!h->with_data || h->desc == NULL ||
	    h->qualifier == DNP3_Q_FREE_FORMAT || h->qualifier == DNP3_Q_ALL)
		return DNP3_E_PARAM;
	if ((r = dnp3_objhdr_index(h, i, &idx)) != 0)
		return r;
	if (index != NULL)
		*index = idx;
	if (h->obj_bits > 0) {
		get_packed(h, i, o);
		return 0;
	}
	if (h->desc->decode == NULL)
		return DNP3_E_PARAM;	/* class objects carry nothing */
	r = h->desc->decode(h->desc,
	    h->data + (size_t)i * entry_stride(h) + h->prefix_size,
	    h->obj_size, o);
	return r < 0 ? r : 0;
}

int
dnp3_objhdr_free(const struct dnp3_objhdr *h, uint32_t i,
    const uint8_t **obj, size_t *len)
{
	size_t off = 0, n;
	uint32_t k;

	if (h->qualifier != DNP3_Q_FREE_FORMAT || i >= h->count)
		return DNP3_E_PARAM;
	/* the iterator checked every prefix against data_len */
	for (k = 0;; k++) {
		n = get_le16(h->data + off);
		if (k == i)
			break;
		off += 2 + n;
	}
	*obj = h->data + off + 2;
	*len = n;
	return 0;
}
