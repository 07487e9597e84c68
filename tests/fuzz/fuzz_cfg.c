// SPDX-License-Identifier: MIT
/* The INI loader over arbitrary bytes: errors are fine, crashes and overflows are not. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_cfg {
	char name[CFG_VALUE_MAX];
	char path[CFG_VALUE_MAX];
	int64_t n;
	int64_t ms;
	bool flag;
	int choice;
};

static const char *const choices[] = {"a", "b", NULL};
static const struct cfg_key keys[] = {
    {"s", "name", CFG_STRING, offsetof(struct fuzz_cfg, name), NULL, 0, 0, NULL, NULL, NULL},
    {"s", "path", CFG_PATH, offsetof(struct fuzz_cfg, path), "x", 0, 0, NULL, NULL, NULL},
    {"s", "n", CFG_INT, offsetof(struct fuzz_cfg, n), "1", -5, 5, NULL, NULL, NULL},
    {"t", "ms", CFG_DURATION, offsetof(struct fuzz_cfg, ms), "1s", 0, 0, NULL, NULL, NULL},
    {"t", "flag", CFG_BOOL, offsetof(struct fuzz_cfg, flag), "no", 0, 0, NULL, NULL, NULL},
    {"t", "choice", CFG_ENUM, offsetof(struct fuzz_cfg, choice), "a", 0, 0, choices, NULL, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_cfg out;
	struct cfg_diag diag = {.len = 0};
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "r");
	if (!f)
		return 0;
	/* Refusal is a fine outcome; what matters is getting there safely. */
	if (cfg_load_stream(f, "fuzz.conf", "/tmp", keys, sizeof(keys) / sizeof(keys[0]), &out,
			    &diag) < 0 &&
	    diag.n_errors == 0)
		abort();
	fclose(f);
	return 0;
}
