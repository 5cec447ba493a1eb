#ifndef DNP3D_DNP3_APP_H
#define DNP3D_DNP3_APP_H

/*
 * DNP3 application layer codec (IEEE 1815-2012 clause 4.2): fragment
 * headers, object headers and their qualifiers, and the response writer.
 *
 * Pure code: no I/O, no time, no allocation. Every function works on
 * caller-provided buffers and checks every length against the bytes that
 * remain before it reads or writes. Errors are the negative DNP3_E_* codes
 * below; dnp3_app_strerror() names them.
 *
 * The object codecs (values, flags, the per group/variation table) are in
 * dnp3/objects.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/app/objects.h"

/* Errors: every function of app.h/objects.h returns >= 0 or one of these. */
enum dnp3_app_err {
	DNP3_E_HDR_SHORT	= -1,	/* fragment shorter than its app header */
	DNP3_E_OBJHDR_SHORT	= -2,	/* object header (g, v, q, range) truncated */
	DNP3_E_QUALIFIER	= -3,	/* qualifier code unknown */
	DNP3_E_QUAL_OBJECT	= -4,	/* qualifier not allowed for this object */
	DNP3_E_RANGE		= -5,	/* start-stop range with stop < start */
	DNP3_E_OVERRUN		= -6,	/* count/range/size goes past the end */
	DNP3_E_OBJECT		= -7,	/* group/variation unknown: size unknown */
	DNP3_E_NOSPACE		= -8,	/* writer: does not fit in the tx size */
	DNP3_E_INDEX		= -9,	/* writer: index not valid for qualifier */
	DNP3_E_VALUE		= -10,	/* value cannot be encoded (e.g. octets) */
	DNP3_E_PARAM		= -11,	/* caller error (bad argument or state) */
};

const char *dnp3_app_strerror(int err);

/* Function codes (IEEE 1815-2012 table 4-1). */
enum dnp3_func {
	DNP3_FC_CONFIRM			= 0,
	DNP3_FC_READ			= 1,
	DNP3_FC_WRITE			= 2,
	DNP3_FC_SELECT			= 3,
	DNP3_FC_OPERATE			= 4,
	DNP3_FC_DIRECT_OPERATE		= 5,
	DNP3_FC_DIRECT_OPERATE_NR	= 6,
	DNP3_FC_IMMED_FREEZE		= 7,
	DNP3_FC_IMMED_FREEZE_NR		= 8,
	DNP3_FC_FREEZE_CLEAR		= 9,
	DNP3_FC_FREEZE_CLEAR_NR		= 10,
	DNP3_FC_FREEZE_AT_TIME		= 11,
	DNP3_FC_FREEZE_AT_TIME_NR	= 12,
	DNP3_FC_COLD_RESTART		= 13,
	DNP3_FC_WARM_RESTART		= 14,
	DNP3_FC_INITIALIZE_DATA		= 15,
	DNP3_FC_INITIALIZE_APPL		= 16,
	DNP3_FC_START_APPL		= 17,
	DNP3_FC_STOP_APPL		= 18,
	DNP3_FC_SAVE_CONFIG		= 19,
	DNP3_FC_ENABLE_UNSOLICITED	= 20,
	DNP3_FC_DISABLE_UNSOLICITED	= 21,
	DNP3_FC_ASSIGN_CLASS		= 22,
	DNP3_FC_DELAY_MEASURE		= 23,
	DNP3_FC_RECORD_CURRENT_TIME	= 24,
	DNP3_FC_OPEN_FILE		= 25,
	DNP3_FC_CLOSE_FILE		= 26,
	DNP3_FC_DELETE_FILE		= 27,
	DNP3_FC_GET_FILE_INFO		= 28,
	DNP3_FC_AUTHENTICATE_FILE	= 29,
	DNP3_FC_ABORT_FILE		= 30,
	DNP3_FC_ACTIVATE_CONFIG		= 31,
	DNP3_FC_AUTH_REQUEST		= 32,
	DNP3_FC_AUTH_REQUEST_NR		= 33,
	DNP3_FC_RESPONSE		= 129,
	DNP3_FC_UNSOLICITED_RESPONSE	= 130,
	DNP3_FC_AUTH_RESPONSE		= 131,
};

