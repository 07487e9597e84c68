// SPDX-License-Identifier: MIT
/*
 * Board files and line specs over arbitrary bytes. Refusals are fine; a
 * crash, an overflow, a refusal without a message, or a board or line spec
 * that does not survive printing and reading back is not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "firmware/board.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_line_spec(const uint8_t *data, size_t size)
{
	struct board_line a, b;
	char text[256], spec[BOARD_LINE_SPEC_MAX], why[128];

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	why[0] = '\0';
	if (board_parse_line(text, &a, why, sizeof(why)) < 0) {
		if (why[0] == '\0')
			abort();
		return;
	}
	board_format_line(&a, spec, sizeof(spec));
	if (board_parse_line(spec, &b, why, sizeof(why)) < 0 || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
}

static void fuzz_board_file(const uint8_t *data, size_t size)
{
	struct cfg_diag diag = {.len = 0};
	struct board a, b;
	char *printed = NULL;
	size_t printed_len = 0;
	FILE *f;

	f = fmemopen((void *)(uintptr_t)data, size, "r");
	if (!f)
		return;
	if (board_load_stream(f, "fuzz.conf", &a, &diag) < 0) {
		fclose(f);
		if (diag.n_errors == 0)
			abort();
		return;
	}
	fclose(f);

	f = open_memstream(&printed, &printed_len);
	if (!f)
		abort();
	board_print(f, &a);
	fclose(f);
	f = fmemopen(printed, printed_len, "r");
	if (!f)
		abort();
	memset(&diag, 0, sizeof(diag));
	if (board_load_stream(f, "printed.conf", &b, &diag) < 0 || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	fclose(f);
	free(printed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_line_spec(data, size);
	fuzz_board_file(data, size);
	return 0;
}
