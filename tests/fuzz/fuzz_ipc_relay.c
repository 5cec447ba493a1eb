/*
 * A multi-drop relay's records. Its news is what the privileged listener
 * reads from that unprivileged process: arbitrary bytes must be refused
 * with a reason, or decode into a kind in range whose address fits it,
 * and encode back to the same bytes. The link record (the relay's input)
 * likewise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/relaymsg.h"

static void
news(const uint8_t *data, size_t size)
{
	struct relay_news n;
	const char *why = NULL;
	uint8_t again[RELAY_NEWS_LEN];

	if (relay_news_decode(data, size, &n, &why) != 0) {
		if (why == NULL || why[0] == '\0')
			abort();	/* a refusal always says why */
		return;
	}
	if (size != RELAY_NEWS_LEN || n.kind >= RELAY_NEWS_END)
		abort();
	/* never a broadcast (it goes to every link); a link's address is
	   a station's (<= 0xFFEF, IEEE 1815); the master's news names none */
	if (n.address >= 0xFFFD ||
	    (n.kind != RELAY_NEWS_UNKNOWN && n.kind != RELAY_NEWS_MASTER_BAD &&
	    n.address > 0xFFEF) ||
	    (n.kind == RELAY_NEWS_MASTER_BAD && n.address != 0))
		abort();
	if (relay_news_str(n.kind) == NULL)
		abort();
	relay_news_encode(again, &n);
	if (memcmp(again, data, RELAY_NEWS_LEN) != 0)
		abort();
}

static void
link_rec(const uint8_t *data, size_t size)
{
	uint16_t address;
	uint8_t again[RELAY_LINK_LEN];

	if (relay_link_decode(data, size, &address) != 0)
		return;
	if (size != RELAY_LINK_LEN || address > 0xFFEF)
		abort();
	relay_link_encode(again, address);
	if (memcmp(again, data, RELAY_LINK_LEN) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	news(data, size);
	link_rec(data, size);
	return 0;
}
