#ifndef DNP3D_CONFIG_KEYS_H
#define DNP3D_CONFIG_KEYS_H

/*
 * Every key of dnp3d.conf(5) as one row of data: where it sits, its type,
 * range, default and the field of struct outstation_config it fills.
 * The listener's loader reads a file through these rows
 * (listener/config_walk.c), config_outstation_defaults() gives omitted
 * keys their defaults from them, the worker re-checks what it receives
 * against them (config/check.c), and a test holds dnp3d.conf(5) to them.
 *
 * A new scalar key of an outstation is one row here, its field in
 * common/config.h, its line in dnp3d.conf(5), and its use.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

/* Ranges that the rows, the loader and the re-check share. */
#define CFG_LINK_ADDR_MAX	65519	/* 0xfff0 and up are reserved */
#define CFG_CLASS_MAX		3
#define CFG_POINTS_MAX		65535	/* points of one type */
#define CFG_EVENTS_MAX		65535	/* event buffer of one type */
#define CFG_FRAG_MIN		249
#define CFG_FRAG_MAX		65535
#define CFG_TIMEOUT_MAX		86400000	/* one day, in ms */

/* Where a key sits: the top level, a server, or an outstation. */
enum config_scope {
	CK_TOP,
	CK_SERVER,
	CK_OUTSTATION
};

enum config_type {
	CK_INT,		/* an integer min..max */
	CK_BOOL,
	CK_WORD,	/* one of words[], stored as its index */
	CK_FLOAT,	/* a number, min or more */
	CK_CODE		/* not a scalar: the loader's code reads it */
};

#define CK_REQUIRED	0x01

struct config_key {
	const char		*path;	/* "timeouts_ms.confirm"; a "*"
					   component is each point type */
	uint8_t			 scope;		/* enum config_scope */
	uint8_t			 type;		/* enum config_type */
	uint8_t			 flags;
	long long		 min, max, def;
	const char *const	*words;		/* CK_WORD: NULL-ended */
	/* In struct outstation_config (server keys too: each outstation
	   gets a copy); a per-type key's is that of db[0]. */
	size_t			 offset;
	size_t			 size;
	/* The worker's refusal: "<bad>: out of range", or "<bad>: <what>",
	   or for a word "<bad>: N is not <what>". */
	const char		*bad;
	const char		*bad_what;
	/* dnp3d.conf(5) columns that the fields above cannot give; the
	   default of a CK_CODE key (for user and runtime_dir the value). */
	const char		*doc_type;
	const char		*doc_range;
	const char		*def_text;
};

extern const struct config_key config_keys[];
extern const size_t config_nkeys;

/* True when the key has a "*" (point type) component. */
bool	config_key_per_type(const struct config_key *k);

/*
 * The key's field in oc (of point type t for a per-type key). Integer
 * fields of 1 and 2 bytes and of 4 bytes with min >= 0 are unsigned;
 * a bool is read as its byte, whatever another process put in it.
 */
long long config_key_get(const struct config_key *k,
	    const struct outstation_config *oc, int t);
void	config_key_set(const struct config_key *k,
	    struct outstation_config *oc, int t, long long v);
double	config_key_get_float(const struct config_key *k,
	    const struct outstation_config *oc, int t);
void	config_key_set_float(const struct config_key *k,
	    struct outstation_config *oc, int t, double v);

/* Zero, then every scalar key of servers and outstations at its default. */
void	config_outstation_defaults(struct outstation_config *oc);

#endif