/* "READ", "DIRECT_OPERATE", ...; "UNKNOWN" otherwise. */
const char *dnp3_func_name(uint8_t func);

/*
 * Whether the object headers of a request with this function code carry
 * object data (WRITE, SELECT, OPERATE, DIRECT_OPERATE(_NR), FREEZE_AT_TIME
 * (_NR), responses) or are headers only (READ, freezes, class assignment,
 * enable/disable unsolicited, ...). Decides how dnp3_objiter reads them.
 */
bool dnp3_func_has_object_data(uint8_t func);

/* Application control octet. */
#define DNP3_AC_FIR		0x80
#define DNP3_AC_FIN		0x40
#define DNP3_AC_CON		0x20
#define DNP3_AC_UNS		0x10
#define DNP3_AC_SEQ_MASK	0x0f

/*
 * Internal indications as one 16-bit value: IIN1 in the low byte, IIN2 in
 * the high byte (the wire order, IIN1 first, is little-endian).
 */
#define DNP3_IIN1_BROADCAST		0x0001	/* IIN1.0 */
#define DNP3_IIN1_CLASS1_EVENTS		0x0002	/* IIN1.1 */
#define DNP3_IIN1_CLASS2_EVENTS		0x0004	/* IIN1.2 */
#define DNP3_IIN1_CLASS3_EVENTS		0x0008	/* IIN1.3 */
#define DNP3_IIN1_NEED_TIME		0x0010	/* IIN1.4 */
#define DNP3_IIN1_LOCAL_CONTROL		0x0020	/* IIN1.5 */
#define DNP3_IIN1_DEVICE_TROUBLE	0x0040	/* IIN1.6 */
#define DNP3_IIN1_DEVICE_RESTART	0x0080	/* IIN1.7 */
#define DNP3_IIN2_NO_FUNC_CODE_SUPPORT	0x0100	/* IIN2.0 */
#define DNP3_IIN2_OBJECT_UNKNOWN	0x0200	/* IIN2.1 */
#define DNP3_IIN2_PARAMETER_ERROR	0x0400	/* IIN2.2 */
#define DNP3_IIN2_EVENT_BUFFER_OVERFLOW	0x0800	/* IIN2.3 */
#define DNP3_IIN2_ALREADY_EXECUTING	0x1000	/* IIN2.4 */
#define DNP3_IIN2_CONFIG_CORRUPT	0x2000	/* IIN2.5 */
#define DNP3_IIN2_RESERVED_2		0x4000	/* IIN2.6, must be 0 */
#define DNP3_IIN2_RESERVED_1		0x8000	/* IIN2.7, must be 0 */

#define DNP3_REQ_HDR_SIZE	2	/* control, function */
#define DNP3_RSP_HDR_SIZE	4	/* control, function, IIN1, IIN2 */

struct dnp3_app_header {
	uint8_t control;	/* DNP3_AC_* bits and the sequence number */
	uint8_t func;		/* enum dnp3_func; unknown codes are kept */
	uint16_t iin;		/* responses only (func 129..131); else 0 */
};

/*
 * Parse a request (2 bytes) or response (func 129..131: 4 bytes) header at
 * the start of a fragment. Returns the header size, so the object headers
 * start at frag + ret, or DNP3_E_HDR_SHORT. The function code is not
 * judged here: each side answers the codes it does (dnp3_func_name()
 * names the others "UNKNOWN").
 */
int dnp3_app_header_parse(const uint8_t *frag, size_t len,
    struct dnp3_app_header *h);

/* Write a header (4 bytes if func is 129..131, else 2). Returns its size. */
int dnp3_app_header_write(uint8_t *buf, size_t cap,
    const struct dnp3_app_header *h);

