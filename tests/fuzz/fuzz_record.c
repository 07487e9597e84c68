// SPDX-License-Identifier: MIT
/* The collector's batch decoder over arbitrary bodies; decoded batches re-encode and decode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record *recs = NULL, *again = NULL;
	size_t n = 0, n2 = 0;
	char why[256];
	char *text;

	if (record_batch_decode((const char *)data, size, &recs, &n, why, sizeof(why)) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		(void)record_link_ok(&recs[i]);
	text = record_batch_encode(recs, n);
	if (!text)
		abort();
	if (record_batch_decode(text, strlen(text), &again, &n2, why, sizeof(why)) < 0 || n2 != n ||
	    (n && memcmp(recs, again, n * sizeof(*recs)) != 0))
		abort();
	free(text);
	free(again);
	free(recs);
	return 0;
}
