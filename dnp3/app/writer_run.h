#ifndef DNP3D_DNP3_WRITER_RUN_H
#define DNP3D_DNP3_WRITER_RUN_H

/*
 * The run steps of the writer (internal to the dnp3app library), shared by
 * dnp3_writer_add_run (objects as unions) and dnp3_writer_add_points
 * (values straight from the caller's records). Only for an open header
 * with a range or count qualifier.
 */
#include "dnp3/app/app.h"

/*
 * Of n objects from index first: *want is how many the header's
 * qualifier takes (at most n); returned is how many of those fit the
 * fragment.
 */
size_t	 writer_run_room(const struct dnp3_writer *, uint32_t first, size_t n,
	    size_t *want);

/* Where the next object of the open header goes. */
uint8_t	*writer_run_at(const struct dnp3_writer *);

/*
 * Count the done objects written at writer_run_at() and update the range.
 * Returns 0, DNP3_E_NOSPACE (fit < want) or DNP3_E_INDEX (want < n).
 */
int	 writer_run_commit(struct dnp3_writer *, size_t done, size_t fit,
	    size_t want, size_t n);

#endif