/* Control octet helpers. */
static inline uint8_t
dnp3_app_control(bool fir, bool fin, bool con, bool uns, uint8_t seq)
{
	return (uint8_t)((fir ? DNP3_AC_FIR : 0) | (fin ? DNP3_AC_FIN : 0) |
	    (con ? DNP3_AC_CON : 0) | (uns ? DNP3_AC_UNS : 0) |
	    (seq & DNP3_AC_SEQ_MASK));
}

/*
 * Qualifier codes (object prefix code << 4 | range specifier code).
 */
enum dnp3_qualifier {
	DNP3_Q_START_STOP_8	= 0x00,	/* 1-byte start, stop */
	DNP3_Q_START_STOP_16	= 0x01,	/* 2-byte start, stop */
	DNP3_Q_ALL		= 0x06,	/* no range field, no objects */
	DNP3_Q_COUNT_8		= 0x07,	/* 1-byte count */
	DNP3_Q_COUNT_16		= 0x08,	/* 2-byte count */
	DNP3_Q_INDEX_8		= 0x17,	/* 1-byte count, 1-byte index prefix */
	DNP3_Q_INDEX_16		= 0x28,	/* 2-byte count, 2-byte index prefix */
	DNP3_Q_FREE_FORMAT	= 0x5B,	/* 1-byte count, 2-byte size prefix */
};

/* The smallest start-stop qualifier that can carry start..stop. */
static inline uint8_t
dnp3_qual_for_range(uint32_t stop)
{
	return stop <= 0xff ? DNP3_Q_START_STOP_8 : DNP3_Q_START_STOP_16;
}

/* The smallest index-prefix qualifier that can carry index max_index. */
static inline uint8_t
dnp3_qual_for_index(uint32_t max_index)
{
	return max_index <= 0xff ? DNP3_Q_INDEX_8 : DNP3_Q_INDEX_16;
}

/*
 * One object header as the iterator found it. All pointers point into the
 * fragment the iterator was given; nothing is copied.
 */
struct dnp3_objhdr {
	uint8_t group;
	uint8_t variation;
	uint8_t qualifier;	/* enum dnp3_qualifier */
	uint8_t prefix_size;	/* bytes before each object: 0, 1, 2 */
	uint32_t start;		/* start-stop: start; otherwise 0 */
	uint32_t stop;		/* start-stop: stop; else count - 1 (or 0) */
	uint32_t count;		/* objects (or indexes); 0 for DNP3_Q_ALL */
	bool with_data;		/* objects carry data (dnp3_objiter_init) */
	/*
	 * The object descriptor (dnp3/objects.h), NULL when the group and
	 * variation are unknown; only possible when !with_data (a READ of an
	 * unknown object parses, the outstation answers IIN2.1) or with the
	 * free-format qualifier 0x5B (each object carries its size).
	 */
	const struct dnp3_objdesc *desc;
	uint16_t obj_size;	/* bytes per object; 0 if packed/none/free */
	uint8_t obj_bits;	/* packed objects: bits per object, else 0 */
	const uint8_t *data;	/* first byte after the header */
	size_t data_len;	/* bytes of prefixes and objects */
};

/*
 * Walks the object headers of a fragment (after the app header):
 *
 *	struct dnp3_objiter it;
 *	struct dnp3_objhdr h;
 *	int r;
 *	dnp3_objiter_init(&it, frag + hlen, len - hlen,
 *	    dnp3_func_has_object_data(hdr.func));
 *	while ((r = dnp3_objiter_next(&it, &h)) > 0)
 *		... use h ...
 *	if (r < 0) ... malformed: r is the DNP3_E_* code ...
 *
 * next() returns 1 with a header, 0 at the end, < 0 on an error; errors
 * are sticky (later calls return the same error). With data, a header is
 * only returned when all its objects lie inside the fragment and its
 * object size is known; without data, index qualifiers carry only their
 * indexes and start-stop/count qualifiers carry nothing.
 */
struct dnp3_objiter {
	const uint8_t *p;
	size_t left;
	bool with_data;
	int err;
	size_t offset;		/* bytes consumed so far (for messages) */
};

