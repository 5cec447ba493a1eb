/*
 * Octet strings (g110 static, g111 event): the variation is the length.
 * Decoding points into the fragment; nothing is copied.
 */
#include <string.h>

#include "dnp3/app/app.h"
#include "dnp3/app/obj_codecs.h"

int
obj_enc_octets(const struct dnp3_objdesc *d, const union dnp3_obj *o,
    uint8_t *out, size_t size, uint64_t cto_ms)
{
	(void)d;
	(void)cto_ms;
	if (o->octets.len != size || (size > 0 && o->octets.data == NULL))
		return DNP3_E_VALUE;
	memcpy(out, o->octets.data, size);
	return (int)size;
}

int
obj_dec_octets(const struct dnp3_objdesc *d, const uint8_t *in, size_t size,
    union dnp3_obj *o)
{
	(void)d;
	o->octets.data = in;
	o->octets.len = (uint16_t)size;
	return (int)size;
}
