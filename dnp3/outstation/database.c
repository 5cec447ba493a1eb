/*
 * The point database: fixed arrays per point type, carved out of one
 * caller buffer, and the rules that decide when an update is an event.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dnp3/outstation/database.h"

#define ALIGN16(n)	(((n) + 15) & ~(size_t)15)

static size_t
db_layout(const struct point_params cfg[PT_COUNT], size_t off[PT_COUNT],
    size_t *octet_off)
{
	size_t total = 0;

	for (int t = 0; t < PT_COUNT; t++) {
		if (cfg[t].count > DB_POINTS_MAX)
			return 0;
		if (cfg[t].class > 3)
			return 0;
		if (cfg[t].static_variation != 0 &&
		    !db_static_var_ok(t, cfg[t].static_variation))
			return 0;
		if (cfg[t].event_variation != 0 &&
		    !db_event_var_ok(t, cfg[t].event_variation))
			return 0;
		off[t] = total;
		total += ALIGN16((size_t)cfg[t].count * sizeof(struct db_point));
	}
	*octet_off = total;
	total += ALIGN16((size_t)cfg[PT_OCTET_STRING].count * DB_OCTET_MAX);
	return total == 0 ? 16 : total;
}

size_t
db_size(const struct point_params cfg[PT_COUNT])
{
	size_t off[PT_COUNT], octet_off;

	return db_layout(cfg, off, &octet_off);
}

/* The static variation of every point of type t. */
static uint8_t
db_type_static_var(int t, const struct point_params cfg[PT_COUNT])
{
	return cfg[t].static_variation ? cfg[t].static_variation :
	    db_default_static_var(t);
}

int
db_init(struct db *db, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT])
{
	size_t off[PT_COUNT], octet_off, need;
	uint8_t *base = mem;

	need = db_layout(cfg, off, &octet_off);
	if (need == 0 || len < need) {
		return -1;
	}
	memset(mem, 0, need);
	for (int t = 0; t < PT_COUNT; t++) {
		db->count[t] = cfg[t].count;
		db->points[t] = (struct db_point *)(void *)(base + off[t]);
		db->static_var[t] = db_type_static_var(t, cfg);
		for (uint32_t i = 0; i < cfg[t].count; i++) {
			struct db_point *p = &db->points[t][i];

			p->flags = DB_FLAG_RESTART;
			p->class = cfg[t].class;
			p->static_var = db->static_var[t];
			p->event_var = cfg[t].event_variation ?
			    cfg[t].event_variation : db_default_event_var(t);
			p->deadband = cfg[t].deadband > 0 ? cfg[t].deadband : 0;
			if (t == PT_DOUBLE_BIT_INPUT)
				p->v.bits = DBIT_INDETERMINATE;
			/* An octet string is never empty: one zero byte. */
			if (t == PT_OCTET_STRING)
				p->octet_len = 1;
		}
	}
	db->octets = base + octet_off;
	return 0;
}

/* A stored point's fields that index or select code: in range. */
static bool
db_point_valid(enum point_type t, const struct db_point *p)
{
	if (p->class > 3)
		return false;
	if (t == PT_OCTET_STRING)
		return p->octet_len >= 1;
	if ((t == PT_BINARY_INPUT || t == PT_BINARY_OUTPUT) && p->v.bits > 1)
		return false;
	if (t == PT_DOUBLE_BIT_INPUT && p->v.bits > DBIT_INDETERMINATE)
		return false;
	return db_static_var_ok(t, p->static_var) &&
	    db_event_var_ok(t, p->event_var);
}

int
db_attach(struct db *db, void *mem, size_t len,
    const struct point_params cfg[PT_COUNT])
{
	size_t off[PT_COUNT], octet_off, need;
	uint8_t *base = mem;

	need = db_layout(cfg, off, &octet_off);
	if (need == 0 || len < need)
		return -1;
	for (int t = 0; t < PT_COUNT; t++) {
		db->count[t] = cfg[t].count;
		db->points[t] = (struct db_point *)(void *)(base + off[t]);
		db->static_var[t] = db_type_static_var(t, cfg);
		for (uint32_t i = 0; i < cfg[t].count; i++)
			if (!db_point_valid(t, &db->points[t][i]) ||
			    db->points[t][i].static_var != db->static_var[t])
				return -1;
	}
	db->octets = base + octet_off;
	return 0;
}

struct db_point *
db_point(struct db *db, enum point_type t, uint32_t index)
{
	if ((unsigned)t >= PT_COUNT || index >= db->count[t])
		return NULL;
	return &db->points[t][index];
}

