/*
 * The link address classifier's records. Its answer is what the privileged
 * listener reads from that unprivileged process: arbitrary bytes must be
 * refused with a reason, or decode into a verdict in range whose address
 * fits it, and encode back to the same bytes. The connection record (the
 * classifier's input) likewise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/classifymsg.h"

static void
answer(const uint8_t *data, size_t size)
{
	struct classify_answer a;
	const char *why = NULL;
	uint8_t again[CLASSIFY_ANSWER_LEN];

	if (classify_answer_decode(data, size, &a, &why) != 0) {
		if (why == NULL || why[0] == '\0')
			abort();	/* a refusal always says why */
		return;
	}
	if (size != CLASSIFY_ANSWER_LEN || a.verdict >= CLASSIFY_VERDICT_END)
		abort();
	/* routed: an outstation's address; broadcast: 0xFFFD..0xFFFF
	   (IEEE 1815); any other verdict: none */
	if ((a.verdict == CLASSIFY_ROUTE && a.address >= 0xFFFD) ||
	    (a.verdict == CLASSIFY_BROADCAST && a.address < 0xFFFD) ||
	    (a.verdict > CLASSIFY_BROADCAST && a.address != 0))
		abort();
	if (classify_verdict_str(a.verdict) == NULL)
		abort();
	classify_answer_encode(again, &a);
	if (memcmp(again, data, CLASSIFY_ANSWER_LEN) != 0)
		abort();
}

static void
conn(const uint8_t *data, size_t size)
{
	uint32_t id, timeout_ms;
	uint8_t again[CLASSIFY_CONN_LEN];

	if (classify_conn_decode(data, size, &id, &timeout_ms) != 0)
		return;
	if (size != CLASSIFY_CONN_LEN || timeout_ms < CFG_ROUTE_TIMEOUT_MIN ||
	    timeout_ms > CFG_ROUTE_TIMEOUT_MAX)
		abort();
	classify_conn_encode(again, id, timeout_ms);
	if (memcmp(again, data, CLASSIFY_CONN_LEN) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	answer(data, size);
	conn(data, size);
	return 0;
}
