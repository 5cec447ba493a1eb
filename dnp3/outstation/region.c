/*
 * The state region's header and the checks before a block is resumed
 * (region.h). A new block is written with the header's magic last, so a
 * process killed while making it leaves a region that reads as empty.
 */
#include <stdatomic.h>
#include <string.h>

#include "dnp3/outstation/priv.h"
#include "dnp3/outstation/region.h"

static const char region_magic[8] = "DNP3DST\n";

struct os_region_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_len;
	uint64_t block_len;
	uint64_t params_hash;
	uint64_t check;		/* fnv of the fields above */
	uint8_t pad[OS_REGION_HEADER - 40];
};
_Static_assert(sizeof(struct os_region_hdr) == OS_REGION_HEADER,
    "the header has its fixed size");

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * FNV_PRIME;
	return h;
}

#define FNV_FIELD(h, v)	((h) = fnv((h), &(v), sizeof(v)))

uint64_t
outstation_params_hash(const struct outstation_params *p)
{
	uint64_t h = FNV_OFFSET;
	uint32_t v;

	for (int t = 0; t < PT_COUNT; t++) {
		FNV_FIELD(h, p->db[t].count);
		FNV_FIELD(h, p->db[t].class);
		FNV_FIELD(h, p->db[t].static_variation);
		FNV_FIELD(h, p->db[t].event_variation);
		FNV_FIELD(h, p->db[t].deadband);
		FNV_FIELD(h, p->db[t].event_buffer);
	}
	v = p->unsol_enabled;
	FNV_FIELD(h, v);
	FNV_FIELD(h, p->unsol_retries);
	FNV_FIELD(h, p->confirm_ms);
	FNV_FIELD(h, p->select_ms);
	FNV_FIELD(h, p->frag_rx);
	FNV_FIELD(h, p->frag_tx);
	v = p->controls;
	FNV_FIELD(h, v);
	FNV_FIELD(h, p->need_time_ms);
	FNV_FIELD(h, p->max_controls);
	v = p->demo_values;
	FNV_FIELD(h, v);
	return h;
}

static uint64_t
hdr_check(const struct os_region_hdr *r)
{
	return fnv(FNV_OFFSET, r, offsetof(struct os_region_hdr, check));
}

/* NULL when the header describes this block, else why not. */
static const char *
hdr_valid(const struct os_region_hdr *r, const struct outstation_params *cfg,
    size_t block_len)
{
	if (memcmp(r->magic, region_magic, sizeof(r->magic)) != 0)
		return "not a state region";
	if (r->check != hdr_check(r))
		return "header damaged";
	if (r->version != OS_REGION_VERSION || r->hdr_len != OS_REGION_HEADER)
		return "another version";
	if (r->block_len != block_len)
		return "another size";
	if (r->params_hash != outstation_params_hash(cfg))
		return "configuration changed";
	return NULL;
}

static bool
region_empty(const struct os_region_hdr *r)
{
	static const char zero[sizeof(r->magic)];

	return memcmp(r->magic, zero, sizeof(zero)) == 0;
}

static struct outstation *
region_new(struct os_region_hdr *r, uint8_t *block, size_t block_len,
    const struct outstation_params *cfg)
{
	struct outstation *os;

	memset(r, 0, sizeof(*r));
	atomic_signal_fence(memory_order_seq_cst);
	if ((os = outstation_init(block, block_len, cfg)) == NULL)
		return NULL;
	r->version = OS_REGION_VERSION;
	r->hdr_len = OS_REGION_HEADER;
	r->block_len = block_len;
	r->params_hash = outstation_params_hash(cfg);
	memcpy(r->magic, region_magic, sizeof(r->magic));
	r->check = hdr_check(r);
	return os;
}

static struct outstation *
region_resume(struct os_region_hdr *r, uint8_t *block, size_t block_len,
    const struct outstation_params *cfg, const char **why)
{
	struct outstation *os;

	if ((*why = hdr_valid(r, cfg, block_len)) != NULL)
		return NULL;
	if (!os_change_whole((struct outstation *)(void *)block)) {
		*why = "a change was interrupted";
		return NULL;
	}
	if ((os = outstation_attach(block, block_len, cfg)) == NULL)
		*why = "contents damaged";
	return os;
}

struct outstation *
outstation_region_open(void *mem, size_t len,
    const struct outstation_params *cfg, bool keep, enum os_region_start *how,
    const char **why)
{
	struct os_region_hdr *r = mem;
	uint8_t *block = (uint8_t *)mem + OS_REGION_HEADER;
	size_t need = outstation_region_size(cfg);
	struct outstation *os;

	*why = NULL;
	if (need == 0 || len != need || ((uintptr_t)mem & 15) != 0)
		return NULL;
	*how = OS_REGION_NEW;
	if (region_empty(r))
		return region_new(r, block, len - OS_REGION_HEADER, cfg);
	*how = OS_REGION_DISCARDED;
	if (!keep)
		*why = "not kept";
	else if ((os = region_resume(r, block, len - OS_REGION_HEADER, cfg,
	    why)) != NULL) {
		*how = OS_REGION_KEPT;
		return os;
	}
	return region_new(r, block, len - OS_REGION_HEADER, cfg);
}