void dnp3_objiter_init(struct dnp3_objiter *it, const uint8_t *objs,
    size_t len, bool with_data);
int dnp3_objiter_next(struct dnp3_objiter *it, struct dnp3_objhdr *h);

/*
 * The point index of entry i (0 <= i < count): start + i for start-stop,
 * the prefix for index qualifiers, i for count qualifiers. Works with or
 * without data. Returns 0 or DNP3_E_PARAM when i >= count.
 */
int dnp3_objhdr_index(const struct dnp3_objhdr *h, uint32_t i,
    uint32_t *index);

/*
 * Decode object i of a header parsed with data into *o (kind per
 * h->desc->kind, see objects.h) and its point index into *index (may be
 * NULL). Handles prefixes and packed bits. Returns 0 or a DNP3_E_* code.
 */
int dnp3_objhdr_get(const struct dnp3_objhdr *h, uint32_t i,
    uint32_t *index, union dnp3_obj *o);

/*
 * Free-format (0x5B) objects: the bytes of object i and their length (from
 * its 2-byte size prefix). Returns 0 or a DNP3_E_* code. No function this
 * outstation answers carries such objects; the iterator still parses the
 * qualifier, and its unit test and the request fuzzer check the prefixes
 * through this.
 */
int dnp3_objhdr_free(const struct dnp3_objhdr *h, uint32_t i,
    const uint8_t **obj, size_t *len);

/*
 * Response writer: fills one fragment of at most tx_size bytes in a
 * caller buffer. It never writes at or past buf + tx_size.
 *
 *	dnp3_writer_init(&w, buf, cfg->frag_tx);
 *	dnp3_writer_start(&w, DNP3_FC_RESPONSE, ctl);
 *	dnp3_writer_begin(&w, 30, 1, dnp3_qual_for_range(last), first);
 *	for (i = first; i <= last; i++)
 *		if (dnp3_writer_add(&w, i, &obj) == DNP3_E_NOSPACE)
 *			... fragment full: set FIN=0, send dnp3_writer_len()
 *			    bytes, continue at i in the next fragment ...
 *	dnp3_writer_set_control(&w, ...); dnp3_writer_set_iin(&w, iin);
 *
 * A header is only counted in the fragment once its first object is
 * added, so dnp3_writer_len() is always a well-formed fragment: a header
 * that got no object (because nothing fit) is simply not there. After
 * DNP3_E_NOSPACE the writer is unchanged and still usable (a smaller
 * object or a new fragment may follow).
 */
struct dnp3_writer {
	uint8_t *buf;
	size_t cap;		/* tx size */
	size_t len;		/* committed bytes: always a whole fragment */
	bool started;
	/* the open object header, if any */
	bool open;
	size_t hdr_pos;		/* where its header starts */
	size_t hdr_len;		/* header bytes (g, v, q, range) */
	const struct dnp3_objdesc *desc;
	uint8_t group, variation, qualifier;
	uint16_t obj_size;
	uint8_t obj_bits;
	uint32_t start;		/* start-stop qualifiers */
	uint32_t count;		/* objects added to it */
	uint64_t cto_ms;	/* the last CTO added (for relative times) */
	bool cto_valid;
};

#define DNP3_TX_MIN	249
#define DNP3_TX_MAX	65535

/*
 * tx_size is the fragment limit (config frag_tx, 249..65535; smaller sizes
 * down to the 4-byte header are accepted for tests and the master tool's
 * requests). Returns 0 or DNP3_E_PARAM.
 */
int dnp3_writer_init(struct dnp3_writer *w, uint8_t *buf, size_t tx_size);

/* Write the header: responses get IIN 0000 to be set later. */
int dnp3_writer_start(struct dnp3_writer *w, uint8_t func, uint8_t control);
void dnp3_writer_set_control(struct dnp3_writer *w, uint8_t control);
void dnp3_writer_set_iin(struct dnp3_writer *w, uint16_t iin);