const uint8_t *
db_octets(const struct db *db, uint32_t index)
{
	if (index >= db->count[PT_OCTET_STRING])
		return NULL;
	return db->octets + (size_t)index * DB_OCTET_MAX;
}

/* The flag bits a caller may set for a type (others are ignored). */
static uint8_t
db_flags_mask(enum point_type t)
{
	switch (t) {
	case PT_BINARY_INPUT:
	case PT_DOUBLE_BIT_INPUT:
		return 0x3f;
	case PT_BINARY_OUTPUT:
		return 0x1f;
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		return 0x7f;
	default:
		return 0;	/* octet strings carry no flags */
	}
}

/* Stores the new value; returns whether it differs enough for an event. */
static bool
db_store_value(struct db *db, enum point_type t, uint32_t index,
    struct db_point *p, const struct point_value *v)
{
	double d;
	uint8_t *o;

	switch (t) {
	case PT_BINARY_INPUT:
	case PT_BINARY_OUTPUT:
		d = p->v.bits;
		p->v.bits = v->binary ? 1 : 0;
		return d != p->v.bits;
	case PT_DOUBLE_BIT_INPUT:
		d = p->v.bits;
		p->v.bits = v->dbit;
		return d != p->v.bits;
	case PT_COUNTER:
	case PT_FROZEN_COUNTER:
		p->v.counter = v->counter;
		d = fabs((double)v->counter - p->reported);
		return p->deadband > 0 ? d > p->deadband : d != 0;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		p->v.analog = v->analog;
		d = fabs(v->analog - p->reported);
		return p->deadband > 0 ? d > p->deadband : d != 0;
	case PT_OCTET_STRING:
		o = db->octets + (size_t)index * DB_OCTET_MAX;
		if (p->octet_len == v->octet_len &&
		    memcmp(o, v->octets, v->octet_len) == 0)
			return false;
		memcpy(o, v->octets, v->octet_len);
		p->octet_len = v->octet_len;
		return true;
	default:
		return false;
	}
}

static bool
db_value_ok(enum point_type t, const struct point_value *v)
{
	switch (t) {
	case PT_DOUBLE_BIT_INPUT:
		return v->dbit <= DBIT_INDETERMINATE;
	case PT_ANALOG_INPUT:
	case PT_ANALOG_OUTPUT:
		return !isnan(v->analog);
	case PT_OCTET_STRING:
		return v->octet_len >= 1 && v->octets != NULL;
	default:
		return true;
	}
}

int
db_set(struct db *db, enum point_type t, uint32_t index,
    const struct point_value *v, uint8_t flags, uint64_t time_ms)
{
	struct db_point *p;
	bool changed;
	uint8_t old_flags;

	if ((p = db_point(db, t, index)) == NULL || !db_value_ok(t, v))
		return -1;
	old_flags = p->flags;
	p->flags = flags & db_flags_mask(t);
	changed = db_store_value(db, t, index, p, v);
	p->time_ms = time_ms;
	if (old_flags != p->flags)
		changed = true;
	if (changed) {
		/* The deadband counts from the value last reported. */
		if (t == PT_ANALOG_INPUT || t == PT_ANALOG_OUTPUT)
			p->reported = p->v.analog;
		else if (t == PT_COUNTER || t == PT_FROZEN_COUNTER)
			p->reported = p->v.counter;
	}
	return changed ? 1 : 0;
}

void
db_load_demo_values(struct db *db, uint64_t time_ms)
{
	struct point_value v;
	char text[16];

	for (int t = 0; t < PT_COUNT; t++) {
		for (uint32_t i = 0; i < db->count[t]; i++) {
			memset(&v, 0, sizeof(v));
			switch (t) {
			case PT_BINARY_INPUT:
			case PT_BINARY_OUTPUT:
				v.binary = i % 2;
				break;
			case PT_DOUBLE_BIT_INPUT:
				v.dbit = i % 2 ? DBIT_ON : DBIT_OFF;
				break;
			case PT_COUNTER:
			case PT_FROZEN_COUNTER:
				v.counter = i * 10;
				break;
			case PT_ANALOG_INPUT:
				v.analog = i * 1.5;
				break;
			case PT_ANALOG_OUTPUT:
				v.analog = i * 2.5;
				break;
			case PT_OCTET_STRING:
				v.octet_len = snprintf(text, sizeof(text),
				    "os%u", i);
				v.octets = (const uint8_t *)text;
				break;
			}
			(void)db_set(db, t, i, &v, DB_FLAG_ONLINE, time_ms);
		}
	}
}
