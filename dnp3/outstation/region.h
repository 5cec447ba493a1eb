#ifndef DNP3D_OUTSTATION_REGION_H
#define DNP3D_OUTSTATION_REGION_H

/*
 * An outstation in a state region: memory that outlives the process
 * using it (a memfd the supervisor keeps and hands to each new process).
 * The region is a header of OS_REGION_HEADER bytes, then the outstation's
 * block (outstation_init()). The header says what the block is: magic,
 * version, the block's length, a hash of the parameters it was made
 * from, and a check of these fields. Whatever is in the region was
 * written by a process that may have been killed at any instruction, or
 * compromised: outstation_region_open() believes nothing it has not
 * checked (header, the block's generation, every stored index and count,
 * see outstation_attach()).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dnp3/outstation/outstation.h"

#define OS_REGION_HEADER	64
#define OS_REGION_VERSION	2

/* Bytes of a region for these parameters, 0 for bad parameters. */
size_t outstation_region_size(const struct outstation_params *);

/* A hash of everything in the parameters (FNV-1a 64, field by field). */
uint64_t outstation_params_hash(const struct outstation_params *);

enum os_region_start {
	OS_REGION_NEW,		/* the region was empty: a new outstation */
	OS_REGION_KEPT,		/* the outstation of the region, resumed */
	OS_REGION_DISCARDED	/* there was one; not kept (*why) */
};

/*
 * The outstation of region mem (page-aligned, len bytes): the one kept in
 * it when keep is true and it passes every check, else a new one made in
 * its place (DEVICE_RESTART set). *why says why a region was discarded
 * ("configuration changed", "change interrupted", ...). NULL only for
 * parameters or a length that do not fit.
 */
struct outstation *outstation_region_open(void *mem, size_t len,
    const struct outstation_params *, bool keep, enum os_region_start *how,
    const char **why);

#endif
