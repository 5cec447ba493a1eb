/*
 * Control relay output block (g12v1): code, count, on-time, off-time,
 * status; 11 bytes.
 */
#include "dnp3/app/app.h"
#include "dnp3/app/bytes.h"
#include "dnp3/app/obj_codecs.h"

int
obj_enc_crob(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)d;
	(void)cto_ms;
	out[0] = o->crob.code;
	out[1] = o->crob.count;
	put_le32(out + 2, o->crob.on_ms);
	put_le32(out + 6, o->crob.off_ms);
	out[10] = o->crob.status & 0x7f;
	return (int)size;
}

int
obj_dec_crob(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o)
{
	(void)d;
	o->crob.code = in[0];
	o->crob.count = in[1];
	o->crob.on_ms = get_le32(in + 2);
	o->crob.off_ms = get_le32(in + 6);
	o->crob.status = in[10] & 0x7f;
	return (int)size;
}
