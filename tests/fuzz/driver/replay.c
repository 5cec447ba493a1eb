/*
 * Replays every file of a corpus directory through LLVMFuzzerTestOneInput
 * once, so that a plain or sanitizer build checks the corpus as a ctest.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	static uint8_t buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	/* Copy to an exact-size heap block so ASan sees reads past the end. */
	uint8_t *copy = malloc(n ? n : 1);
	if (copy == NULL)
		return -1;
	memcpy(copy, buf, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	int count = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		if (replay_file(path) != 0) {
			closedir(d);
			return 1;
		}
		count++;
	}
	closedir(d);
	printf("replayed %d inputs from %s\n", count, argv[1]);
	return count > 0 ? 0 : 1;
}
