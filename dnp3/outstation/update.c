/*
 * A point update from the application: into the database, and an event
 * when the change is one.
 */
#include "dnp3/outstation/priv.h"

static int
os_update(struct outstation *os, enum point_type t, uint32_t index,
    const struct point_value *v, uint8_t flags, uint64_t time_ms)
{
	struct db_point *p;
	int r;

	if (v == NULL || (r = db_set(&os->db, t, index, v, flags,
	    time_ms)) == -1)
		return -1;
	if (r == 1) {
		p = db_point(&os->db, t, index);
		event_add(&os->ev, t, index, p,
		    t == PT_OCTET_STRING ? db_octets(&os->db, index) : NULL);
	}
	return 0;
}

int
outstation_update(struct outstation *os, enum point_type t, uint32_t index,
    const struct point_value *v, uint8_t flags, uint64_t time_ms)
{
	int r;

	os_change_begin(os);
	r = os_update(os, t, index, v, flags, time_ms);
	os_change_end(os);
	return r;
}

int
os_update_output(struct outstation *os, enum point_type t, uint32_t index,
    const struct point_value *v, uint64_t time_ms)
{
	const struct db_point *p;

	if ((p = db_point(&os->db, t, index)) == NULL)
		return -1;
	return os_update(os, t, index, v,
	    (p->flags & ~DB_FLAG_RESTART) | DB_FLAG_ONLINE, time_ms);
}