/*
 * Open an object header; closes the previous one. start is the first
 * index for start-stop qualifiers (ignored otherwise). Qualifiers:
 * 0x00/0x01 (static data, packed bits), 0x07/0x08 (count: time, CTO,
 * delay), 0x17/0x28 (events, control echoes), 0x06 (no objects; the
 * header is committed at once, e.g. READ g60v1 in a request).
 * Returns 0, DNP3_E_NOSPACE, DNP3_E_QUAL_OBJECT, DNP3_E_OBJECT, ...
 */
int dnp3_writer_begin(struct dnp3_writer *w, uint8_t group,
    uint8_t variation, uint8_t qualifier, uint32_t start);

/*
 * Append one object to the open header. index is the point index: for
 * start-stop it must be start + count (the next one), for index prefixes
 * any index the prefix size can hold, ignored for count qualifiers.
 * Returns 0, DNP3_E_NOSPACE (nothing written), DNP3_E_INDEX,
 * DNP3_E_VALUE or DNP3_E_PARAM.
 */
int dnp3_writer_add(struct dnp3_writer *w, uint32_t index,
    const union dnp3_obj *o);

/*
 * Append n objects with the indexes first, first + 1, ... to the open
 * header: the same bytes and errors as n calls of dnp3_writer_add, with
 * the checks that are the same for every object of a header done once
 * (the fast path of static data). *added says how many went in; returns
 * 0 when all did, else the error of the first that did not.
 */
int dnp3_writer_add_run(struct dnp3_writer *w, uint32_t first,
    const union dnp3_obj *o, size_t n, size_t *added);

/*
 * Point values in the caller's own records, for dnp3_writer_add_points:
 * record i starts at base + i * stride; its flag octet is at flags_off,
 * its value at value_off, of the type value says.
 */
enum dnp3_run_value {
	DNP3_RUN_U8,		/* binary 0/1, double-bit state 0..3 */
	DNP3_RUN_U32,		/* counters */
	DNP3_RUN_F64,		/* analogs */
	DNP3_RUN_OCTETS,	/* octet strings: the header's variation in
				   bytes from value_off (no flags) */
};

struct dnp3_point_run {
	const uint8_t *base;
	size_t stride;
	size_t flags_off;
	size_t value_off;
	enum dnp3_run_value value;
};

/*
 * As dnp3_writer_add_run for objects whose value is the record's value
 * (converted to double) and whose flags are the record's flags, with no
 * time: the same bytes, without a union per object or a call per object.
 * Returns DNP3_E_OBJECT, adding nothing, when the open header is not one
 * it encodes (packed, prefixed by indexes, with a time, or a value type
 * that does not go with the group): the caller then uses
 * dnp3_writer_add_run.
 */
int dnp3_writer_add_points(struct dnp3_writer *w, uint32_t first,
    const struct dnp3_point_run *src, size_t n, size_t *added);

/*
 * Append a header with qualifier 0x07 and one object: a CTO (g51), a time
 * (g50), a delay (g52). For g51 the writer remembers the time so later
 * relative-time events (g2v3, g4v3) are encoded relative to it.
 */
int dnp3_writer_add_single(struct dnp3_writer *w, uint8_t group,
    uint8_t variation, const union dnp3_obj *o);

/*
 * Requests without object data (READ, freezes, class assignment, ...):
 * one whole header. For start-stop qualifiers a..b is the range; for
 * count qualifiers b is the count (a ignored); for 0x06 both are ignored.
 * Index-prefix qualifiers are not written here. Returns 0 or an error.
 */
int dnp3_writer_header(struct dnp3_writer *w, uint8_t group,
    uint8_t variation, uint8_t qualifier, uint32_t a, uint32_t b);

/* Close the open header (optional: begin/len do it). */
void dnp3_writer_end(struct dnp3_writer *w);

/* Bytes of the fragment so far (a whole fragment: see above). */
size_t dnp3_writer_len(const struct dnp3_writer *w);
/* Bytes still free. For the writer's tests and fuzzer, which check that
   len + room stays the capacity; fill.c asks dnp3_writer_add* instead. */
size_t dnp3_writer_room(const struct dnp3_writer *w);

#endif
