/*
 * The hand-off header as a worker receives it: arbitrary bytes must be
 * refused or decoded, and whatever decodes must encode back to the same
 * bytes (the header has exactly one valid form per value).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/handoff.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct handoff h;
	const char *why = NULL;
	uint8_t again[HANDOFF_LEN];
	char text[HANDOFF_ADDRSTR_MAX];

	if (handoff_decode(data, size, &h, &why) != 0) {
		if (why == NULL)
			abort();	/* a refusal always says why */
		return 0;
	}
	if (size != HANDOFF_LEN)
		abort();
	handoff_encode(&h, again);
	if (memcmp(again, data, HANDOFF_LEN) != 0)
		abort();
	handoff_addrstr(&h, text, sizeof(text));
	if (memchr(text, '\0', sizeof(text)) == NULL)
		abort();
	return 0;
}
