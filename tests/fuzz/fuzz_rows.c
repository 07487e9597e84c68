// SPDX-License-Identifier: MIT
/* CSV rows over arbitrary bytes: every row delivered is within bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_row(void *user, unsigned line, char **fields, size_t n, char *why)
{
	(void)user;
	(void)why;
	if (line == 0 || n == 0 || n > ROWS_FIELDS_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (strlen(fields[i]) > ROWS_FIELD_MAX)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[ROWS_WHY_MAX];
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "r");
	if (!f)
		return 0;
	if (rows_read(f, "fuzz.csv", check_row, NULL, why) < 0 && why[0] == '\0')
		abort();
	fclose(f);
	return 0;
}
