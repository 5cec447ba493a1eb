/*
 * The fragment writer: an application header and object headers with
 * their objects, in a caller buffer of the tx size. Bytes are only
 * committed (counted in len) when they form a whole fragment, so a
 * "does not fit" leaves a fragment that can be sent as it is.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"
#include "dnp3/app/writer_run.h"

int
dnp3_writer_init(struct dnp3_writer *w, uint8_t *buf, size_t tx_size)
{
	if (w == NULL || buf == NULL || tx_size < DNP3_REQ_HDR_SIZE ||
	    tx_size > DNP3_TX_MAX)
		return DNP3_E_PARAM;
	*w = (struct dnp3_writer){ .buf = buf, .cap = tx_size };
	return 0;
}

int
dnp3_writer_start(struct dnp3_writer *w, uint8_t func, uint8_t control)
{
	struct dnp3_app_header h = { .control = control, .func = func };
	int r;

	if ((r = dnp3_app_header_write(w->buf, w->cap, &h)) < 0)
		return r;
	w->len = (size_t)r;
	w->started = true;
	w->open = false;
	w->cto_valid = false;
	return 0;
}

void
dnp3_writer_set_control(struct dnp3_writer *w, uint8_t control)
{
	if (w->started)
		w->buf[0] = control;
}

void
dnp3_writer_set_iin(struct dnp3_writer *w, uint16_t iin)
{
	if (w->started && w->buf[1] >= DNP3_FC_RESPONSE &&
	    w->buf[1] <= DNP3_FC_AUTH_RESPONSE)
		put_le16(w->buf + 2, iin);
}

/* Range field bytes of a qualifier the writer can write, or -1. */
static int
writer_range_size(uint8_t q)
{
	switch (q) {
	case DNP3_Q_ALL:
		return 0;
	case DNP3_Q_COUNT_8:
	case DNP3_Q_INDEX_8:
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

/* Largest index (start-stop, prefix) or count a qualifier can carry. */
static uint32_t
qual_limit(uint8_t q)
{
	switch (q) {
	case DNP3_Q_START_STOP_8:
	case DNP3_Q_COUNT_8:
	case DNP3_Q_INDEX_8:
		return 0xff;
	default:
		return 0xffff;
	}
}

/* Write the range field of the open header for its current count. */
static void
put_range(struct dnp3_writer *w)
{
	uint8_t *p = w->buf + w->hdr_pos + 3;
	uint32_t stop = w->start + w->count - 1;

	switch (w->qualifier) {
	case DNP3_Q_START_STOP_8:
		p[0] = (uint8_t)w->start;
		p[1] = (uint8_t)stop;
		break;
	case DNP3_Q_START_STOP_16:
		put_le16(p, (uint16_t)w->start);
		put_le16(p + 2, (uint16_t)stop);
		break;
	case DNP3_Q_COUNT_8:
	case DNP3_Q_INDEX_8:
		p[0] = (uint8_t)w->count;
		break;
	default:
		put_le16(p, (uint16_t)w->count);
		break;
	}
}

/* Bytes of data of the open header after n objects. */
static size_t
data_len(const struct dnp3_writer *w, uint32_t n)
{
	size_t prefix = w->qualifier == DNP3_Q_INDEX_8 ? 1 :
	    w->qualifier == DNP3_Q_INDEX_16 ? 2 : 0;

	if (w->obj_bits > 0)
		return ((size_t)n * w->obj_bits + 7) / 8;
	return (size_t)n * (prefix + w->obj_size);
}

void
dnp3_writer_end(struct dnp3_writer *w)
{
	w->open = false;
}

/* Write g, v, q at len if hlen bytes fit; the range comes later. */
static int
put_header_start(struct dnp3_writer *w, uint8_t g, uint8_t v, uint8_t q,
    size_t *hlen)
{
	int rs;

	if (!w->started)
		return DNP3_E_PARAM;
	if ((rs = writer_range_size(q)) < 0)
		return DNP3_E_QUALIFIER;
	dnp3_writer_end(w);
	*hlen = 3 + (size_t)rs;
	if (w->cap - w->len < *hlen)
		return DNP3_E_NOSPACE;
	w->buf[w->len] = g;
	w->buf[w->len + 1] = v;
	w->buf[w->len + 2] = q;
	return 0;
}

int
dnp3_writer_begin(struct dnp3_writer *w, uint8_t group, uint8_t variation,
    uint8_t qualifier, uint32_t start)
{
	const struct dnp3_objdesc *d = dnp3_objdesc_find(group, variation);
	size_t hlen;
	int r;

	if (!w->started)
		return DNP3_E_PARAM;
	if (d == NULL)
		return DNP3_E_OBJECT;
	if (writer_range_size(qualifier) < 0)
		return DNP3_E_QUALIFIER;
	if (qualifier != DNP3_Q_ALL && (d->kind == DNP3_K_CLASS ||
	    (d->bits > 0 && (qualifier == DNP3_Q_INDEX_8 ||
	    qualifier == DNP3_Q_INDEX_16))))
		return DNP3_E_QUAL_OBJECT;
	if ((qualifier == DNP3_Q_START_STOP_8 ||
	    qualifier == DNP3_Q_START_STOP_16) && start > qual_limit(qualifier))
		return DNP3_E_INDEX;
	if ((r = put_header_start(w, group, variation, qualifier, &hlen)) != 0)
		return r;
	if (qualifier == DNP3_Q_ALL) {
		w->len += hlen;		/* nothing follows: whole at once */
		return 0;
	}
	w->open = true;
	w->hdr_pos = w->len;
	w->hdr_len = hlen;
	w->desc = d;
	w->group = group;
	w->variation = variation;
	w->qualifier = qualifier;
	w->obj_size = d->kind == DNP3_K_OCTETS ? variation : d->size;
	w->obj_bits = d->bits;
	w->start = start;
	w->count = 0;
	return 0;
}

/* Check index against the open header's qualifier. */
static int
check_index(const struct dnp3_writer *w, uint32_t index)
{
	switch (w->qualifier) {
	case DNP3_Q_START_STOP_8:
	case DNP3_Q_START_STOP_16:
		if (index != w->start + w->count)
			return DNP3_E_INDEX;
		return index <= qual_limit(w->qualifier) ? 0 : DNP3_E_INDEX;
	case DNP3_Q_INDEX_8:
	case DNP3_Q_INDEX_16:
		if (w->count >= qual_limit(w->qualifier))
			return DNP3_E_INDEX;
		return index <= qual_limit(w->qualifier) ? 0 : DNP3_E_INDEX;
	default:
		return w->count < qual_limit(w->qualifier) ? 0 : DNP3_E_INDEX;
	}
}

/* Set bit(s) of packed object number n at data (zeroing a new byte). */
static void
put_packed(struct dnp3_writer *w, uint8_t *data, uint32_t n,
    const union dnp3_obj *o)
{
	size_t bit = (size_t)n * w->obj_bits;
	double v = o->point.value;
	uint8_t val;

	if (bit % 8 == 0)
		data[bit / 8] = 0;
	if (w->obj_bits == 2)
		val = (v >= 0 && v < 4) ? (uint8_t)v : DNP3_DBIT_INDETERMINATE;
	else
		val = v != 0;
	data[bit / 8] |= (uint8_t)(val << (bit % 8));
}

int
dnp3_writer_add(struct dnp3_writer *w, uint32_t index,
    const union dnp3_obj *o)
{
	uint8_t *data, *p;
	size_t end;
	int r;

	if (!w->started || !w->open || o == NULL)
		return DNP3_E_PARAM;
	if ((r = check_index(w, index)) != 0)
		return r;
	if (w->desc->time == DNP3_TIME_REL && !w->cto_valid)
		return DNP3_E_PARAM;
	end = w->hdr_pos + w->hdr_len + data_len(w, w->count + 1);
	if (end > w->cap)
		return DNP3_E_NOSPACE;
	data = w->buf + w->hdr_pos + w->hdr_len;
	if (w->obj_bits > 0)
		put_packed(w, data, w->count, o);
	else {
		p = data + data_len(w, w->count);
		if (w->qualifier == DNP3_Q_INDEX_8)
			*p++ = (uint8_t)index;
		else if (w->qualifier == DNP3_Q_INDEX_16) {
			put_le16(p, (uint16_t)index);
			p += 2;
		}
		r = w->desc->encode(w->desc, o, p, w->obj_size, w->cto_ms);
		if (r < 0)
			return r;
	}
	w->count++;
	put_range(w);
	w->len = end;
	return 0;
}

/*
 * How many objects may follow in the open header by its qualifier: the
 * next index must be start + count and fit the range field (start-stop),
 * the count must fit the count field (count qualifiers).
 */
static size_t
run_index_room(const struct dnp3_writer *w, uint32_t first)
{
	uint32_t limit = qual_limit(w->qualifier);

	if (w->qualifier == DNP3_Q_START_STOP_8 ||
	    w->qualifier == DNP3_Q_START_STOP_16) {
		if (first != w->start + w->count || first > limit)
			return 0;
		return (size_t)(limit - first) + 1;
	}
	return w->count < limit ? limit - w->count : 0;
}

/* How many more objects of the open header fit in the fragment. */
static size_t
run_space_room(const struct dnp3_writer *w)
{
	size_t data = w->hdr_pos + w->hdr_len;
	size_t used = data_len(w, w->count);
	size_t room;

	if (data > w->cap || used > w->cap - data)
		return 0;
	room = w->cap - data - used;
	if (w->obj_bits > 0) {
		/* the unused bits of the last byte count too */
		room = room * 8 + (used * 8 - (size_t)w->count * w->obj_bits);
		return room / w->obj_bits;
	}
	return w->obj_size > 0 ? room / w->obj_size : 0;
}

/*
 * Encode n objects after the open header's objects; 0 or the first error.
 * What every object needs from the header is read once into locals: the
 * encoder is called through a pointer, so the compiler could not keep
 * them in registers across calls otherwise.
 */
static int
run_encode(struct dnp3_writer *w, const union dnp3_obj *o, size_t n,
    size_t *done)
{
	const struct dnp3_objdesc *d = w->desc;
	dnp3_obj_encode_fn *encode = d->encode;
	uint8_t *data = w->buf + w->hdr_pos + w->hdr_len;
	uint8_t *p = data + data_len(w, w->count);
	size_t size = w->obj_size, i;
	uint64_t cto_ms = w->cto_ms;
	int r = 0;

	if (w->obj_bits > 0) {
		for (i = 0; i < n; i++)
			put_packed(w, data, w->count + (uint32_t)i, &o[i]);
		*done = n;
		return 0;
	}
	for (i = 0; i < n; i++, p += size)
		if ((r = encode(d, &o[i], p, size, cto_ms)) < 0)
			break;
	*done = i;
	return r < 0 ? r : 0;
}

size_t
writer_run_room(const struct dnp3_writer *w, uint32_t first, size_t n,
    size_t *want)
{
	size_t fit;

	*want = run_index_room(w, first);
	*want = *want < n ? *want : n;
	fit = run_space_room(w);
	return fit < *want ? fit : *want;
}

uint8_t *
writer_run_at(const struct dnp3_writer *w)
{
	return w->buf + w->hdr_pos + w->hdr_len + data_len(w, w->count);
}

int
writer_run_commit(struct dnp3_writer *w, size_t done, size_t fit,
    size_t want, size_t n)
{
	if (done > 0) {
		/* commit: the header counts from its first object on */
		w->count += (uint32_t)done;
		w->len = w->hdr_pos + w->hdr_len + data_len(w, w->count);
		put_range(w);
	}
	if (fit < want)
		return DNP3_E_NOSPACE;
	return want < n ? DNP3_E_INDEX : 0;
}

int
dnp3_writer_add_run(struct dnp3_writer *w, uint32_t first,
    const union dnp3_obj *o, size_t n, size_t *added)
{
	size_t want, fit, done;
	int r, r2;

	*added = 0;
	if (!w->started || !w->open || (o == NULL && n > 0))
		return DNP3_E_PARAM;
	if (w->qualifier == DNP3_Q_INDEX_8 || w->qualifier == DNP3_Q_INDEX_16) {
		/* indexes travel with the objects: no run to hoist */
		for (; *added < n; (*added)++)
			if ((r = dnp3_writer_add(w, first + (uint32_t)*added,
			    &o[*added])) != 0)
				return r;
		return 0;
	}
	fit = writer_run_room(w, first, n, &want);
	if (want > 0 && w->desc->time == DNP3_TIME_REL && !w->cto_valid)
		return DNP3_E_PARAM;
	r = run_encode(w, o, fit, &done);
	*added = done;
	r2 = writer_run_commit(w, done, fit, want, n);
	return r != 0 ? r : r2;
}

int
dnp3_writer_add_single(struct dnp3_writer *w, uint8_t group,
    uint8_t variation, const union dnp3_obj *o)
{
	int r;

	if ((r = dnp3_writer_begin(w, group, variation, DNP3_Q_COUNT_8,
	    0)) != 0)
		return r;
	r = dnp3_writer_add(w, 0, o);
	dnp3_writer_end(w);
	if (r == 0 && group == 51) {
		w->cto_ms = o->time_ms;
		w->cto_valid = true;
	}
	return r;
}

int
dnp3_writer_header(struct dnp3_writer *w, uint8_t group, uint8_t variation,
    uint8_t qualifier, uint32_t a, uint32_t b)
{
	size_t hlen;
	int r;

	if (qualifier == DNP3_Q_INDEX_8 || qualifier == DNP3_Q_INDEX_16)
		return DNP3_E_PARAM;
	if (writer_range_size(qualifier) < 0)
		return DNP3_E_QUALIFIER;
	if (((qualifier == DNP3_Q_START_STOP_8 ||
	    qualifier == DNP3_Q_START_STOP_16) && (b < a)))
		return DNP3_E_INDEX;
	if (qualifier != DNP3_Q_ALL && (b > qual_limit(qualifier) ||
	    (qualifier != DNP3_Q_COUNT_8 && qualifier != DNP3_Q_COUNT_16 &&
	    a > qual_limit(qualifier))))
		return DNP3_E_INDEX;
	if ((r = put_header_start(w, group, variation, qualifier, &hlen)) != 0)
		return r;
	w->hdr_pos = w->len;
	w->qualifier = qualifier;
	w->start = qualifier == DNP3_Q_COUNT_8 ||
	    qualifier == DNP3_Q_COUNT_16 ? 0 : a;
	w->count = qualifier == DNP3_Q_COUNT_8 ||
	    qualifier == DNP3_Q_COUNT_16 ? b : b - a + 1;
	if (qualifier != DNP3_Q_ALL)
		put_range(w);
	w->len += hlen;
	return 0;
}

size_t
dnp3_writer_len(const struct dnp3_writer *w)
{
	return w->len;
}

size_t
dnp3_writer_room(const struct dnp3_writer *w)
{
	return w->cap - w->len;
}
