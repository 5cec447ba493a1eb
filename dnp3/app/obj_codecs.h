#ifndef DNP3D_DNP3_OBJ_CODECS_H
#define DNP3D_DNP3_OBJ_CODECS_H

/*
 * The per-kind encoders and decoders the descriptor table (obj_table.c)
 * points to. Internal to the dnp3app library: callers use dnp3_obj_encode,
 * dnp3_obj_decode, the writer and dnp3_objhdr_get. Each gets exactly
 * size bytes (checked by the caller) and the layout from its descriptor.
 */
#include "dnp3/app/objects.h"

dnp3_obj_encode_fn obj_enc_binary;	/* g1v2 g2 g3v2 g4 g10v2 g11 */
dnp3_obj_decode_fn obj_dec_binary;
dnp3_obj_encode_fn obj_enc_counter32;	/* g20..g23, 32-bit */
dnp3_obj_decode_fn obj_dec_counter32;
dnp3_obj_encode_fn obj_enc_counter16;	/* g20..g23, 16-bit */
dnp3_obj_decode_fn obj_dec_counter16;
dnp3_obj_encode_fn obj_enc_analog_i32;	/* g30 g32 g40 g42 */
dnp3_obj_decode_fn obj_dec_analog_i32;
dnp3_obj_encode_fn obj_enc_analog_i16;
dnp3_obj_decode_fn obj_dec_analog_i16;
dnp3_obj_encode_fn obj_enc_analog_f32;
dnp3_obj_decode_fn obj_dec_analog_f32;
dnp3_obj_encode_fn obj_enc_analog_f64;
dnp3_obj_decode_fn obj_dec_analog_f64;
dnp3_obj_encode_fn obj_enc_aob;		/* g41v1..v4 */
dnp3_obj_decode_fn obj_dec_aob;
dnp3_obj_encode_fn obj_enc_crob;	/* g12v1 */
dnp3_obj_decode_fn obj_dec_crob;
dnp3_obj_encode_fn obj_enc_time;	/* g50v1 g50v3 g51v1 g51v2 */
dnp3_obj_decode_fn obj_dec_time;
dnp3_obj_encode_fn obj_enc_time_interval;	/* g50v2 */
dnp3_obj_decode_fn obj_dec_time_interval;
dnp3_obj_encode_fn obj_enc_delay;	/* g52v1 g52v2 */
dnp3_obj_decode_fn obj_dec_delay;
dnp3_obj_encode_fn obj_enc_octets;	/* g110 g111 */
dnp3_obj_decode_fn obj_dec_octets;

/*
 * dnp3_analog_to_i32() itself (objects.h), inline for the loops of
 * writer_points.c: round half away from zero inside the range, saturate
 * outside it, NaN to 0; *over tells whether it saturated.
 */
static inline int32_t
obj_analog_i32(double v, bool *over)
{
	/* false for NaN */
	if (v > -2147483648.5 && v < 2147483647.5) {
		*over = false;
		return (int32_t)(v < 0 ? v - 0.5 : v + 0.5);
	}
	*over = true;
	if (v != v)
		return 0;
	return v > 0 ? INT32_MAX : INT32_MIN;
}

/*
 * Shared by the point codecs: write/read the time of a point object at
 * p (6 bytes absolute, 2 bytes relative to cto_ms). put returns 0 or
 * DNP3_E_VALUE when a relative offset is negative or > 65535 ms.
 */
int obj_put_point_time(const struct dnp3_objdesc *d, uint8_t *p,
    uint64_t time_ms, uint64_t cto_ms);
uint64_t obj_get_point_time(const struct dnp3_objdesc *d, const uint8_t *p);

#endif
