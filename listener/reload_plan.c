/*
 * The difference between the running configuration and a new one (see
 * reload.h): outstations are matched by name, and one is unchanged when
 * its whole struct outstation_config is (it is plain data, zeroed before
 * it is filled, so memcmp compares every setting).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/channel.h"
#include "listener/reload.h"

int
reload_fixed(const struct dnp3d_config *o, const struct dnp3d_config *n,
    char *err, size_t len)
{
	const char *key = NULL;

	if (strcmp(o->user, n->user) != 0)
		key = "user";
	else if (strcmp(o->runtime_dir, n->runtime_dir) != 0)
		key = "runtime_dir";
	else if (strcmp(o->state_dir, n->state_dir) != 0)
		key = "state_dir";	/* opened at the start, used at the stop */
	else if (o->bus_count != n->bus_count ||
	    memcmp(o->bus, n->bus, sizeof(o->bus)) != 0)
		key = "bus";
	if (key == NULL)
		return 0;
	snprintf(err, len, "%s: %s: cannot change while running (restart "
	    "dnp3d to change it)", n->file, key);
	return -1;
}

struct byname {
	const char	*name;
	uint32_t	 index;
};

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct byname *)a)->name,
	    ((const struct byname *)b)->name);
}

/* The old outstations sorted by name, for lookups. NULL: no memory. */
static struct byname *
index_names(const struct dnp3d_config *o)
{
	struct byname *t = calloc(o->outstation_count ? o->outstation_count :
	    1, sizeof(*t));

	if (t == NULL)
		return NULL;
	for (uint32_t i = 0; i < o->outstation_count; i++)
		t[i] = (struct byname){ o->outstations[i].name, i };
	qsort(t, o->outstation_count, sizeof(*t), cmp_name);
	return t;
}

static void
match(const struct dnp3d_config *o, const struct dnp3d_config *n,
    const struct byname *t, struct reload_plan *p)
{
	for (uint32_t i = 0; i < n->outstation_count; i++) {
		struct byname key = { n->outstations[i].name, 0 };
		const struct byname *f = bsearch(&key, t,
		    o->outstation_count, sizeof(*t), cmp_name);
		if (f == NULL) {
			p->fate[i] = RELOAD_START;
			p->from[i] = -1;
			p->count[0]++;
			p->renamed = true;
			continue;
		}
		p->from[i] = (int32_t)f->index;
		p->stop[f->index] = 0;
		if (memcmp(&o->outstations[f->index], &n->outstations[i],
		    sizeof(n->outstations[i])) == 0)
			p->fate[i] = RELOAD_KEEP;
		else {
			p->fate[i] = RELOAD_RESTART;
			p->stop[f->index] = CHAN_STOP_RECONFIGURED;
			p->count[1]++;
		}
		if (f->index != i)
			p->renamed = true;
	}
}

int
reload_plan_make(const struct dnp3d_config *o, const struct dnp3d_config *n,
    struct reload_plan *p)
{
	struct byname *t;

	memset(p, 0, sizeof(*p));
	p->fate = calloc(n->outstation_count + 1, sizeof(*p->fate));
	p->from = calloc(n->outstation_count + 1, sizeof(*p->from));
	p->stop = calloc(o->outstation_count + 1, sizeof(*p->stop));
	if (p->fate == NULL || p->from == NULL || p->stop == NULL ||
	    (t = index_names(o)) == NULL) {
		reload_plan_free(p);
		return -1;
	}
	/* Removed unless found below. */
	memset(p->stop, CHAN_STOP_REMOVED, o->outstation_count);
	match(o, n, t, p);
	free(t);
	for (uint32_t i = 0; i < o->outstation_count; i++)
		if (p->stop[i] == CHAN_STOP_REMOVED)
			p->count[2]++;
	if (o->outstation_count != n->outstation_count)
		p->renamed = true;
	return 0;
}

void
reload_plan_free(struct reload_plan *p)
{
	free(p->fate);
	free(p->from);
	free(p->stop);
	memset(p, 0, sizeof(*p));
}
