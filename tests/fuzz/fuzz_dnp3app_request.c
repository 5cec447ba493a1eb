/*
 * Parse one application fragment fully: header, every object header (as
 * its function code says, and the other way too), every index and every
 * object; re-encode each decoded object through the response writer.
 */
#include <stddef.h>
#include <stdint.h>

#include "dnp3/app/app.h"

/* Re-encode object o of header h: exercises the encoders on odd values. */
static void
reencode(struct dnp3_writer *w, const struct dnp3_objhdr *h, uint32_t index,
    const union dnp3_obj *o)
{
	uint8_t q = h->obj_bits > 0 ? DNP3_Q_START_STOP_16 : DNP3_Q_INDEX_16;

	if (h->desc->kind == DNP3_K_OCTETS)
		return;		/* points into the input: fine, but skip */
	if (dnp3_writer_begin(w, h->group, h->variation, q, index) != 0)
		return;
	(void)dnp3_writer_add(w, index, o);
	if (dnp3_writer_len(w) > dnp3_writer_room(w))
		(void)dnp3_writer_start(w, DNP3_FC_RESPONSE, 0);
}

static void
visit(struct dnp3_writer *w, const struct dnp3_objhdr *h)
{
	union dnp3_obj o;
	const uint8_t *p;
	uint32_t i, index;
	size_t len;
	volatile uint8_t sink = 0;

	for (i = 0; i < h->count; i++) {
		if (h->qualifier == DNP3_Q_FREE_FORMAT) {
			if (dnp3_objhdr_free(h, i, &p, &len) == 0 && len > 0)
				sink ^= p[len - 1];
			continue;
		}
		if (dnp3_objhdr_index(h, i, &index) != 0)
			__builtin_trap();	/* i < count must work */
		if (!h->with_data || h->desc == NULL)
			continue;
		if (dnp3_objhdr_get(h, i, &index, &o) == 0)
			reencode(w, h, index, &o);
	}
	(void)sink;
}

static void
walk(const uint8_t *objs, size_t len, bool with_data)
{
	static uint8_t tx[DNP3_TX_MIN];
	struct dnp3_writer w;
	struct dnp3_objiter it;
	struct dnp3_objhdr h;

	(void)dnp3_writer_init(&w, tx, sizeof(tx));
	(void)dnp3_writer_start(&w, DNP3_FC_RESPONSE, 0);
	dnp3_objiter_init(&it, objs, len, with_data);
	while (dnp3_objiter_next(&it, &h) > 0) {
		if (h.data_len > len)
			__builtin_trap();
		visit(&w, &h);
	}
	if (dnp3_writer_len(&w) > sizeof(tx))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dnp3_app_header ah;
	bool with_data;
	int hl;

	if ((hl = dnp3_app_header_parse(data, size, &ah)) < 0)
		return 0;
	with_data = dnp3_func_has_object_data(ah.func);
	walk(data + hl, size - (size_t)hl, with_data);
	walk(data + hl, size - (size_t)hl, !with_data);
	return 0;
}
