/*
 * Configuration files and filter/endpoint texts from arbitrary bytes.
 * A file either loads, and then every outstation passes the worker's own
 * check and no two outstations of a server overlap, or is refused with a
 * message that names the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/check.h"
#include "listener/config_load.h"
#include "config/endpoint.h"
#include "listener/filter.h"

static void
check_loaded(const struct dnp3d_config *cfg)
{
	char err[512];

	for (uint32_t i = 0; i < cfg->outstation_count; i++)
		if (outstation_config_check(&cfg->outstations[i], err,
		    sizeof(err)) != 0)
			abort();
	for (uint32_t s = 0; s < cfg->server_count; s++) {
		const struct server_config *sv = &cfg->servers[s];
		for (uint32_t a = sv->first; a < sv->first + sv->count; a++)
			for (uint32_t b = a + 1; b < sv->first + sv->count; b++)
				if (filter_overlap(&cfg->outstations[a].filter,
				    &cfg->outstations[b].filter, NULL))
					abort();
	}
}

static void
fuzz_file(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct dnp3d_config cfg;
	int fd = memfd_create("fuzzconf", 0);

	if (fd < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (config_load(path, &cfg, err, sizeof(err)) == 0) {
		check_loaded(&cfg);
		config_free(&cfg);
	} else if (strncmp(err, path, strlen(path)) != 0 &&
	    strstr(err, "No such file") == NULL)
		abort();
	close(fd);
}

static void
fuzz_texts(const uint8_t *data, size_t size)
{
	char text[128], err[256];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	struct addr_filter f;
	struct sockaddr_storage ss;
	socklen_t sslen;

	memcpy(text, data, n);
	text[n] = '\0';
	filter_init(&f);
	(void)filter_add(&f, text, err, sizeof(err));
	(void)endpoint_parse(text, &ss, &sslen, err, sizeof(err));
}

/* libconfig 1.5 leaks lexer and string buffers on some syntax errors (not ours). */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libconfig.so\n";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	fuzz_file(data, size);
	fuzz_texts(data, size);
	return 0;
}
