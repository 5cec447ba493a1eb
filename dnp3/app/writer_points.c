/*
 * Static objects straight from the caller's point records: one loop per
 * wire layout, the layout chosen once per run from the header's codec.
 * The conversions are the codecs' own (obj_analog.c, obj_binary.c,
 * obj_counter.c), so the bytes are those of dnp3_writer_add_run;
 * test_dnp3app_writer_points compares the two.
 */
#include <string.h>

#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"
#include "dnp3/app/obj_codecs.h"
#include "dnp3/app/writer_run.h"

/*
 * The loops read the record layout into locals first: every byte they
 * store could alias the layout otherwise, and it would be read again
 * for each object.
 */
struct recs {
	const uint8_t *p;	/* the current record */
	size_t stride, flags_off, value_off;
};

typedef void run_enc_fn(struct recs, size_t n, uint8_t *out, size_t size,
    size_t off);

static double
rec_f64(const struct recs *r)
{
	double v;

	memcpy(&v, r->p + r->value_off, sizeof(v));
	return v;
}

static uint32_t
rec_u32(const struct recs *r)
{
	uint32_t v;

	memcpy(&v, r->p + r->value_off, sizeof(v));
	return v;
}

/* g1v2 g10v2: the state in the top bit of the flag octet. */
static void
enc_binary(struct recs r, size_t n, uint8_t *out, size_t size, size_t off)
{
	(void)size;
	(void)off;
	for (size_t i = 0; i < n; i++, r.p += r.stride)
		out[i] = (uint8_t)((r.p[r.flags_off] & ~DNP3_FLAG_STATE) |
		    (r.p[r.value_off] != 0 ? DNP3_FLAG_STATE : 0));
}

/* g3v2: the state in the top two bits; above 3 it is indeterminate. */
static void
enc_dbit(struct recs r, size_t n, uint8_t *out, size_t size, size_t off)
{
	uint8_t v;

	(void)size;
	(void)off;
	for (size_t i = 0; i < n; i++, r.p += r.stride) {
		v = r.p[r.value_off];
		v = v < 4 ? v : DNP3_DBIT_INDETERMINATE;
		out[i] = (uint8_t)((r.p[r.flags_off] & ~DNP3_FLAG_DBIT_MASK) |
		    v << 6);
	}
}

/* Counters; off is 1 when a flag octet comes first, else 0. */
static void
enc_counter32(struct recs r, size_t n, uint8_t *out, size_t size,
    size_t off)
{
	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size) {
		if (off)
			out[0] = r.p[r.flags_off];
		put_le32(out + off, rec_u32(&r));
	}
}

static void
enc_counter16(struct recs r, size_t n, uint8_t *out, size_t size,
    size_t off)
{
	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size) {
		if (off)
			out[0] = r.p[r.flags_off];
		put_le16(out + off, (uint16_t)rec_u32(&r));
	}
}

/* Analogs: a saturated value sets OVER_RANGE in the flag octet. */
static void
enc_analog_i32(struct recs r, size_t n, uint8_t *out, size_t size,
    size_t off)
{
	bool over;

	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size) {
		put_le32(out + off, (uint32_t)obj_analog_i32(rec_f64(&r), &over));
		if (off)
			out[0] = (uint8_t)(r.p[r.flags_off] |
			    (over ? DNP3_FLAG_OVER_RANGE : 0));
	}
}

static void
enc_analog_i16(struct recs r, size_t n, uint8_t *out, size_t size,
    size_t off)
{
	bool over;

	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size) {
		put_le16(out + off,
		    (uint16_t)dnp3_analog_to_i16(rec_f64(&r), &over));
		if (off)
			out[0] = (uint8_t)(r.p[r.flags_off] |
			    (over ? DNP3_FLAG_OVER_RANGE : 0));
	}
}

static void
enc_analog_f32(struct recs r, size_t n, uint8_t *out, size_t size,
    size_t off)
{
	bool over;

	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size) {
		put_f32(out + off, dnp3_analog_to_f32(rec_f64(&r), &over));
		if (off)
			out[0] = (uint8_t)(r.p[r.flags_off] |
			    (over ? DNP3_FLAG_OVER_RANGE : 0));
	}
}

static void
enc_analog_f64(struct recs r, size_t n, uint8_t *out, size_t size,
    size_t off)
{
	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size) {
		put_f64(out + off, rec_f64(&r));
		if (off)
			out[0] = r.p[r.flags_off];
	}
}

/* g110: the string itself, size bytes (the variation). */
static void
enc_octets(struct recs r, size_t n, uint8_t *out, size_t size, size_t off)
{
	(void)off;
	for (size_t i = 0; i < n; i++, r.p += r.stride, out += size)
		memcpy(out, r.p + r.value_off, size);
}

/* The loop for the header's codec and the records' value type, or NULL. */
static run_enc_fn *
run_encoder(const struct dnp3_objdesc *d, enum dnp3_run_value v)
{
	static const struct {
		dnp3_obj_encode_fn *codec;
		enum dnp3_kind kind;
		enum dnp3_run_value value;
		run_enc_fn *run;
	} map[] = {
		{ obj_enc_binary, DNP3_K_BINARY, DNP3_RUN_U8, enc_binary },
		{ obj_enc_binary, DNP3_K_DBIT, DNP3_RUN_U8, enc_dbit },
		{ obj_enc_counter32, DNP3_K_COUNTER, DNP3_RUN_U32, enc_counter32 },
		{ obj_enc_counter16, DNP3_K_COUNTER, DNP3_RUN_U32, enc_counter16 },
		{ obj_enc_analog_i32, DNP3_K_ANALOG, DNP3_RUN_F64, enc_analog_i32 },
		{ obj_enc_analog_i16, DNP3_K_ANALOG, DNP3_RUN_F64, enc_analog_i16 },
		{ obj_enc_analog_f32, DNP3_K_ANALOG, DNP3_RUN_F64, enc_analog_f32 },
		{ obj_enc_analog_f64, DNP3_K_ANALOG, DNP3_RUN_F64, enc_analog_f64 },
		{ obj_enc_octets, DNP3_K_OCTETS, DNP3_RUN_OCTETS, enc_octets },
	};

	if (d->time != DNP3_TIME_NONE || d->bits > 0)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].codec == d->encode && map[i].kind == d->kind &&
		    map[i].value == v)
			return map[i].run;
	return NULL;
}

int
dnp3_writer_add_points(struct dnp3_writer *w, uint32_t first,
    const struct dnp3_point_run *src, size_t n, size_t *added)
{
	run_enc_fn *enc;
	size_t want, fit;

	*added = 0;
	if (!w->started || !w->open || src == NULL)
		return DNP3_E_PARAM;
	if (w->qualifier == DNP3_Q_INDEX_8 || w->qualifier == DNP3_Q_INDEX_16 ||
	    w->obj_size == 0 || (enc = run_encoder(w->desc, src->value)) ==
	    NULL)
		return DNP3_E_OBJECT;
	fit = writer_run_room(w, first, n, &want);
	enc((struct recs){ src->base, src->stride, src->flags_off,
	    src->value_off }, fit, writer_run_at(w), w->obj_size,
	    w->desc->has_flags ? 1 : 0);
	*added = fit;
	return writer_run_commit(w, fit, fit, want, n);
}
