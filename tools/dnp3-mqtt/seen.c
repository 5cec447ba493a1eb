/*
 * Ids of the inbound messages already sent (see seen.h).
 */
#include <stdio.h>
#include <string.h>

#include "seen.h"

void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
}

int
seen_has(const struct seen *s, const char *name, int64_t id)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (s->ring[i].id == id && strcmp(s->ring[i].name, name) == 0)
			return 1;
	return 0;
}

void
seen_note(struct seen *s, const char *name, int64_t id)
{
	snprintf(s->ring[s->next].name, sizeof(s->ring[s->next].name), "%s",
	    name);
	s->ring[s->next].id = id;
	s->next = (s->next + 1) % SEEN_MAX;
	if (s->n < SEEN_MAX)
		s->n++;
}
