// SPDX-License-Identifier: MIT
/*
 * Replays a fuzz target over its committed corpus under gcc, so make check
 * proves every saved input (and every past crasher) still runs clean under
 * ASan/UBSan without needing clang's libFuzzer. Usage: replay_fuzz_X DIR...
 * Prints one TAP line per input.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path, unsigned *n)
{
	uint8_t *data;
	long size;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		printf("not ok %u - %s: cannot read\n", ++*n, path);
		if (f)
			fclose(f);
		return 1;
	}
	rewind(f);
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
		printf("not ok %u - %s: cannot read\n", ++*n, path);
		free(data);
		fclose(f);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)size);
	free(data);
	printf("ok %u - %s\n", ++*n, path);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned n = 0;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **names;
		int count = scandir(argv[i], &names, NULL, alphasort);

		if (count < 0) {
			printf("not ok %u - %s: no corpus\n", ++n, argv[i]);
			failed = 1;
			continue;
		}
		for (int j = 0; j < count; j++) {
			char path[4096];

			if (names[j]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i], names[j]->d_name);
				failed |= replay_file(path, &n);
			}
			free(names[j]);
		}
		free(names);
	}
	printf("1..%u\n", n);
	return failed;
}
