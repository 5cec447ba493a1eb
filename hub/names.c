/*
 * The outstations the hub serves: names in index order from the listener
 * (CHAN_HUB_NAMES), and an index sorted by name for routing.
 */
#include <stdlib.h>
#include <string.h>

#include "dnp3/app/le.h"
#include "hub/hub.h"

int
hub_names_add(struct hub *h, const uint8_t *p, size_t len)
{
	uint32_t first, count, i;
	const char *name;

	if (len < 4 || (len - 4) % HUB_NAME_LEN != 0)
		return -1;
	first = get_le32(p);
	count = (uint32_t)((len - 4) / HUB_NAME_LEN);
	if (first != h->named || count == 0 ||
	    count > h->cfg.outstation_count - first)
		return -1;
	for (i = 0; i < count; i++) {
		name = (const char *)p + 4 + (size_t)i * HUB_NAME_LEN;
		if (name[0] == '\0' || memchr(name, '\0', HUB_NAME_LEN) == NULL)
			return -1;
		memcpy(h->slot[first + i].name, name, HUB_NAME_LEN);
	}
	h->named += count;
	return 0;
}

static const struct hub *sorting;

static int
by_name(const void *a, const void *b)
{
	return strcmp(sorting->slot[*(const uint32_t *)a].name,
	    sorting->slot[*(const uint32_t *)b].name);
}

int
hub_names_index(struct hub *h)
{
	uint32_t n = h->cfg.outstation_count;

	if (h->named != n)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		h->byname[i] = i;
	sorting = h;
	qsort(h->byname, n, sizeof(*h->byname), by_name);
	sorting = NULL;
	return 0;
}

int
hub_name_find(const struct hub *h, const char *name)
{
	size_t lo = 0, hi = h->named == h->cfg.outstation_count ?
	    h->cfg.outstation_count : 0;
	int c;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		c = strcmp(name, h->slot[h->byname[mid]].name);
		if (c == 0)
			return (int)h->byname[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}
